"""The naive closest-first router: what it picks, that it keeps the split policy, never beats the planner."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings

from core.routing.baseline import BaselineRouter
from core.routing.optimum import exact_optimum
from core.routing.rules import validate_rule_set
from tests.core.routing.planner_kit import HOME, DistanceQuoter, TableQuoter, item, loc, network, order, route
from tests.core.routing.test_planner_optimal import scenarios


def baseline(rules, net, the_order, quoter=None, **kw):
    router = BaselineRouter(validate_rule_set(rules), quoter or DistanceQuoter())
    return router.route(the_order, net, destination=kw.pop("destination", HOME))


def shipped(d) -> dict[str, list[tuple[str, int]]]:
    return {s.location: list(s.lines) for s in d.shipments}


def money(ticks: int | None) -> Decimal:
    assert ticks is not None
    return Decimal(ticks) / 10_000


def key(d) -> tuple[int, int]:
    """How the planner ranks plans: unplaced units first, then cost."""
    return sum(u.qty for u in d.unplaced), d.total or 0


def test_closest_store_against_a_cheaper_dc() -> None:
    net = network(
        [loc("S01", 5, postal_code="11111"), loc("DC1", 400, "dc", postal_code="22222")],
        {("S01", "A"): 5, ("DC1", "A"): 5},
        [item("A")],
    )
    quoter = TableQuoter({"11111": ("9.00", 1), "22222": ("6.00", 2)})
    d = baseline({}, net, order(("A", 1)), quoter)
    assert shipped(d) == {"S01": [("A", 1)]} and money(d.total) == Decimal("9.00")
    assert (d.method, d.exact, d.status) == ("baseline", False, "routed")
    planned = route({}, net, order(("A", 1)), quoter)
    assert shipped(planned) == {"DC1": [("A", 1)]} and money(planned.total) == Decimal("6.00")


def test_same_plan_same_total_as_the_planner() -> None:
    net = network([loc("S01", 10), loc("S02", 100)], {("S01", "A"): 5, ("S02", "A"): 5}, [item("A")])
    d, planned = baseline({}, net, order(("A", 1))), route({}, net, order(("A", 1)))
    assert shipped(d) == shipped(planned) and d.total == planned.total == 61_000  # 5 + 0.10 + 1
    assert d.scores == planned.scores
    assert "Loc S01" in d.text


def _cover_network():
    # X, the closest, has the most items, but E and F then need two more parcels; Y + Z is two.
    letters = "ABCDEF"
    held = {"X": "ABCD", "Y": "ABE", "Z": "CDF"}
    locs = [loc("X", 5), loc("Y", 50), loc("Z", 60)]
    stock = {(code, sku): 3 for code, skus in held.items() for sku in skus}
    return network(locs, stock, [item(s) for s in letters]), order(*[(s, 1) for s in letters])


def test_greedy_split_uses_more_shipments_than_needed() -> None:
    net, the_order = _cover_network()
    rules = {"costs": {"shipment_penalty": "5"}}
    d = baseline(rules, net, the_order)
    assert shipped(d) == {
        "X": [("A", 1), ("B", 1), ("C", 1), ("D", 1)],
        "Y": [("E", 1)],
        "Z": [("F", 1)],
    }
    # X: 5 + 0.05 + 4; Y: 5 + 0.50 + 1; Z: 5 + 0.60 + 1; two extra shipments at 5.
    assert money(d.total) == Decimal("32.15")
    planned = route(rules, net, the_order)
    assert sorted(shipped(planned)) == ["Y", "Z"] and money(planned.total) == Decimal("22.10")


def test_closest_of_the_locations_giving_most_units_splits_units() -> None:
    net = network(
        [loc("S01", 10), loc("S02", 20), loc("S03", 5)],
        {("S01", "A"): 3, ("S02", "A"): 2, ("S03", "A"): 1},
        [item("A")],
    )
    d = baseline({"split": {"split_line_units": True}}, net, order(("A", 5)))
    assert shipped(d) == {"S01": [("A", 3)], "S02": [("A", 2)]} and d.status == "routed"
    d = baseline({"split": {"split_line_units": True, "max_shipments": 1}}, net, order(("A", 5)))
    assert shipped(d) == {"S01": [("A", 3)]}
    assert [(u.sku, u.qty) for u in d.unplaced] == [("A", 2)]


def test_max_shipments_leaves_the_rest_unplaced() -> None:
    net = network(
        [loc("S01", 10), loc("S02", 20), loc("S03", 30)],
        {("S01", "A"): 5, ("S02", "B"): 5, ("S03", "C"): 5},
        [item("A"), item("B"), item("C")],
    )
    d = baseline({"split": {"max_shipments": 2}}, net, order(("A", 1), ("B", 1), ("C", 1)))
    assert d.status == "partially_routed"
    assert shipped(d) == {"S01": [("A", 1)], "S02": [("B", 1)]}
    [u] = d.unplaced
    assert (u.sku, u.qty) == ("C", 1) and "split policy" in u.reason


def test_minimum_shipment_value_is_respected() -> None:
    net = network(
        [loc("S01", 10), loc("S02", 20)],
        {("S01", "A"): 5, ("S01", "B"): 5, ("S02", "C"): 5},
        [item("A"), item("B"), item("C")],
    )
    the_order = order(("A", 1), ("B", 1), ("C", 1), price="10.00")
    d = baseline({"split": {"min_shipment_value": "15"}}, net, the_order)  # C alone is worth 10
    assert shipped(d) == {"S01": [("A", 1), ("B", 1)]}
    assert [u.sku for u in d.unplaced] == ["C"]
    assert len(baseline({}, net, the_order).shipments) == 2


def test_nothing_to_route() -> None:
    net = network([loc("S01", 10)], {("S01", "A"): 5}, [item("A")])
    d = baseline({}, net, order(("B", 1)))
    assert (d.status, d.total, d.method, d.exact) == ("unfulfillable", None, "baseline", False)
    d = baseline({}, net, order(("A", 1), method="pickup", pickup="NOPE"), destination=None)
    assert (d.status, d.method) == ("unfulfillable", "baseline")
    assert "pickup store NOPE is not a known location" in d.unplaced[0].reason


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_baseline_never_beats_the_planner_or_the_optimum(scenario) -> None:
    locs, items, qty, stock, rules = scenario
    net = network(locs, stock, items)
    the_order = order(*[(it.sku, q) for it, q in zip(items, qty, strict=True)])
    d = baseline(rules, net, the_order)
    planned = route(rules, net, the_order)
    assert len(d.shipments) <= rules["split"]["max_shipments"]
    best = exact_optimum(the_order, net, validate_rule_set(rules), DistanceQuoter(), destination=HOME)
    if best is None:
        assert not d.shipments
    if planned.exact:  # then the planner places as many units as any plan can
        assert key(d) >= key(planned)
        if key(d)[0] == key(planned)[0] and best is not None:
            assert d.total is not None and d.total >= best
