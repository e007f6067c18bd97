"""A rule change simulated on a stream of orders: figures, moved orders, and the network left as it was."""

from __future__ import annotations

from core.routing.planner import Planner
from core.routing.rules import validate_rule_set
from core.routing.simulation import simulate
from tests.core.routing.planner_kit import DistanceQuoter, item, loc, network, order


def _world():
    # S01 is closest but holds 2 units; DC1 is farther and holds plenty.
    return network(
        [loc("S01", 10), loc("DC1", 400, type="dc")],
        {("S01", "A"): 2, ("DC1", "A"): 50},
        [item("A")],
    )


def _planners(candidate: dict) -> tuple[Planner, Planner]:
    quoter = DistanceQuoter()
    return Planner(validate_rule_set({}), quoter), Planner(validate_rule_set(candidate), quoter)


def test_stores_taken_out_of_shipping_moves_their_orders_to_the_dc() -> None:
    net = _world()
    orders = [order(("A", 1), order_id=f"O-{n}") for n in range(3)]
    current, candidate = _planners({"filters": {"allowed_location_types": {"ship": ["dc"]}}})
    result = simulate(orders, net, current, candidate)
    # Now: the first two take S01's two units, the third goes to DC1. Candidate: all three to DC1.
    assert result.orders == 3
    assert result.current.units == {"S01": 2, "DC1": 1}
    assert result.candidate.units == {"DC1": 3}
    assert result.moved_units() == [("DC1", 1, 3), ("S01", 2, 0)]  # equal shifts: by code
    assert [(c.order_id, c.before, c.after) for c in result.changes] == [
        ("O-0", "S01", "DC1"),
        ("O-1", "S01", "DC1"),
    ]
    assert all(c.cost_difference is not None and c.cost_difference > 0 for c in result.changes)
    assert "DC1" in result.changes[0].explanation
    figures = result.to_dict()
    assert figures["orders_changed"] == 2
    assert figures["candidate"]["avg_shipment_km"] > figures["current"]["avg_shipment_km"]
    # Both runs started alike and neither left anything behind.
    assert net.stock["A"]["S01"].atp == 2 and net.stock["A"]["DC1"].atp == 50
    assert net.locations["S01"].used_capacity_today == 0


def test_the_same_rules_change_nothing_and_outcomes_are_counted() -> None:
    net = _world()
    orders = [
        order(("A", 30), order_id="BIG"),
        order(("A", 40), order_id="HUGE"),
        order(("B", 1), order_id="ZZ"),
    ]
    current, same = _planners({})
    result = simulate(orders, net, current, same)
    assert result.changes == [] and result.moved_units() == []
    # 30 from DC1, then 40 more than the 20 left anywhere in one place: unfulfillable; B is unknown.
    assert result.current.statuses == {"routed": 1, "unfulfillable": 2}
    assert result.current.to_dict() == result.candidate.to_dict()
