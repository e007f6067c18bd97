"""Pausing a store for routing and setting its daily capacity through the hub's API, on SQLite and
PostgreSQL: the next order goes elsewhere, the audit names who and why, bad input changes nothing,
and a store's token steers its own store only."""

from __future__ import annotations

from sqlalchemy import select

from core.storage.database import Database
from core.storage.models import Location, StateEvent
from tests.factories import order_json
from tests.sync import hub_kit
from tests.sync.hub_kit import HubClient

hub, hub_db, router = hub_kit.hub, hub_kit.hub_db, hub_kit.router  # fixtures, used by name

S01 = "/v1/locations/S01/routing"


def audit(db: Database) -> list[tuple[str, str | None, str, str, str]]:
    with db.transaction() as session:
        rows = session.scalars(
            select(StateEvent).where(StateEvent.entity == "location").order_by(StateEvent.id)
        )
        return [(r.entity_id, r.from_state, r.to_state, r.actor, r.reason) for r in rows]


def near_s01(order_id: str) -> dict[str, object]:
    """A one-line ship order to S01's own postal code: S01 is the cheapest place to ship it from."""
    data = order_json(order_id)
    data["delivery"]["postal_code"] = "60601"  # type: ignore[index]
    data["lines"] = [{"sku": "SKU-1", "qty": 1, "unit_price": "19.99"}]
    return data


def test_a_paused_store_gets_no_new_orders_until_it_resumes(hub: HubClient, hub_db: Database) -> None:
    first = hub.order(near_s01("W1"))
    assert first["shipments"][0]["location"] == "S01"

    paused = hub.http.put(
        S01,
        json={"enabled": False, "reason": "short-staffed", "by": "Morgan Lee"},
        headers=hub.as_store("S01"),
    )
    assert paused.status_code == 200, paused.text
    body = paused.json()
    assert (body["enabled"], body["changed_by"], body["reason"], body["used_today"]) == (
        False,
        "Morgan Lee",
        "short-staffed",
        1,
    )
    second = hub.order(near_s01("W2"))
    assert second["shipments"][0]["location"] != "S01"
    [s01] = [c for c in second["explanation"]["candidates"] if c["location"] == "S01"]
    assert s01["excluded_by"] == "disabled" and "paused" in s01["reason"]  # said in plain words

    resumed = hub.http.put(S01, json={"enabled": True, "by": "Morgan Lee"}, headers=hub.as_store("S01"))
    assert resumed.json()["enabled"] is True
    assert hub.order(near_s01("W3"))["shipments"][0]["location"] == "S01"
    assert audit(hub_db) == [
        ("S01", "taking", "paused", "Morgan Lee", "short-staffed"),
        ("S01", "paused", "taking", "Morgan Lee", ""),
    ]


def test_capacity_is_set_and_read_back_with_what_today_used(hub: HubClient, hub_db: Database) -> None:
    answer = hub.http.put(S01, json={"daily_capacity": 25, "by": "Morgan Lee"}, headers=hub.as_store("S01"))
    assert answer.status_code == 200 and answer.json()["daily_capacity"] == 25
    read = hub.http.get(S01, headers=hub.auth(hub.manager))
    assert (read.json()["daily_capacity"], read.json()["enabled"], read.json()["used_today"]) == (25, True, 0)
    with hub_db.transaction() as session:
        assert session.get(Location, "S01").daily_capacity == 25
    assert audit(hub_db) == [("S01", "capacity 40", "capacity 25", "Morgan Lee", "")]


def test_bad_input_names_the_field_and_changes_nothing(hub: HubClient, hub_db: Database) -> None:
    store = hub.as_store("S01")
    cases = [  # 400: the service's own checks; 422: the request schema's
        ({"enabled": False}, "reason", 400),  # a pause needs its reason
        ({"daily_capacity": -1}, "daily_capacity", 422),
        ({"daily_capacity": 100_001}, "daily_capacity", 422),
        ({"reason": "nothing asked"}, "enabled", 400),
        ({"enabled": "maybe"}, "enabled", 422),
        ({"enabled": False, "reason": "x" * 201}, "reason", 422),
    ]
    for body, field, status in cases:
        answer = hub.http.put(S01, json=body, headers=store)
        assert answer.status_code == status, (body, answer.text)
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert field in answer.text, (body, answer.text)
    assert (
        hub.http.put(
            "/v1/locations/NOPE/routing", json={"enabled": True}, headers=hub.auth(hub.manager)
        ).status_code
        == 404
    )
    with hub_db.transaction() as session:
        s01 = session.get(Location, "S01")
        assert (s01.enabled, s01.daily_capacity) == (True, 40)
    assert audit(hub_db) == []


def test_a_store_steers_its_own_store_only_and_integrations_not_at_all(
    hub: HubClient, hub_db: Database
) -> None:
    pause = {"enabled": False, "reason": "stock count"}
    assert hub.http.put(S01, json=pause, headers=hub.as_store("S02")).status_code == 403
    assert hub.http.get(S01, headers=hub.as_store("S02")).status_code == 403
    assert hub.http.put(S01, json=pause, headers=hub.auth(hub.integration)).status_code == 403
    by_manager = hub.http.put("/v1/locations/S02/routing", json=pause, headers=hub.auth(hub.manager))
    assert by_manager.status_code == 200 and by_manager.json()["changed_by"] == "regional manager"
    with hub_db.transaction() as session:
        assert session.get(Location, "S01").enabled and not session.get(Location, "S02").enabled
