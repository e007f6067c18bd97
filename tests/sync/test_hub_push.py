"""Pushing store events: exactly once, conflicts kept, poison events isolated, fulfilment steps applied."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from core.services.checks import run_checks
from core.storage.database import Database
from core.storage.models import EventConflict, Fulfilment, Movement, Order, Reservation, StockPosition
from sync.protocol import PushResponse
from tests.factories import order_json
from tests.sync import hub_kit
from tests.sync.hub_kit import HubClient, movement, pickup_at, statuses, step

hub, hub_db, router = hub_kit.hub, hub_kit.hub_db, hub_kit.router  # fixtures, used by name


def sellable(db: Database, location: str, sku: str) -> int:
    with db.transaction() as session:
        return session.get(StockPosition, (location, sku)).sellable


def test_the_same_batch_twice_is_applied_once(hub: HubClient, hub_db: Database) -> None:
    batch = [
        movement("S01", "SKU-1", -1),
        movement("S01", "SKU-2", -2),
        movement("S01", "SKU-1", 5, "receipt"),
    ]
    assert statuses(hub.push("S01", *batch)) == ["applied"] * 3
    assert statuses(hub.push("S01", *batch)) == ["duplicate"] * 3
    assert sellable(hub_db, "S01", "SKU-1") == 14 and sellable(hub_db, "S01", "SKU-2") == 8
    with hub_db.transaction() as session:
        assert (
            session.scalar(select(func.count()).select_from(Movement).where(Movement.reason != "initial"))
            == 3
        )
        assert run_checks(session) == []


def test_the_answer_is_the_protocols_push_response(hub: HubClient) -> None:
    sale, unknown = movement("S01", "SKU-1", -1), movement("S01", "NO-SUCH-SKU", -1)
    response = hub.http.post("/v1/sync/push", json={"events": [sale, unknown]}, headers=hub.as_store("S01"))
    assert response.headers["content-type"] == "application/json"
    answer = PushResponse.model_validate_json(response.content)
    assert [(str(r.id), r.status, r.field) for r in answer.results] == [
        (sale["id"], "applied", None),
        (unknown["id"], "rejected", "payload.sku"),
    ]
    assert answer.results[0].reason == "" and "NO-SUCH-SKU" in answer.results[1].reason


def test_same_id_with_other_content_is_a_conflict_kept_for_review(hub: HubClient, hub_db: Database) -> None:
    event_id = uuid.uuid4()
    assert statuses(hub.push("S01", movement("S01", "SKU-1", -1, event_id=event_id))) == ["applied"]
    changed = movement("S01", "SKU-1", -3, event_id=event_id)
    (result,) = hub.push("S01", changed)
    assert result["status"] == "rejected" and result["field"] == "id" and "conflict" in result["reason"]
    (again,) = hub.push("S01", changed)
    assert again["status"] == "rejected"
    assert sellable(hub_db, "S01", "SKU-1") == 9  # the first version stays in force
    with hub_db.transaction() as session:
        kept = session.scalars(select(EventConflict)).all()
    assert len(kept) == 1 and kept[0].payload["payload"]["qty"] == -3


def test_a_poison_event_in_the_middle_is_rejected_and_the_rest_applied(
    hub: HubClient, hub_db: Database
) -> None:
    poison = movement("S01", "NO-SUCH-SKU", -1)
    malformed = movement("S01", "SKU-3", -1)
    malformed["payload"]["qty"] = "lots"
    results = hub.push(
        "S01",
        movement("S01", "SKU-1", -1),
        poison,
        malformed,
        step("NO-SUCH-F", "picking"),
        movement("S01", "SKU-2", -1),
    )
    assert statuses(results) == ["applied", "rejected", "rejected", "rejected", "applied"]
    assert results[1]["field"] == "payload.sku" and "NO-SUCH-SKU" in results[1]["reason"]
    assert results[2]["field"] == "payload.qty"
    assert results[3]["field"] == "payload.fulfilment_id"
    assert sellable(hub_db, "S01", "SKU-1") == 9 and sellable(hub_db, "S01", "SKU-2") == 9
    assert statuses(hub.push("S01", poison))[0] == "rejected"  # the same answer again, not a retry


def test_fulfilment_steps_move_the_fulfilment_and_the_order(hub: HubClient, hub_db: Database) -> None:
    fid = hub.order(pickup_at("S01", "P1", SKU_1=2))["fulfilments"][0]
    steps = [step(fid, a) for a in ("picking", "picked", "packed", "ready_for_pickup")]
    assert statuses(hub.push("S01", *steps)) == ["applied"] * 4
    with hub_db.transaction() as session:
        assert session.get(Order, "P1").state == "ready_for_pickup"
    handover = [movement("S01", "SKU-1", -2, "pickup", reference=fid), step(fid, "collected")]
    assert statuses(hub.push("S01", *handover)) == ["applied", "applied"]
    with hub_db.transaction() as session:
        assert session.get(Fulfilment, fid).state == "collected"
        assert session.get(Order, "P1").state == "completed"
        position = session.get(StockPosition, ("S01", "SKU-1"))
        assert (position.sellable, position.reserved) == (8, 0)
        assert {r.status for r in session.scalars(select(Reservation))} == {"consumed"}
        assert run_checks(session) == []
    # a second device reporting the same step is fine; an illegal one names the action
    assert statuses(hub.push("S01", step(fid, "collected"))) == ["applied"]
    (illegal,) = hub.push("S01", step(fid, "picking"))
    assert illegal["status"] == "rejected" and illegal["field"] == "payload.action"


def test_a_step_on_a_fulfilment_cancelled_meanwhile_is_answered_in_the_feed(hub: HubClient) -> None:
    fid = hub.order(pickup_at("S01", "P2"))["fulfilments"][0]
    cursor = hub.pull("S01", 0).cursor
    cancelled = hub.http.post(
        "/v1/orders/P2/cancel", json={"reason": "customer called"}, headers=hub.auth(hub.integration)
    )
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
    twice = hub.http.post(
        "/v1/orders/P2/cancel", json={"reason": "customer called"}, headers=hub.auth(hub.integration)
    )
    assert twice.status_code == 200  # a retried cancel changes nothing and tells nobody again
    late = step(fid, "picking")
    (result,) = hub.push("S01", late)
    assert result["status"] == "rejected" and "cancelled while you were offline" in result["reason"]
    kinds = hub.changes("S01", cursor)
    assert [k for k, _ in kinds] == ["fulfilment_cancelled", "event_answer"]
    answer = kinds[1][1]
    assert answer["event_id"] == late["id"] and answer["fulfilment_id"] == fid


def test_reject_lines_reroutes_and_tells_both_stores(hub: HubClient, hub_db: Database) -> None:
    decision = hub.order(order_json("W1"))
    (fid,) = decision["fulfilments"]
    first = decision["shipments"][0]["location"]
    other = "S01" if first == "S02" else "S02"
    cursors = {s: hub.pull(s, 0).cursor for s in ("S01", "S02")}
    rejected = step(fid, "reject_lines", lines=[{"sku": "SKU-1", "qty": 2}], reason="damaged on shelf")
    assert statuses(hub.push(first, rejected)) == ["applied"]
    (kind, rerouted), *_ = hub.changes(first, cursors[first])
    assert kind == "lines_rerouted" and rerouted["lines"] == [{"sku": "SKU-1", "qty": 2}]
    assert rerouted["moved_to"][0]["lines"] == [{"sku": "SKU-1", "qty": 2}]
    new_home = rerouted["moved_to"][0]["location"]
    assert new_home != first and "damaged on shelf" in rerouted["text"]
    if new_home == other:
        assigned = [p for k, p in hub.changes(other, cursors[other]) if k == "fulfilment_assigned"]
        assert assigned and assigned[0]["lines"][0]["sku"] == "SKU-1"
        assert assigned[0]["explanation"]
    with hub_db.transaction() as session:
        assert run_checks(session) == []


def test_an_offline_sale_below_zero_is_kept_and_reroutes_the_promise(
    hub: HubClient, hub_db: Database
) -> None:
    fid = hub.order(pickup_at("S01", "P3", SKU_3=1))["fulfilments"][0]
    ship = hub.order(order_json("W2"))
    cursor = hub.pull("S01", 0).cursor
    # while offline S01 sold all ten SKU-3 and one more it found in the back room
    results = hub.push("S01", movement("S01", "SKU-3", -10), movement("S01", "SKU-3", -1))
    assert statuses(results) == ["applied", "applied"]
    with hub_db.transaction() as session:
        position = session.get(StockPosition, ("S01", "SKU-3"))
        assert position.sellable == -1 and position.reserved == 0
        fulfilment = session.get(Fulfilment, fid)
        assert fulfilment.state == "rejected"
        assert fulfilment.lines[0].rejection_reason == "stock sold in store"
        assert session.get(Order, "P3").state == "unfulfillable"  # a pickup order cannot move stores
        assert session.get(Order, "W2").state == "routed" and ship["status"] == "routed"
        # the books balance; the one finding is the shelf to count, which is what a person must see
        problems = run_checks(session)
        assert [(p.check, p.where) for p in problems] == [("negative", "stock_positions S01/SKU-3")]
    (kind, payload), *_ = hub.changes("S01", cursor)
    assert kind == "lines_rerouted" and payload["fulfilment_state"] == "rejected"
    assert payload["reason"] == "stock sold in store"


def test_an_offline_sale_moves_a_ship_order_to_the_other_store(hub: HubClient, hub_db: Database) -> None:
    decision = hub.order(order_json("W3"))
    store = decision["shipments"][0]["location"]
    assert statuses(hub.push(store, movement(store, "SKU-2", -10))) == ["applied"]
    with hub_db.transaction() as session:
        order = session.get(Order, "W3")
        homes = {f.location_code for f in order.fulfilments if f.state == "assigned"}
        assert order.state == "routed" and len(homes) == 2 and store in homes
        assert session.get(StockPosition, (store, "SKU-2")).reserved == 0
        assert run_checks(session) == []


def test_a_snapshot_movement_is_refused_the_store_never_sends_one(hub: HubClient, hub_db: Database) -> None:
    (result,) = hub.push("S01", movement("S01", "SKU-1", -4, "snapshot"))
    assert result["status"] == "rejected" and result["field"] == "payload.reason"
    assert "never pushed" in result["reason"]
    assert sellable(hub_db, "S01", "SKU-1") == 10


def test_lines_rerouted_names_the_stores_event_and_what_is_left(hub: HubClient) -> None:
    own = hub.order(pickup_at("S01", "P4", SKU_1=3))["fulfilments"][0]
    cursor = hub.pull("S01", 0).cursor
    rejection = step(own, "reject_lines", lines=[{"sku": "SKU-1", "qty": 1}], reason="dented")
    sale = movement("S01", "SKU-1", -9)  # leaves 1 on the shelf for the 2 still promised
    assert statuses(hub.push("S01", rejection, sale)) == ["applied", "applied"]
    answers = [p for k, p in hub.changes("S01", cursor) if k == "lines_rerouted"]
    assert [(p["event_id"], p["remaining"]) for p in answers] == [
        (rejection["id"], [{"sku": "SKU-1", "qty": 2}]),  # the answer to the store's own rejection
        (None, [{"sku": "SKU-1", "qty": 1}]),  # the hub's own move after the sale
    ]
