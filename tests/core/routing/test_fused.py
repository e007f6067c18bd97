"""Settling in one compiled call gives what the separate steps give, and steps aside when it must.

`core.routing.fused.settle_at_once` answers for most orders, finding lanes and quotes never met
and excluding locations no carrier serves on the way, and returns None where it cannot (every
location unserved, charted origins, lines that may split); the planner then takes the separate
steps.
Every order here is routed both ways on the same state, and the decisions must match to the letter.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from functools import cache

import pytest

import core.routing.planner as planner_module
from core.demo.network import DemoSizes, build_network
from core.demo.orders import order_stream
from core.routing.bench_setup import demo_snapshot
from core.routing.fused import settle_at_once
from core.routing.journal import Journal
from core.routing.planner import Planner
from core.routing.rates import RateBroker, load_sample_rate_sheet
from core.routing.rules import default_rule_set
from tests.core.routing.planner_kit import HOME, item, loc, network, order, steep_sheet


@cache
def _demo():
    return build_network(DemoSizes.for_locations(30, 1500))


def _counting(answered: list[bool]):  # type: ignore[no-untyped-def]
    """`settle_at_once`, noting in `answered` whether each call settled the order."""

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        found = settle_at_once(*args, **kwargs)
        answered.append(found is not None)
        return found

    return counted


def test_a_day_settled_at_once_matches_the_separate_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    demo = _demo()
    net = demo_snapshot(demo)
    planner = Planner(default_rule_set(), RateBroker(load_sample_rate_sheet()))
    answered: list[bool] = []
    counted = _counting(answered)
    journal = Journal(net)
    orders = order_stream(demo, 400, start=datetime(2026, 3, 2, 6, 0, tzinfo=UTC), every=timedelta(minutes=3))
    for placed in orders:
        monkeypatch.setattr(planner_module, "settle_at_once", counted)
        at_once = planner.route(placed, net)
        monkeypatch.setattr(planner_module, "settle_at_once", lambda *args, **kwargs: None)
        stepwise = planner.route(placed, net)
        assert at_once.to_json() == stepwise.to_json()
        assert at_once.to_stored() == stepwise.to_stored()
        journal.allocate(at_once)
    # Both ways were taken: some orders meet quotes never asked for, or a location no carrier serves.
    tally = Counter(answered)
    assert tally[True] > tally[False] > 0


def test_locations_no_carrier_serves_are_excluded_as_the_separate_steps_exclude_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """S01 would send both lines, 24 kg, which no tier takes; S02 only one, 12 kg."""
    net = network(
        [loc("S01", 100), loc("S02", 200)],
        {("S01", "A"): 6, ("S01", "B"): 6, ("S02", "A"): 6},
        [item("A", kg="2"), item("B", kg="2")],
    )
    planner = Planner(default_rule_set(), steep_sheet())  # no tier above 20 kg
    answered: list[bool] = []
    monkeypatch.setattr(planner_module, "settle_at_once", _counting(answered))
    at_once = planner.route(order(("A", 6), ("B", 6)), net, destination=HOME)
    monkeypatch.setattr(planner_module, "settle_at_once", lambda *args, **kwargs: None)
    stepwise = planner.route(order(("A", 6), ("B", 6)), net, destination=HOME)
    assert answered == [True]
    assert at_once.to_json() == stepwise.to_json()
    assert at_once.candidate("S01").excluded_by == "no_carrier"
    assert [s.location for s in at_once.shipments] == ["S02"]


def test_an_order_no_carrier_serves_at_all_is_left_to_the_separate_steps(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The separate steps exclude every location ("no_carrier") and find nothing to settle."""
    answered: list[bool] = []
    monkeypatch.setattr(planner_module, "settle_at_once", _counting(answered))
    net = network(
        [loc("S01", 100), loc("S02", 200)],
        {("S01", "HEAVY"): 5, ("S02", "HEAVY"): 5, ("S02", "LIGHT"): 5},
        [item("HEAVY", kg="25"), item("LIGHT", kg="2")],
    )
    planner = Planner(default_rule_set(), steep_sheet())
    heavy = planner.route(order(("HEAVY", 1)), net, destination=HOME)
    light = planner.route(order(("LIGHT", 1)), net, destination=HOME)
    assert answered == [False, True]
    assert {c.excluded_by for c in heavy.candidates} == {"no_carrier"}
    assert [s.location for s in light.shipments] == ["S02"]


def test_the_locations_left_after_an_exclusion_keep_their_per_line_rows_row_major(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The compiled loops are compiled once per array layout: a column-major copy of the per-line
    matrices (what `[:, at]` gives for two lines) would have them compiled again, in the process
    routing the order."""
    net = network(
        [loc("S01", 100), loc("S02", 200), loc("S03", 300)],
        {("S01", "A"): 6, ("S01", "B"): 6, ("S02", "A"): 6, ("S03", "B"): 6},
        [item("A", kg="2"), item("B", kg="2")],
    )
    found: list[tuple[object, ...]] = []

    def kept(*args, **kwargs):  # type: ignore[no-untyped-def]
        found.append(settle_at_once(*args, **kwargs))
        return found[-1]

    monkeypatch.setattr(planner_module, "settle_at_once", kept)
    decision = Planner(default_rule_set(), steep_sheet()).route(
        order(("A", 6), ("B", 6)), net, destination=HOME
    )
    assert decision.candidate("S01").excluded_by == "no_carrier"  # S01 alone would send 24 kg
    settled = found[0]
    assert settled is not None
    cands = settled[0].cands  # type: ignore[attr-defined]
    assert list(cands.codes) == ["S02", "S03"]
    assert cands.usable.flags.c_contiguous and cands.overstock.flags.c_contiguous
