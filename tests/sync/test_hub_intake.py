"""Channel intake, stock feeds and visibility, and how the hub refuses bad input (problem+json, no 500)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.services.checks import run_checks
from core.services.hub.access import Role, issue_token
from core.storage.database import Database
from core.storage.models import Order, StockPosition
from tests.factories import order_json
from tests.sync import hub_kit
from tests.sync.hub_kit import HubClient

hub, hub_db, router = hub_kit.hub, hub_kit.hub_db, hub_kit.router  # fixtures, used by name


def test_order_intake_is_idempotent_by_id(hub: HubClient, hub_db: Database) -> None:
    headers = hub.auth(hub.integration)
    first = hub.http.post("/v1/orders", json=order_json("W1"), headers=headers)
    assert first.status_code == 201
    decision = first.json()
    assert decision["order_id"] == "W1" and decision["status"] == "routed"
    assert decision["explanation"]["summary"] and decision["text"] and decision["shipments"]
    again = hub.http.post("/v1/orders", json=order_json("W1"), headers=headers)
    assert again.status_code == 200 and again.json()["fulfilments"] == decision["fulfilments"]
    changed = order_json("W1")
    changed["lines"][0]["qty"] = 5
    conflict = hub.http.post("/v1/orders", json=changed, headers=headers)
    assert conflict.status_code == 409 and conflict.json()["field"] == "id"
    assert conflict.headers["content-type"] == "application/problem+json"
    with hub_db.transaction() as session:
        assert session.get(Order, "W1").state == "routed"
        assert sum(p.reserved for p in session.query(StockPosition)) == 3
        assert run_checks(session) == []


def test_an_order_reads_back_with_its_decisions(hub: HubClient) -> None:
    hub.order(order_json("W1"))
    body = hub.http.get("/v1/orders/W1", headers=hub.auth(hub.manager)).json()
    assert body["state"] == "routed" and len(body["fulfilments"]) == 1
    (decision,) = body["decisions"]
    assert decision["reason"] == "new order" and decision["decision"]["explanation"]["candidates"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda o: o["lines"][0].update(qty=0), "lines[0].qty"),
        (lambda o: o["lines"][1].update(qty="2"), "lines[1].qty"),
        (lambda o: o.update(placed_at="2026-11-26T15:00:00"), "placed_at"),
        (lambda o: o.update(extra=1), "extra"),
        (lambda o: o.pop("customer"), "customer"),
        (lambda o: o.update(lines=[]), "lines"),
        (lambda o: o["delivery"].update(method="drone"), "delivery.method"),
        (lambda o: o.update(id="bad id"), "id"),
    ],
)
def test_bad_orders_are_422_problems_naming_the_field(hub: HubClient, change: Any, field: str) -> None:
    data = order_json("W5")
    change(data)
    response = hub.http.post("/v1/orders", json=data, headers=hub.auth(hub.integration))
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 422 and problem["title"] and problem["detail"]
    assert problem["field"] == field


def test_unknown_references_and_broken_bodies_are_4xx(hub: HubClient) -> None:
    headers = {**hub.auth(hub.integration), "content-type": "application/json"}
    unknown = order_json("W6")
    unknown["lines"][0]["sku"] = "NOPE"
    response = hub.http.post("/v1/orders", json=unknown, headers=headers)
    assert response.status_code == 404 and response.json()["field"] == "lines[0].sku"
    for body in (b"", b"{", b"[]", b"null", b'"x"', b"\xff\xfe", json.dumps({"id": []}).encode()):
        response = hub.http.post("/v1/orders", content=body, headers=headers)
        assert response.status_code == 422, body
        assert response.headers["content-type"] == "application/problem+json"
    push = hub.http.post("/v1/sync/push", json={"events": []}, headers=hub.as_store("S01"))
    assert push.status_code == 422 and push.json()["field"] == "events"
    no_id = hub.http.post(
        "/v1/sync/push", json={"events": [{"kind": "movement"}]}, headers=hub.as_store("S01")
    )
    assert no_id.status_code == 422 and no_id.json()["field"] == "events[0].id"
    old = hub.http.post(
        "/v1/sync/push",
        json={"protocol": 0, "events": [hub_kit.movement("S01", "SKU-1", 1)]},
        headers=hub.as_store("S01"),
    )
    assert old.status_code == 400 and old.json()["field"] == "protocol"


def test_an_oversized_body_is_413(hub_db: Database, router: Any) -> None:
    client = hub_kit.TestClient(hub_kit.create_app(hub_db, router, max_body=2_000))
    big = {"events": [hub_kit.movement("S01", "SKU-1", 1) for _ in range(30)]}
    response = client.post("/v1/sync/push", json=big, headers={"Authorization": "Bearer x"})
    assert response.status_code == 413 and response.json()["status"] == 413

    def chunks() -> Any:  # no Content-Length: counted while streaming
        for _ in range(10):
            yield b" " * 500

    with hub_db.transaction() as session:
        token = issue_token(session, Role.STORE_DEVICE, "tablet", location="S01")
    headers = {"content-type": "application/json", "Authorization": f"Bearer {token}"}
    streamed = client.post("/v1/sync/push", content=chunks(), headers=headers)
    assert streamed.status_code == 413
    # an unknown caller is refused before the hub reads a byte of the body
    unknown = client.post("/v1/sync/push", content=chunks(), headers={"Authorization": "Bearer x"})
    assert unknown.status_code == 401
    client.close()


def test_feeds_apply_snapshots_and_deltas_once(hub: HubClient, hub_db: Database) -> None:
    headers = hub.auth(hub.integration)
    snapshot = {
        "location": "DC1",
        "mode": "snapshot",
        "lines": [
            {"key": "cnt-1/SKU-1", "sku": "SKU-1", "on_hand": 25},
            {"key": "cnt-1/X", "sku": "X", "on_hand": 1},
        ],
    }
    first = hub.http.post("/v1/inventory/feeds", json=snapshot, headers=headers)
    assert first.status_code == 200
    assert [r["status"] for r in first.json()["results"]] == ["applied", "rejected"]
    assert first.json()["results"][1]["field"] == "lines[1].sku"
    again = hub.http.post("/v1/inventory/feeds", json=snapshot, headers=headers).json()["results"]
    assert [r["status"] for r in again] == ["duplicate", "rejected"]
    delta = {"location": "DC1", "mode": "delta", "lines": [{"key": "asn-7", "sku": "SKU-1", "qty": -5}]}
    assert (
        hub.http.post("/v1/inventory/feeds", json=delta, headers=headers).json()["results"][0]["status"]
        == "applied"
    )
    assert (
        hub.http.post("/v1/inventory/feeds", json=delta, headers=headers).json()["results"][0]["status"]
        == "duplicate"
    )
    view = hub.http.get("/v1/inventory/SKU-1", headers=hub.as_store("S01")).json()
    assert {row["location"]: row["sellable"] for row in view["locations"]} == {
        "DC1": 20,
        "S01": 10,
        "S02": 10,
    }
    store_feed = {"location": "S01", "mode": "delta", "lines": [{"key": "k", "sku": "SKU-1", "qty": 1}]}
    refused = hub.http.post("/v1/inventory/feeds", json=store_feed, headers=headers)
    assert refused.status_code == 400 and refused.json()["field"] == "location"
    mixed = {"location": "DC1", "mode": "delta", "lines": [{"key": "k", "sku": "SKU-1", "on_hand": 1}]}
    assert hub.http.post("/v1/inventory/feeds", json=mixed, headers=headers).status_code == 422
    assert hub.http.post("/v1/inventory/feeds", json=delta, headers=hub.as_store("S01")).status_code == 403
    with hub_db.transaction() as session:
        assert run_checks(session) == []


def test_inventory_of_an_unknown_sku_is_404(hub: HubClient) -> None:
    response = hub.http.get("/v1/inventory/NOPE", headers=hub.auth(hub.manager))
    assert response.status_code == 404 and response.json()["field"] == "sku"


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
near_events = st.fixed_dictionaries(
    {
        "events": st.lists(
            st.fixed_dictionaries(
                {
                    "id": st.uuids().map(str),
                    "kind": st.sampled_from(["movement", "fulfilment", "x"]),
                    "occurred_at": st.sampled_from(
                        ["2026-11-26T10:00:00Z", "yesterday", "2026-11-26T10:00:00"]
                    ),
                    "payload": st.dictionaries(
                        st.sampled_from(
                            ["location", "sku", "qty", "reason", "fulfilment_id", "action", "lines", "bucket"]
                        ),
                        json_values,
                        max_size=6,
                    ),
                }
            ),
            min_size=1,
            max_size=3,
        )
    }
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    path=st.sampled_from(["/v1/orders", "/v1/sync/push", "/v1/inventory/feeds", "/v1/enroll"]),
    body=json_values | near_events,
)
def test_no_body_makes_the_hub_fail(sqlite_hub: HubClient, path: str, body: Any) -> None:
    token = hub_kit.HubClient.auth(
        sqlite_hub.stores["S01"] if path.endswith("push") else sqlite_hub.integration
    )
    response = sqlite_hub.http.post(path, json=body, headers=token)
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert response.headers["content-type"] == "application/problem+json"


@pytest.fixture
def sqlite_hub(sqlite_db: Database, router: Any) -> Any:
    from tests.factories import small_network

    with sqlite_db.transaction() as session:
        small_network(session)
    client = HubClient(sqlite_db, router)
    yield client
    client.close()
