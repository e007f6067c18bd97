"""Compiled loops settle an order whose bundles travel whole exactly as the Python steps do.

Every order is settled both ways (single-location plans, the proof, the search): the best plan,
the runner-up, whether the answer is proven and how many nodes were visited must all agree.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import cache
from inspect import signature

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.demo.network import DemoSizes, build_network
from core.demo.orders import order_stream
from core.routing import planner as planner_module
from core.routing import settle as settle_module
from core.routing import whole_search
from core.routing.bench_setup import demo_snapshot
from core.routing.journal import Journal
from core.routing.planner import Planner
from core.routing.problem import Problem
from core.routing.rates import RateBroker, load_sample_rate_sheet
from core.routing.rules import default_rule_set, validate_rule_set
from core.routing.search import Outcome
from core.routing.search_kernel import search_whole
from core.routing.seed_kernel import seed_whole
from core.routing.settle import settle, settle_in_python
from tests.core.routing.planner_kit import HOME, item, loc, network, order, steep_sheet

Seen = list[tuple[Outcome, Outcome]]


def _summary(out: Outcome) -> tuple[object, ...]:
    def plan(p: object) -> object:
        return None if p is None else (p.key, p.parts, p.locations)  # type: ignore[attr-defined]

    return plan(out.best), plan(out.runner_up), out.exact, out.nodes


@contextmanager
def both_ways(*, always: bool = False) -> Iterator[Seen]:
    """Route with the planner's own steps, settling each order in Python first from the same start;
    `always`: search even orders a single location is proven best for."""
    seen: Seen = []

    def both(p: Problem, out: Outcome, search: bool) -> None:
        reference = Outcome(out.best, out.runner_up, out.exact, out.nodes)
        settle_in_python(p, reference, search)
        settle(p, out, search)
        seen.append((reference, out))

    with pytest.MonkeyPatch.context() as m:
        m.setattr(planner_module, "settle", both)
        if always:
            m.setattr(settle_module, "single_location_is_optimal", lambda p, best: False)
            m.setattr(whole_search, "seed_whole", _seed_never_proven)
        yield seen


def _seed_never_proven(*args):  # type: ignore[no-untyped-def]
    """`seed_whole`, then "search" whenever there is anything to search, as if no proof held."""
    given = signature(seed_whole.py_func).bind(*args).arguments
    must_search, unquoted = seed_whole(*args)
    if len(unquoted):
        return must_search, unquoted
    return bool(given["prove"] and given["starts"][-1] > 0), unquoted


@cache
def _demo():  # type: ignore[no-untyped-def]
    return build_network(DemoSizes.for_locations(40, 800, 3))


def test_a_day_of_orders_searches_alike() -> None:
    demo = _demo()
    net = demo_snapshot(demo)
    journal = Journal(net)
    planner = Planner(default_rule_set(), RateBroker(load_sample_rate_sheet()))
    start = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
    with both_ways() as seen:
        for placed in order_stream(demo, 600, start=start, every=timedelta(minutes=2)):
            journal.allocate(planner.route(placed, net))
    assert len(seen) > 20  # orders that searched
    assert search_whole.signatures  # and the compiled loop ran them
    for reference, compiled in seen:
        assert _summary(compiled) == _summary(reference)


@st.composite
def whole_orders(draw):  # type: ignore[no-untyped-def]
    """Up to 16 locations, many of them twins (same distance band, type and stock), and up to
    seven lines that travel whole, under any tie-breaks and at times a small node budget; priced
    by the sample rate sheet or by one where two light parcels beat one heavy one (deep searches)."""
    kinds = ["store", "dc", "3pl"]
    n_locs = draw(st.integers(2, 16))
    locs = [
        loc(f"L{i:02d}", draw(st.sampled_from([5, 40, 40, 300, 900])), draw(st.sampled_from(kinds)),
            priority=draw(st.integers(0, 2)))
        for i in range(n_locs)
    ]  # fmt: skip
    n_lines = draw(st.integers(1, 7))
    items = [
        item(f"I{j}", kg=draw(st.sampled_from(["0.5", "2", "4", "9", "24"])), group=draw(st.sampled_from(["", "", "g"])),
             price=draw(st.sampled_from(["4.00", "30.00"])))
        for j in range(n_lines)
    ]  # fmt: skip
    qty = [draw(st.integers(1, 2)) for _ in range(n_lines)]
    sparse = draw(st.booleans())  # few locations hold several lines: plans must split
    stock = {
        (lc.code, it.sku): draw(st.integers(1, 3))
        for lc in locs
        for it in items
        if draw(st.integers(0, 3)) >= (2 if sparse else 1)
    }
    ties = draw(
        st.permutations(["fewest_shipments", "shortest_distance", "lowest_priority", "location_code"])
    )
    rules = {
        "costs": {
            "shipment_penalty": draw(st.sampled_from(["0", "0", "1.50", "5"])),
            "labour_per_unit": {"store": "0.50", "dc": "0.25"},
            "promise_miss_penalty": "10",
            "tie_breaks": ties[: draw(st.integers(0, 4))],
        },
        "split": {
            "max_shipments": draw(st.integers(1, 4)),
            "keep_groups_together": draw(st.booleans()),
            "min_shipment_value": draw(st.sampled_from(["0", "15"])),
        },
    }
    # Below the 100 a rule set may set: searches run out of nodes mid-tree.
    return locs, items, qty, stock, rules, draw(st.booleans()), draw(st.sampled_from([2, 5, 9, 20_000]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(whole_orders())
def test_random_orders_search_alike(scenario) -> None:  # type: ignore[no-untyped-def]
    locs, items, qty, stock, rules, steep, max_nodes = scenario
    net = network(locs, stock, items)
    planner = Planner(
        validate_rule_set(rules), steep_sheet() if steep else RateBroker(load_sample_rate_sheet())
    )
    planner.rules = replace(planner.rules, max_nodes=max_nodes)
    placed = order(*[(it.sku, q) for it, q in zip(items, qty, strict=True)])
    with both_ways(always=True) as seen:
        planner.route(placed, net, destination=HOME)
    for reference, compiled in seen:
        assert _summary(compiled) == _summary(reference)


def test_an_order_of_many_bundles_is_settled_by_the_python_steps() -> None:
    """The compiled loops check every weight some bundles make together (2 ** bundles of them), so an
    order of more bundles than `MAX_COMPILED_BUNDLES` goes the Python way, and is routed all the same."""
    count = settle_module.MAX_COMPILED_BUNDLES + 3
    items = [item(f"I{j:02d}", kg="1") for j in range(count)]
    stores = [loc("S01", 10), loc("S02", 20), loc("S03", 30)]
    stock = {(lc.code, it.sku): 2 for lc in stores for it in items}
    placed = order(*[(it.sku, 1) for it in items])

    def refused(*args):  # type: ignore[no-untyped-def]
        raise AssertionError("the compiled loops were asked to settle an order of many bundles")

    with pytest.MonkeyPatch.context() as m:
        m.setattr(whole_search, "seed_whole", refused)
        decision = Planner(default_rule_set(), RateBroker(load_sample_rate_sheet())).route(
            placed, network(stores, stock, items), destination=HOME
        )
    assert [(s.location, len(s.lines)) for s in decision.shipments] == [("S01", count)]
    assert decision.exact
