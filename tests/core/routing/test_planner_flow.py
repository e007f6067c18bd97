"""Orders in a stream: capacity used up by earlier orders, re-routing after a rejection, big orders."""

from __future__ import annotations

from core.routing.planner import Planner
from core.routing.rules import validate_rule_set
from tests.core.routing.planner_kit import HOME, DistanceQuoter, item, loc, network, order, route


def test_capacity_is_respected_across_a_stream_of_orders() -> None:
    net = network(
        [loc("S01", 10, daily_capacity=2), loc("S02", 300)], {("S01", "A"): 50, ("S02", "A"): 50}, [item("A")]
    )
    planner = Planner(validate_rule_set({}), DistanceQuoter())
    went = []
    for n in range(4):
        d = planner.route(order(("A", 1), order_id=f"O-{n}"), net, destination=HOME)
        for s in d.shipments:
            net.record_fulfilment(s.location)  # what the caller does when it commits the decision
        went.append(d.shipments[0].location)
    assert went == ["S01", "S01", "S02", "S02"]
    assert d.candidate("S01").reason == "at daily capacity 2/2"


def test_reroute_excludes_the_store_that_rejected_the_lines() -> None:
    net = network([loc("S01", 10), loc("S02", 30)], {("S01", "A"): 5, ("S02", "A"): 5}, [item("A")])
    first = route({}, net, order(("A", 1)))
    assert first.shipments[0].location == "S01"
    again = route({}, net, order(("A", 1)), exclude_locations={"S01": "rejected by the store: damaged"})
    assert again.shipments[0].location == "S02"
    c = again.candidate("S01")
    assert (c.excluded_by, c.reason) == (
        "excluded",
        "excluded for this order (rejected by the store: damaged)",
    )
    plain = route({}, net, order(("A", 1)), exclude_locations=["S01"])
    assert plain.candidate("S01").reason == "excluded for this order (re-routed away from it)"


def test_unknown_product_and_unknown_pickup_store_are_outcomes_not_errors() -> None:
    net = network([loc("S01", 10)], {("S01", "A"): 5}, [item("A")])
    d = route({}, net, order(("A", 1), ("ZZ", 2)))
    assert d.status == "partially_routed"
    assert [(u.sku, u.qty, u.reason) for u in d.unplaced] == [("ZZ", 2, "ZZ is not a known product")]
    d = route({}, net, order(("A", 1), method="pickup", pickup="S99"), destination=None)
    assert d.status == "unfulfillable" and d.unplaced[0].reason == "pickup store S99 is not a known location"


def _wide_network(n_locs: int, skus: list[str]):
    locs = [loc(f"L{i:02d}", 10 + 37 * i % 900) for i in range(n_locs)]
    stock = {(lc.code, sku): (i + j) % 3 for i, lc in enumerate(locs) for j, sku in enumerate(skus)}
    return network(locs, stock, [item(s) for s in skus])


def test_eight_lines_over_many_locations_is_still_exact() -> None:
    skus = [f"K{j}" for j in range(8)]
    d = route({"costs": {"shipment_penalty": "2"}}, _wide_network(60, skus), order(*[(s, 1) for s in skus]))
    assert d.exact and d.method == "branch_and_bound"
    assert d.status == "routed"


def test_beyond_the_size_limit_the_heuristic_is_declared() -> None:
    skus = [f"K{j}" for j in range(4)]
    rules = {"search": {"exact_max_size": 10}}
    d = route(rules, _wide_network(12, skus), order(*[(s, 1) for s in skus]))
    assert (d.exact, d.method) == (False, "heuristic")
    assert d.status == "routed"
    assert "a heuristic chose the plan" in d.text
    exact = route({}, _wide_network(12, skus), order(*[(s, 1) for s in skus]))
    assert exact.total <= d.total


def test_node_budget_stops_the_search_and_says_so() -> None:
    skus = [f"K{j}" for j in range(6)]
    the_order = order(*[(s, 1) for s in skus])
    d = route({"search": {"max_nodes": 100}}, _wide_network(30, skus), the_order)
    assert (d.exact, d.method) == (False, "branch_and_bound_truncated")
    assert d.status == "routed"  # the best plan found so far still stands
    full = route({}, _wide_network(30, skus), the_order)
    assert full.exact and full.total <= d.total
