"""The MILP optimum: equal to brute force, to the planner whenever it claims exactness, None when hopeless."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.domain.geo import distance_km
from core.routing import optimum
from core.routing.baseline import prepare
from core.routing.compiled import compile_rules
from core.routing.optimum import OptimumTooLargeError, exact_optimum
from core.routing.problem import Part, Problem
from core.routing.rules import validate_rule_set
from core.routing.shipping import RateQuote, ShipmentRequest
from tests.core.routing.planner_kit import PLACED, DistanceQuoter, item, loc, network, order, route
from tests.core.routing.test_planner_optimal import brute_force, scenarios


@dataclass(frozen=True)
class TierQuoter:
    """Price by weight tier (kg limit, price) + $per_km; weights past the last tier have no carrier.

    Tiers need not rise with weight: the optimum must be exact for any rate sheet.
    """

    tiers: tuple[tuple[str, str], ...]
    per_km: Decimal = Decimal("0.01")

    def quote(self, request: ShipmentRequest) -> RateQuote | None:
        price = next((Decimal(p) for kg, p in self.tiers if request.weight_kg <= Decimal(kg)), None)
        if price is None:
            return None
        o, d = request.origin, request.destination
        km = Decimal(str(round(distance_km(o.latitude, o.longitude, d.latitude, d.longitude))))
        cost = (price + self.per_km * km).quantize(Decimal("0.01"), ROUND_HALF_UP)
        days = 1 + int(km) // 500
        ship = request.ready_at.date()
        eta = ship + timedelta(days=days)
        meets = request.promise_by is None or eta <= request.promise_by.date()
        return RateQuote("Tiers", "ground", cost, days, ship, eta, meets)


RISING = (("1", "4.00"), ("2.5", "5.50"), ("6", "7.25"), ("1000", "12.00"))
BUMPY = (("1", "6.00"), ("2", "3.00"), ("3", "6.00"), ("5", "2.50"), ("7", "9.00"))


def optimum_of(rules, net, the_order, quoter=None) -> int | None:
    return exact_optimum(the_order, net, validate_rule_set(rules), quoter or DistanceQuoter())


def _three_holders():
    locs = [loc("S01", 10), loc("S02", 20), loc("DC1", 800, "dc")]
    stock = {("S01", "A"): 5, ("S02", "B"): 5, ("DC1", "A"): 5, ("DC1", "B"): 5}
    return network(locs, stock, [item("A"), item("B")])


def test_hand_priced_cases() -> None:
    net, ab = _three_holders(), order(("A", 1), ("B", 1))
    assert optimum_of({}, net, ab) == 123_000  # (5 + 0.10 + 1) + (5 + 0.20 + 1)
    assert optimum_of({"costs": {"shipment_penalty": "5"}}, net, ab) == 150_000  # DC: 5 + 8 + 2
    assert optimum_of({"split": {"min_shipment_value": "15"}}, net, ab) == 150_000
    assert optimum_of({"split": {"max_shipments": 1}}, net, ab) == 150_000
    net = network([loc("S01", 10), loc("S02", 20)], {("S01", "A"): 3, ("S02", "A"): 2}, [item("A")])
    assert optimum_of({"split": {"split_line_units": True}}, net, order(("A", 5))) == 153_000


def test_item_groups_stay_together() -> None:
    items = [item("A", group="set"), item("B", group="set")]
    locs = [loc("S01", 1000), loc("S02", 10), loc("S03", 10)]
    net = network(locs, {("S01", "A"): 1, ("S01", "B"): 1, ("S02", "B"): 1, ("S03", "A"): 1}, items)
    ab = order(("A", 1), ("B", 1))
    assert optimum_of({}, net, ab) == 170_000  # together from S01: 5 + 10 + 2
    assert optimum_of({"split": {"keep_groups_together": False}}, net, ab) == 122_000


def test_placing_more_units_beats_being_cheaper() -> None:
    net = network(
        [loc("S01", 10), loc("S02", 900)],
        {("S01", "A"): 5, ("S02", "A"): 5, ("S02", "B"): 5},
        [item("A"), item("B")],
    )
    # S01 alone is cheaper but leaves B behind; S02 has both: 5 + 9 + 2.
    assert optimum_of({"split": {"max_shipments": 1}}, net, order(("A", 1), ("B", 1))) == 160_000


def test_unfulfillable_and_partial_orders() -> None:
    net = network([loc("S01", 10)], {("S01", "A"): 5}, [item("A"), item("B")])
    assert optimum_of({}, net, order(("B", 1))) is None  # nobody holds it
    assert optimum_of({}, net, order(("Z", 1))) is None  # unknown product
    assert optimum_of({}, net, order(("A", 9))) is None  # not enough, and units may not split
    assert optimum_of({}, net, order(("A", 1), method="pickup", pickup="NOPE")) is None
    assert optimum_of({}, net, order(("A", 1), ("B", 1), ("Z", 2))) == 61_000  # A alone
    assert optimum_of({}, net, order(("A", 1)), DistanceQuoter(max_kg=Decimal("0.5"))) is None


def test_refuses_orders_with_too_many_weights(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(optimum, "MAX_WEIGHTS", 3)
    net = network(
        [loc("S01", 10)],
        {("S01", s): 5 for s in "ABC"},
        [item(s, kg=s_kg) for s, s_kg in zip("ABC", ["1", "2", "4"], strict=True)],
    )
    with pytest.raises(OptimumTooLargeError):
        optimum_of({}, net, order(("A", 1), ("B", 1), ("C", 1)))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_matches_an_independent_brute_force(scenario) -> None:
    locs, items, qty, stock, rules = scenario
    net = network(locs, stock, items)
    the_order = order(*[(it.sku, q) for it, q in zip(items, qty, strict=True)])
    unplaced, cost = brute_force(net, items, qty, rules)
    got = optimum_of(rules, net, the_order)
    assert (got is None) == (unplaced == sum(qty))
    if got is not None:
        assert Decimal(got) / 10_000 == cost


def problem_brute_force(p: Problem) -> int | None:
    """Every assignment of every bundle (unit splits included), priced by `Problem.evaluate`."""
    choices: list[list[tuple[Part, ...]]] = []
    for b, bd in enumerate(p.bundles):
        if not bd.splittable:
            choices.append([(), *(((b, k, bd.units),) for k in bd.options)])
            continue
        ranges = [range(bd.usable[k] + 1) for k in bd.options]
        choices.append(
            [
                tuple((b, k, q) for k, q in zip(bd.options, qs, strict=True) if q)
                for qs in itertools.product(*ranges)
                if sum(qs) <= bd.units
            ]
        )
    best = None
    for combo in itertools.product(*choices):
        parts = tuple(part for chosen in combo for part in chosen)
        plan = p.evaluate(parts) if parts else None
        if plan is not None and (best is None or plan.key[:2] < best):
            best = plan.key[:2]
    return None if best is None else best[1]


@st.composite
def rich(draw):
    """The planner property's scenarios plus weight tiers, promises and a missed-promise penalty."""
    locs, items, qty, stock, rules = draw(scenarios())
    rules["costs"]["promise_miss_penalty"] = draw(st.sampled_from(["0", "3"]))
    rules["costs"]["shipping_weight"] = draw(st.sampled_from(["1", "0.5"]))
    tiers = draw(st.sampled_from([RISING, BUMPY]))
    promise = draw(st.sampled_from([None, PLACED + timedelta(days=1), PLACED + timedelta(days=2)]))
    net = network(locs, stock, items)
    the_order = order(*[(it.sku, q) for it, q in zip(items, qty, strict=True)], promise_by=promise)
    return rules, net, the_order, TierQuoter(tiers)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rich())
