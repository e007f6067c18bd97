"""Each cost component and the tie-breaks, on networks small enough to price by hand.

DistanceQuoter: $5 + $0.01 per km + $1 per kg. TableQuoter: a fixed price per origin postal code.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from tests.core.routing.planner_kit import PLACED, TableQuoter, item, loc, network, order, route

ITEMS = [item("A"), item("B")]


def chosen(d) -> list[str]:
    return [s.location for s in d.shipments]


def money(d_total: int | None) -> Decimal:
    assert d_total is not None
    return Decimal(d_total) / 10_000


def test_shipping_cost_and_its_weight() -> None:
    net = network([loc("S01", 10), loc("S02", 100)], {("S01", "A"): 5, ("S02", "A"): 5}, ITEMS)
    d = route({}, net, order(("A", 1)))
    assert chosen(d) == ["S01"] and money(d.total) == Decimal("6.10")  # 5 + 0.10 + 1
    assert money(d.runner_up.difference) == Decimal("0.90")  # S02: 5 + 1.00 + 1
    d = route({"costs": {"shipping_weight": "2"}}, net, order(("A", 1)))
    assert money(d.total) == Decimal("12.20")


@pytest.mark.parametrize(
    ("penalty", "expected", "total"), [("0", ["S01", "S02"], "12.30"), ("5", ["DC1"], "15.00")]
)
def test_penalty_per_extra_shipment(penalty: str, expected: list[str], total: str) -> None:
    net = network(
        [loc("S01", 10), loc("S02", 20), loc("DC1", 800, "dc")],
        {("S01", "A"): 5, ("S02", "B"): 5, ("DC1", "A"): 5, ("DC1", "B"): 5},
        ITEMS,
    )
    # Split: (5 + 0.10 + 1) + (5 + 0.20 + 1) = 12.30 (+ penalty); DC: 5 + 8 + 2 = 15.00.
    d = route({"costs": {"shipment_penalty": penalty}}, net, order(("A", 1), ("B", 1)))
    assert chosen(d) == expected and money(d.total) == Decimal(total)


def test_location_priority_lower_number_preferred() -> None:
    net = network(
        [loc("S01", 10, priority=3), loc("S02", 10, priority=1)], {("S01", "A"): 5, ("S02", "A"): 5}, ITEMS
    )
    d = route({"costs": {"priority_cost": "0.50"}}, net, order(("A", 1)))
    assert chosen(d) == ["S02"] and money(d.total) == Decimal("6.60")
    assert d.runner_up.differences == {"priority": 10_000}


def test_labour_per_unit_by_location_type() -> None:
    net = network([loc("S01", 10), loc("DC1", 50, "dc")], {("S01", "A"): 5, ("DC1", "A"): 5}, ITEMS)
    rules = {"costs": {"labour_per_unit": {"store": "0.50", "dc": "0.25"}}}
    # S01: 5 + 0.10 + 4 + 4 × 0.50 = 11.10; DC1: 5 + 0.50 + 4 + 4 × 0.25 = 10.50
    d = route(rules, net, order(("A", 4)))
    assert chosen(d) == ["DC1"] and money(d.total) == Decimal("10.50")
    assert d.candidate("S01").scores == {"shipping": 91_000, "labour": 20_000}


def test_capacity_utilisation_after_this_order() -> None:
    net = network(
        [loc("S01", 10, daily_capacity=10, used_capacity_today=8), loc("S02", 60, daily_capacity=10)],
        {("S01", "A"): 5, ("S02", "A"): 5},
        ITEMS,
    )
    # S01: 6.10 + 10 × 9/10 = 15.10; S02: 6.60 + 10 × 1/10 = 7.60
    d = route({"costs": {"capacity_penalty": "10"}}, net, order(("A", 1)))
    assert chosen(d) == ["S02"] and money(d.total) == Decimal("7.60")
    assert d.candidate("S01").scores["capacity"] == 90_000


def test_overstock_bonus_per_day_of_supply_capped() -> None:
    net = network(
        [loc("S01", 10), loc("S02", 50)], {("S01", "A"): (10, 10, 1.0), ("S02", "A"): (100, 100, 1.0)}, ITEMS
    )
    # S01: 6.10 - 0.10 × 10 days = 5.10; S02: 6.50 - 0.10 × min(100, 30) days = 3.50
    d = route({"costs": {"overstock_bonus_per_day": "0.10", "overstock_max_days": 30}}, net, order(("A", 1)))
    assert chosen(d) == ["S02"] and money(d.total) == Decimal("3.50")
    assert d.candidate("S02").scores["overstock"] == -30_000


def test_promise_miss_penalty() -> None:
    net = network(
        [loc("S01", 10, postal_code="11111"), loc("S02", 10, postal_code="22222")],
        {("S01", "A"): 5, ("S02", "A"): 5},
        ITEMS,
    )
    quoter = TableQuoter({"11111": ("6.00", 3), "22222": ("9.00", 1)})
    promise = PLACED + timedelta(days=1)
    rules = {"costs": {"promise_miss_penalty": "10"}}
    d = route(rules, net, order(("A", 1), promise_by=promise), quoter)
    assert chosen(d) == ["S02"] and money(d.total) == Decimal("9.00")
    assert d.runner_up.differences == {"shipping": -30_000, "promise_miss": 100_000}
    assert chosen(route(rules, net, order(("A", 1)), quoter)) == ["S01"]  # no promise, no penalty


def _tie_network():
    locs = [loc("S01", 30, postal_code="11111"), loc("S02", 10, postal_code="22222")]
    return network(locs, {("S01", "A"): 5, ("S02", "A"): 5}, ITEMS), TableQuoter(
        {"11111": ("7.00", 1), "22222": ("7.00", 1)}
    )


@pytest.mark.parametrize(
    ("ties", "expected"),
    [
        (["shortest_distance", "location_code"], "S02"),
        (["location_code", "shortest_distance"], "S01"),
        ([], "S01"),  # location code is always the last word
    ],
)
def test_equal_costs_follow_the_declared_tie_breaks(ties: list[str], expected: str) -> None:
    net, quoter = _tie_network()
    d = route({"costs": {"tie_breaks": ties}}, net, order(("A", 1)), quoter)
    assert chosen(d) == [expected]
    assert d.runner_up.difference == 0
    assert "would have cost the same, and the rule set's tie-breaks decided" in d.summary


@pytest.mark.parametrize(
    ("ties", "expected"),
    [
        (["fewest_shipments", "location_code"], ["Z9"]),
        (["location_code"], ["S01", "S02"]),
    ],
)
def test_fewest_shipments_tie_break(ties: list[str], expected: list[str]) -> None:
    locs = [
        loc("S01", 10, postal_code="11111"),
        loc("S02", 10, postal_code="22222"),
        loc("Z9", 10, postal_code="99999"),
    ]
    net = network(locs, {("S01", "A"): 5, ("S02", "B"): 5, ("Z9", "A"): 5, ("Z9", "B"): 5}, ITEMS)
    quoter = TableQuoter({"11111": ("6.00", 1), "22222": ("6.00", 1), "99999": ("12.00", 1)})
    d = route({"costs": {"tie_breaks": ties}}, net, order(("A", 1), ("B", 1)), quoter)
    assert chosen(d) == expected and money(d.total) == Decimal("12.00")


def test_lowest_priority_tie_break() -> None:
    net, quoter = _tie_network()
    net.locations["S01"] = loc("S01", 30, postal_code="11111", priority=0)
    net.locations["S02"] = loc("S02", 10, postal_code="22222", priority=5)
    d = route({"costs": {"tie_breaks": ["lowest_priority"]}}, net, order(("A", 1)), quoter)
    assert chosen(d) == ["S01"]
