"""Routing against the database: decisions stored, stock and capacity reserved, re-routing."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from core.domain.errors import IllegalTransitionError, ValidationError
from core.domain.lifecycle import FulfilmentState
from core.domain.orders import parse_order
from core.routing.decision import expand_stored
from core.routing.rates import RateBroker, load_sample_rate_sheet
from core.routing.rules import default_rule_set
from core.services.allocation import Router, decisions_for
from core.services.checks import run_checks
from core.services.orders import transition_fulfilment
from core.services.rule_sets import activate, save_draft
from core.storage.database import Database
from core.storage.models import Fulfilment, Location, Order, Reservation, ReservationStatus, StockPosition
from tests.factories import NOW, order_json, small_network


@pytest.fixture(scope="module")
def router() -> Router:
    return Router(RateBroker(load_sample_rate_sheet()))


@pytest.fixture
def net(db: Database) -> Database:
    with db.transaction() as s:
        small_network(s)
    return db


def ship_to_chicago(order_id: str = "W1", **line_qty: int) -> Any:
    data = order_json(order_id)
    if line_qty:
        data["lines"] = [
            {"sku": sku.replace("_", "-"), "qty": q, "unit_price": "10.00"} for sku, q in line_qty.items()
        ]
    return parse_order(data)


def reserved(db: Database, loc: str, sku: str) -> int:
    with db.transaction() as s:
        return s.get(StockPosition, (loc, sku)).reserved


def test_routing_reserves_stock_and_records_the_decision(net: Database, router: Router) -> None:
    with net.transaction() as s:
        result = router.route(s, ship_to_chicago(), now=NOW)
    decision = result.decision
    assert decision.status == "routed" and len(result.fulfilment_ids) == 1
    chosen = decision.shipments[0].location
    assert chosen in {"S01", "S02"}  # a Chicago store beats the Indianapolis DC
    assert reserved(net, chosen, "SKU-1") == 2 and reserved(net, chosen, "SKU-2") == 1
    with net.transaction() as s:
        order = s.get(Order, "W1")
        assert order.state == "routed"
        fulfilment = s.get(Fulfilment, result.fulfilment_ids[0])
        assert fulfilment.carrier and fulfilment.eta and fulfilment.decision_id == result.decision_id
        stored = decisions_for(s, "W1")
        assert [d.status for d in stored] == ["routed"]
        assert stored[0].document["rule_set"] == {"id": "default", "version": 1}
        assert stored[0].document["text"].startswith("Routed to")
        assert run_checks(s) == []


def test_the_same_order_again_returns_the_stored_decision(net: Database, router: Router) -> None:
    with net.transaction() as s:
        first = router.route(s, ship_to_chicago(), now=NOW)
    with net.transaction() as s:
        again = router.route(s, ship_to_chicago(), now=NOW)
    assert again.replayed and again.decision_id == first.decision_id
    assert again.fulfilment_ids == first.fulfilment_ids
    chosen = first.decision.shipments[0].location
    assert reserved(net, chosen, "SKU-1") == 2


def test_a_dry_run_stores_and_reserves_nothing(net: Database, router: Router) -> None:
    with net.transaction() as s:
        result = router.route(s, ship_to_chicago(), dry_run=True, now=NOW)
    assert result.decision.status == "routed" and result.decision_id is None
    with net.transaction() as s:
        assert s.scalar(select(func.count()).select_from(Order)) == 0
        assert s.scalar(select(func.count()).select_from(Reservation)) == 0


def test_an_order_nobody_can_fill_is_unfulfillable_with_reasons(net: Database, router: Router) -> None:
    with net.transaction() as s:
        result = router.route(s, ship_to_chicago(SKU_1=50), now=NOW)
    assert result.decision.status == "unfulfillable" and result.fulfilment_ids == ()
    assert "SKU-1" in result.decision.text
    with net.transaction() as s:
        assert s.get(Order, "W1").state == "unfulfillable"
        assert run_checks(s) == []


def test_part_of_an_order_can_be_routed(net: Database, router: Router) -> None:
    with net.transaction() as s:
        result = router.route(s, ship_to_chicago(SKU_1=1, SKU_2=99), now=NOW)
    assert result.decision.status == "partially_routed"
    with net.transaction() as s:
        assert s.get(Order, "W1").state == "partially_routed"


def test_daily_capacity_is_used_up_across_orders(net: Database, router: Router) -> None:
    with net.transaction() as s:
        for loc in s.scalars(select(Location)):
            loc.daily_capacity = 1
    places = []
    for n in range(4):
        with net.transaction() as s:
            result = router.route(s, ship_to_chicago(f"W{n}", SKU_3=1), now=NOW)
        places.append(result.decision.shipments[0].location if result.decision.shipments else None)
    assert sorted(p for p in places if p) == ["DC1", "S01", "S02"]
    assert places[-1] is None
    with net.transaction() as s:
        last = expand_stored(decisions_for(s, "W3")[0].document)
        reasons = {c["location"]: c["excluded_by"] for c in last["explanation"]["candidates"]}
        assert set(reasons.values()) == {"capacity"}


def test_rejected_lines_are_routed_again_elsewhere(net: Database, router: Router) -> None:
    with net.transaction() as s:
        first = router.route(s, ship_to_chicago(SKU_1=2), now=NOW)
    store = first.decision.shipments[0].location
    with net.transaction() as s:
        second = router.reject_lines(s, first.fulfilment_ids[0], [("SKU-1", 2)], "not found", now=NOW)
    new_place = second.decision.shipments[0].location
    assert new_place != store
    assert reserved(net, store, "SKU-1") == 0 and reserved(net, new_place, "SKU-1") == 2
    with net.transaction() as s:
        old = s.get(Fulfilment, first.fulfilment_ids[0])
        assert old.state == "rejected" and old.lines[0].rejected_qty == 2
        chain = decisions_for(s, "W1")
        assert chain[1].replaces_id == chain[0].id and "rejected 2 unit(s): not found" in chain[1].reason
        excluded = {c["location"]: c for c in expand_stored(chain[1].document)["explanation"]["candidates"]}[
            store
        ]
        assert excluded["excluded_by"] == "excluded" and "not found" in excluded["reason"]
        assert s.get(Order, "W1").state == "routed"
        assert s.scalars(select(Reservation).where(Reservation.fulfilment_id == old.id)).one().status == (
            ReservationStatus.RELEASED
        )
        assert run_checks(s) == []


def test_part_of_a_line_can_be_rejected(net: Database, router: Router) -> None:
    with net.transaction() as s:
        first = router.route(s, ship_to_chicago(SKU_1=3), now=NOW)
    store = first.decision.shipments[0].location
    with net.transaction() as s:
        router.reject_lines(s, first.fulfilment_ids[0], [("SKU-1", 1)], "damaged", now=NOW)
    assert reserved(net, store, "SKU-1") == 2
    with net.transaction() as s:
        assert s.get(Fulfilment, first.fulfilment_ids[0]).state == "assigned"
        assert run_checks(s) == []


def test_when_every_location_rejects_the_order_is_unfulfillable(net: Database, router: Router) -> None:
    with net.transaction() as s:
        result = router.route(s, ship_to_chicago(SKU_2=1), now=NOW)
    for _ in range(3):
        with net.transaction() as s:
            result = router.reject_lines(s, result.fulfilment_ids[0], None, "not found", now=NOW)
        if not result.fulfilment_ids:
            break
    assert result.decision.status == "unfulfillable"
    with net.transaction() as s:
        assert s.get(Order, "W1").state == "unfulfillable"
        assert run_checks(s) == []


def test_rejections_need_a_live_fulfilment_a_reason_and_held_units(net: Database, router: Router) -> None:
    with net.transaction() as s:
        result = router.route(s, ship_to_chicago(SKU_1=1), now=NOW)
    fid = result.fulfilment_ids[0]
    with pytest.raises(ValidationError, match="holds 1 unit"), net.transaction() as s:
        router.reject_lines(s, fid, [("SKU-1", 2)], "not found")
    with pytest.raises(ValidationError, match="give a reason"), net.transaction() as s:
        router.reject_lines(s, fid, None, " ")
    with net.transaction() as s:
        for state in ("picking", "picked", "packed", "shipped"):
            transition_fulfilment(s, fid, FulfilmentState(state))
    with pytest.raises(IllegalTransitionError, match="is shipped"), net.transaction() as s:
        router.reject_lines(s, fid, None, "not found")


def test_an_activated_rule_set_routes_the_next_order(net: Database, router: Router) -> None:
    strict = default_rule_set().model_dump(mode="json")
    strict["filters"]["allowed_location_types"]["ship"] = ["dc"]
    with net.transaction() as s:
        info = save_draft(s, strict, author="regional.manager", comment="DCs only for Black Friday")
        assert info.version == 1 and info.status == "draft"
        activate(s, info.rule_set_id, info.version, actor="regional.manager")
        result = router.route(s, ship_to_chicago(), now=NOW)
    assert result.decision.shipments[0].location == "DC1"
    assert (result.decision.rule_set_id, result.decision.rule_set_version) == ("default", 1)