def test_exact_for_any_rate_sheet(case) -> None:
    rules, net, the_order, quoter = case
    prep = prepare(compile_rules(validate_rule_set(rules)), quoter, the_order, net)
    assert not isinstance(prep, list)
    assert optimum_of(rules, net, the_order, quoter) == problem_brute_force(prep.problem)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rich())
def test_equals_the_planner_whenever_it_claims_exactness(case) -> None:
    rules, net, the_order, quoter = case
    if quoter.tiers != RISING:
        quoter = TierQuoter(RISING)  # the planner's bounds assume quotes never fall as weight grows
    d = route(rules, net, the_order, quoter)
    got = optimum_of(rules, net, the_order, quoter)
    if not d.exact:
        return
    assert d.total == got, d.text


def test_planner_finds_a_split_whose_new_location_also_takes_the_next_line() -> None:
    """Regression: the split bound once paid twice for a location the rest of a line and the next line share."""
    rules = {
        "costs": {"labour_per_unit": {"store": "0.50", "dc": "0.25"}},
        "split": {"split_line_units": True},
    }
    locs = [loc("L0", 1), loc("L1", 0), loc("L2", 25, "dc"), loc("L3", 0)]
    stock = {("L0", "A"): 1, ("L1", "A"): 2, ("L2", "A"): 1, ("L0", "B"): 1, ("L2", "B"): 1, ("L3", "B"): 1}
    net = network(locs, stock, [item("A", kg="0.5"), item("B", kg="0.5")])
    the_order = order(("A", 2), ("B", 1))
    # L1 sends A x1: 5 + 0 + 0.50 + labour 0.50; L2 sends A + B: 5 + 0.25 + 1 + labour 0.50.
    assert optimum_of(rules, net, the_order) == 127_500
    d = route(rules, net, the_order)
    assert d.exact
    assert d.total == 127_500  # it used to say 12.76: L0 instead of L1 for the first unit of A
