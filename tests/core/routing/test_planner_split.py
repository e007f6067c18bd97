"""Split policies: never, up to N shipments, unit splits, item groups, minimum shipment value."""

from __future__ import annotations

from decimal import Decimal

from core.routing.explain import why_not
from tests.core.routing.planner_kit import item, loc, network, order, route


def shipped(d) -> dict[str, list[tuple[str, int]]]:
    return {s.location: list(s.lines) for s in d.shipments}


def _three_stores():
    # A only at S01, B only at S02, C only at S03; each 10-30 km away.
    locs = [loc("S01", 10), loc("S02", 20), loc("S03", 30)]
    return network(
        locs, {("S01", "A"): 5, ("S02", "B"): 5, ("S03", "C"): 5}, [item("A"), item("B"), item("C")]
    )


def test_never_split_places_what_one_location_can_and_says_why_not_the_rest() -> None:
    d = route({"split": {"max_shipments": 1}}, _three_stores(), order(("A", 1), ("B", 1)))
    assert d.status == "partially_routed"
    assert shipped(d) == {"S01": [("A", 1)]}  # equal units unplaced either way: S01 is cheaper
    [u] = d.unplaced
    assert (u.sku, u.qty) == ("B", 1)
    assert (
        u.reason
        == "B is in stock elsewhere, but the split policy (at most 1 shipment(s)) leaves no room for it"
    )
    assert "1 × B could not be placed" in d.text


def test_split_up_to_n_shipments() -> None:
    the_order = order(("A", 1), ("B", 1), ("C", 1))
    d = route({"split": {"max_shipments": 2}}, _three_stores(), the_order)
    assert d.status == "partially_routed" and shipped(d) == {"S01": [("A", 1)], "S02": [("B", 1)]}
    d = route({"split": {"max_shipments": 3}}, _three_stores(), the_order)
    assert d.status == "routed" and len(d.shipments) == 3
    assert d.summary.startswith("Split into 3 shipments because no single eligible location had every item:")


def test_unit_split_of_a_line() -> None:
    net = network([loc("S01", 10), loc("S02", 20)], {("S01", "A"): 3, ("S02", "A"): 2}, [item("A")])
    d = route({}, net, order(("A", 5)))
    assert d.status == "unfulfillable"
    assert "A: ATP 3 less brokering safety stock 0 leaves 3, 5 needed" in d.unplaced[0].reason
    d = route({"split": {"split_line_units": True}}, net, order(("A", 5)))
    assert d.status == "routed" and shipped(d) == {"S01": [("A", 3)], "S02": [("A", 2)]}
    # 5 + 0.10 + 3 kg and 5 + 0.20 + 2 kg
    assert Decimal(d.total) / 10_000 == Decimal("15.30")


def test_unit_split_leaves_the_units_nobody_has() -> None:
    net = network([loc("S01", 10), loc("S02", 20)], {("S01", "A"): 3, ("S02", "A"): 1}, [item("A")])
    d = route({"split": {"split_line_units": True}}, net, order(("A", 6)))
    assert d.status == "partially_routed"
    assert shipped(d) == {"S01": [("A", 3)], "S02": [("A", 1)]}
    assert [(u.sku, u.qty, u.reason) for u in d.unplaced] == [
        ("A", 2, "only 4 of 6 units of A are available at eligible locations")
    ]


def _group_network():
    items = [item("A", group="set"), item("B", group="set")]
    locs = [loc("S01", 1000), loc("S02", 10), loc("S03", 10)]
    return network(locs, {("S01", "A"): 1, ("S01", "B"): 1, ("S02", "B"): 1, ("S03", "A"): 1}, items)


def test_item_groups_stay_together() -> None:
    # Split S03 + S02: 6.10 + 6.10 = 12.20; together from S01: 5 + 10 + 2 = 17.00.
    d = route({"split": {"keep_groups_together": False}}, _group_network(), order(("A", 1), ("B", 1)))
    assert shipped(d) == {"S02": [("B", 1)], "S03": [("A", 1)]}
    d = route({}, _group_network(), order(("A", 1), ("B", 1)))
    assert shipped(d) == {"S01": [("A", 1), ("B", 1)]}
    assert Decimal(d.total) / 10_000 == Decimal("17.00")
    assert why_not(d, "S02").startswith("Loc S02 (S02) was not used: it could supply only 1 of the 2 items")


def test_minimum_shipment_value_rules_out_small_splits() -> None:
    locs = [loc("S01", 10), loc("S02", 20), loc("DC1", 800, "dc")]
    net = network(
        locs, {("S01", "A"): 5, ("S02", "B"): 5, ("DC1", "A"): 5, ("DC1", "B"): 5}, [item("A"), item("B")]
    )
    the_order = order(("A", 1), ("B", 1), price="10.00")
    assert len(route({}, net, the_order).shipments) == 2  # 12.30 split beats 15.00 from the DC
    d = route({"split": {"min_shipment_value": "15"}}, net, the_order)
    assert shipped(d) == {"DC1": [("A", 1), ("B", 1)]}
