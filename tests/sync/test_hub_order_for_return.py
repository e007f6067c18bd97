"""`GET /v1/orders/{id}/for-return` and refund events: any store reads any order of the network for a
return, and the refunds stores push are kept once and counted as units returned anywhere."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from core.services.allocation import Router
from core.services.hub import events
from core.storage.database import Database
from core.storage.models import Return
from tests.factories import NOW, order_json
from tests.sync import hub_kit
from tests.sync.hub_kit import HubClient, movement, statuses
from tests.sync.refund_kit import refund_event, ship_at_hub

hub, hub_db, router = hub_kit.hub, hub_kit.hub_db, hub_kit.router  # fixtures, used by name
SHIPPED = NOW + timedelta(days=1)


def _shipped_order(hub: HubClient, router: Router, order_id: str = "W1") -> list[str]:
    fulfilments = hub.order(order_json(order_id))["fulfilments"]
    ship_at_hub(hub.database, router, fulfilments, now=SHIPPED)
    return fulfilments


def test_any_store_reads_any_order_for_a_return(hub: HubClient, router: Router) -> None:
    [fid, *_] = _shipped_order(hub, router)
    for token in (hub.stores["S01"], hub.stores["S02"], hub.manager):
        response = hub.http.get("/v1/orders/W1/for-return", headers=hub.auth(token))
        assert response.status_code == 200, response.text
    body = response.json()
    assert (body["id"], body["channel"], body["customer_name"], body["tender"]) == (
        "W1",
        "web",
        "Ava Kim",
        "",
    )
    first, second = body["lines"]
    assert (first["sku"], first["qty"], first["unit_price"], first["returnable_days"]) == (
        "SKU-1",
        2,
        "19.99",
        30,
    )
    assert (first["delivered"], first["returned"], second["delivered"]) == (2, 0, 1)
    assert first["delivered_at"].startswith(SHIPPED.date().isoformat())
    assert {f["state"] for f in body["fulfilments"]} == {"shipped"} and body["refunds"] == []
    by_slip = hub.http.get(f"/v1/orders/{fid}/for-return", headers=hub.as_store("S02"))
    assert by_slip.status_code == 200 and by_slip.json()["id"] == "W1"  # the packing slip's barcode


def test_unknown_orders_and_channels_are_refused(hub: HubClient, router: Router) -> None:
    _shipped_order(hub, router)
    missing = hub.http.get("/v1/orders/NOPE-1/for-return", headers=hub.as_store("S01"))
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert missing.json()["field"] == "order_id"
    channel = hub.http.get("/v1/orders/W1/for-return", headers=hub.auth(hub.integration))
    assert channel.status_code == 403 and channel.json()["field"] == "authorization"
    assert hub.http.get("/v1/orders/W1/for-return").status_code == 401


def test_a_refund_is_kept_once_and_counted_as_returned_anywhere(
    hub: HubClient, router: Router, hub_db: Database
) -> None:
    _shipped_order(hub, router)
    event = refund_event("S02", "W1", [("SKU-1", 1, "19.99")])
    assert statuses(hub.push("S02", event)) == ["applied"]
    assert statuses(hub.push("S02", event)) == ["duplicate"]  # a retry after a lost answer
    with hub_db.transaction() as session:
        assert session.query(Return).count() == 1
    body = hub.http.get("/v1/orders/W1/for-return", headers=hub.as_store("S01")).json()
    assert body["lines"][0]["returned"] == 1
    [record] = body["refunds"]
    assert (record["location"], record["total"], record["lines"][0]["line_no"]) == ("S02", "19.99", 1)


def test_refunds_beyond_the_order_or_for_another_store_are_rejected(
    hub: HubClient, router: Router, hub_db: Database
) -> None:
    _shipped_order(hub, router)
    assert statuses(hub.push("S01", refund_event("S01", "W1", [("SKU-1", 2, "19.99")]))) == ["applied"]
    [too_many] = hub.push("S02", refund_event("S02", "W1", [("SKU-1", 1, "19.99")]))
    assert too_many["status"] == "rejected" and too_many["field"] == "payload.lines[0].qty"
    assert "0 left to refund" in too_many["reason"]
    [not_on_order] = hub.push("S02", refund_event("S02", "W1", [("SKU-3", 1, "1.00")]))
    assert not_on_order["field"] == "payload.lines[0].sku"
    [elsewhere] = hub.push("S02", refund_event("S01", "W1", [("SKU-2", 1, "5.00")]))
    assert elsewhere["status"] == "rejected" and elsewhere["field"] == "payload.location"
    [unknown] = hub.push("S02", refund_event("S02", "W404", [("SKU-2", 1, "5.00")]))
    assert unknown["field"] == "payload.order_id"
    with hub_db.transaction() as session:
        assert session.query(Return).count() == 1  # nothing of the refused ones was kept


def test_a_store_finds_orders_of_any_channel_by_the_customer(hub: HubClient, router: Router) -> None:
    _shipped_order(hub, router)
    _shipped_order(hub, router, "W2")
    for words in ("ava k", "ava@example", "kim"):
        response = hub.http.get("/v1/orders", params={"q": words, "limit": 1}, headers=hub.as_store("S02"))
        assert response.status_code == 200, response.text
        [found] = response.json()["orders"]
        assert found["customer_name"] == "Ava Kim" and found["id"] in ("W1", "W2")
    nobody = hub.http.get("/v1/orders", params={"q": "Zed Quux"}, headers=hub.auth(hub.manager))
    assert nobody.status_code == 200 and nobody.json()["orders"] == []
    for vague in ("av", "1234", "4006381333931"):  # too short, a phone's tail, a product barcode
        refused = hub.http.get("/v1/orders", params={"q": vague}, headers=hub.as_store("S01"))
        assert refused.status_code in (400, 422) and refused.json()["field"] == "q"
    many = hub.http.get("/v1/orders", params={"q": "ava", "limit": 500}, headers=hub.as_store("S01"))
    assert many.status_code == 422 and many.json()["field"] == "limit"
    channel = hub.http.get("/v1/orders", params={"q": "ava"}, headers=hub.auth(hub.integration))
    assert channel.status_code == 403


def test_refunds_among_movements_leave_the_movements_to_the_whole_batch(
    hub: HubClient, router: Router, hub_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    _shipped_order(hub, router)
    one_by_one = events._one_by_one
    seen: list[list[str]] = []

    def spy(session: Any, router: Router, source: str, batch: Any, *args: Any) -> Any:
        seen.append([e.kind for e in batch])
        return one_by_one(session, router, source, batch, *args)

    monkeypatch.setattr(events, "_one_by_one", spy)
    refund = refund_event("S02", "W1", [("SKU-1", 1, "19.99")])
    batch = [movement("S02", "SKU-1", 1, "return"), refund, movement("S02", "SKU-2", -1)]
    assert statuses(hub.push("S02", *batch)) == ["applied", "applied", "applied"]
    assert seen == [["refund"]]  # the movements went whole
    assert statuses(hub.push("S02", *batch)) == ["duplicate", "duplicate", "duplicate"]
    with hub_db.transaction() as session:
        assert session.query(Return).count() == 1
