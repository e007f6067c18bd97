"""The screening columns follow the snapshot: later orders see the stock and capacity earlier ones used."""

from __future__ import annotations

from dataclasses import replace

from core.routing.snapshot import StockLevel
from tests.core.routing.planner_kit import item, loc, network, order, route

ITEMS = [item("A"), item("B")]


def test_reserved_stock_is_seen_by_the_next_order() -> None:
    net = network([loc("S01", 10), loc("S02", 100)], {("S01", "A"): 1, ("S02", "A"): 5}, ITEMS)
    assert [s.location for s in route({}, net, order(("A", 1))).shipments] == ["S01"]
    net.set_stock("S01", "A", StockLevel(0))
    d = route({}, net, order(("A", 1)))
    assert [s.location for s in d.shipments] == ["S02"]
    c = d.candidate("S01")
    assert c is not None and c.excluded_by == "stock"
    assert c.values == {"sku": "A", "atp": 0, "safety": 0, "usable": 0, "needed": 1}


def test_a_dropped_stock_row_leaves_the_location_unconsidered() -> None:
    net = network([loc("S01", 10), loc("S02", 100)], {("S01", "A"): 1, ("S02", "A"): 5}, ITEMS)
    route({}, net, order(("A", 1)))
    net.drop_stock("S01", "A")
    d = route({}, net, order(("A", 1)))
    assert d.candidate("S01") is None
    net.set_stock("S01", "B", StockLevel(3))
    assert d.candidate("S01") is None
    assert [s.location for s in route({}, net, order(("B", 1))).shipments] == ["S01"]


def test_capacity_used_and_replaced_locations_are_seen_by_the_next_order() -> None:
    net = network(
        [loc("S01", 10, daily_capacity=1), loc("S02", 100)], {("S01", "A"): 5, ("S02", "A"): 5}, ITEMS
    )
    assert [s.location for s in route({}, net, order(("A", 1))).shipments] == ["S01"]
    net.record_fulfilment("S01")
    d = route({}, net, order(("A", 1)))
    assert [s.location for s in d.shipments] == ["S02"]
    assert d.candidate("S01").values == {"used": 1, "capacity": 1}  # type: ignore[union-attr]
    net.locations["S02"] = replace(net.locations["S02"], enabled=False)
    d = route({}, net, order(("A", 1)))
    assert d.shipments == []
    assert d.candidate("S02").excluded_by == "disabled"  # type: ignore[union-attr]


def test_a_new_location_is_screened() -> None:
    net = network([loc("S02", 100)], {("S02", "A"): 5}, ITEMS)
    route({}, net, order(("A", 1)))
    net.locations["S01"] = loc("S01", 10)
    net.set_stock("S01", "A", StockLevel(2))
    assert [s.location for s in route({}, net, order(("A", 1))).shipments] == ["S01"]


def test_origin_groups_follow_a_location_that_moves_time_zone() -> None:
    """The rate broker's lanes group origins by these numbers: a stale one would misprice a store."""
    net = network([loc("S01", 10), loc("S02", 100)], {("S01", "A"): 5, ("S02", "A"): 5}, ITEMS)
    route({}, net, order(("A", 1)))
    cols = net.columns()
    assert cols.origin[0] == cols.origin[1]
    net.locations["S02"] = replace(net.locations["S02"], timezone="America/Denver")
    cols = net.columns()
    assert cols.origin[0] != cols.origin[1]
    net.record_fulfilment("S02")
    assert net.columns().origin[1] == cols.origin[1] and net.columns().used[1] == 1
