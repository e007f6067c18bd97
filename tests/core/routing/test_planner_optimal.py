"""Property: on small random networks the planner's plan is as good as a brute-force search.

The brute force below prices plans on its own (Decimal arithmetic, every assignment of every
line, unit splits included) so it shares no code with the planner beyond the quoter.
"""

from __future__ import annotations

import itertools
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.routing.shipping import ShipmentRequest
from core.routing.snapshot import LocationSnapshot, NetworkSnapshot
from tests.core.routing.planner_kit import HOME, PLACED, DistanceQuoter, item, loc, network, order, route

TYPES = ["store", "dc", "3pl"]
LABOUR = {"store": Decimal("0.50"), "dc": Decimal("0.25"), "3pl": Decimal("0")}


@st.composite
def scenarios(draw):
    n_locs = draw(st.integers(2, 5))
    split_units = draw(st.booleans())
    n_lines = draw(st.integers(1, 2 if split_units else 4))
    locs = [
        loc(
            f"L{i}",
            draw(st.integers(0, 900)),
            draw(st.sampled_from(TYPES)),
            priority=draw(st.integers(0, 3)),
            daily_capacity=draw(st.sampled_from([0, 2, 4, 5])),
            used_capacity_today=draw(st.integers(0, 1)),
        )
        for i in range(n_locs)
    ]
    items = [
        item(
            f"I{j}", kg=draw(st.sampled_from(["0.5", "1", "2.5"])), group=draw(st.sampled_from(["", "", "g"]))
        )
        for j in range(n_lines)
    ]
    qty = [draw(st.integers(1, 3)) for _ in range(n_lines)]
    stock = {
        (lc.code, it.sku): (a, a + 5, 1.0)
        for lc in locs
        for it in items
        if (a := draw(st.integers(0, 4))) or draw(st.booleans())
    }
    rules = {
        "costs": {
            "shipment_penalty": draw(st.sampled_from(["0", "1.50", "5"])),
            "priority_cost": draw(st.sampled_from(["0", "0.40"])),
            "labour_per_unit": {k: str(v) for k, v in LABOUR.items()},
            "capacity_penalty": draw(st.sampled_from(["0", "2"])),
            "overstock_bonus_per_day": draw(st.sampled_from(["0", "0.05"])),
            "overstock_max_days": 6,
        },
        "split": {
            "max_shipments": draw(st.integers(1, 3)),
            "split_line_units": split_units,
            "keep_groups_together": draw(st.booleans()),
            "min_shipment_value": draw(st.sampled_from(["0", "15"])),
        },
    }
    return locs, items, qty, stock, rules


def _options(net: NetworkSnapshot, codes: list[str], sku: str, qty: int, split: bool):
    """Every way to source one line: {location: units} with the rest unplaced."""
    usable = {
        c: min(net.stock.get(sku, {}).get(c).atp if c in net.stock.get(sku, {}) else 0, qty) for c in codes
    }
    if not split:
        return [{}] + [{c: qty} for c in codes if usable[c] >= qty]
    ranges = [range(0, usable[c] + 1) if usable[c] > 0 else range(1) for c in codes]
    return [
        {c: x for c, x in zip(codes, xs, strict=True) if x}
        for xs in itertools.product(*ranges)
        if sum(xs) <= qty
    ]


def brute_force(net: NetworkSnapshot, items, qty, rules) -> tuple[int, Decimal]:
    costs, split = rules["costs"], rules["split"]
    quoter = DistanceQuoter()
    codes = sorted(net.locations)
    groups: dict[str, list[int]] = {}
    for j, it in enumerate(items):
        if split["keep_groups_together"] and it.group:
            groups.setdefault(it.group, []).append(j)
    splittable = [
        split["split_line_units"] and not any(j in g for g in groups.values()) for j in range(len(items))
    ]
    per_line = [_options(net, codes, it.sku, q, s) for it, q, s in zip(items, qty, splittable, strict=True)]
    best: tuple[int, Decimal] | None = None
    for plan in itertools.product(*per_line):
        if any(
            len({tuple(plan[j]) for j in g}) > 1 or (any(not plan[j] for j in g) and any(plan[j] for j in g))
            for g in groups.values()
        ):
            continue
        weight: dict[str, Decimal] = {}
        value: dict[str, Decimal] = {}
        cost = Decimal(0)
        placed = 0
        for it, part in zip(items, plan, strict=True):
            for c, x in part.items():
                lvl = net.stock[it.sku][c]
                weight[c] = weight.get(c, Decimal(0)) + it.weight_kg * x
                value[c] = value.get(c, Decimal(0)) + Decimal("10.00") * x
                days = min(Decimal(lvl.on_hand) / Decimal(str(lvl.daily_sales)), 6)
                cost += x * (LABOUR[net.locations[c].type] - Decimal(costs["overstock_bonus_per_day"]) * days)
                placed += x
        if len(weight) > split["max_shipments"] or not weight:
            continue
        if len(weight) > 1 and any(v < Decimal(split["min_shipment_value"]) for v in value.values()):
            continue
        for c, w in weight.items():
            lc: LocationSnapshot = net.locations[c]
            cost += quoter.quote(ShipmentRequest(lc.address, HOME.address, w, PLACED)).cost
            cost += Decimal(costs["priority_cost"]) * lc.priority
            if lc.daily_capacity:
                cost += Decimal(costs["capacity_penalty"]) * (lc.used_capacity_today + 1) / lc.daily_capacity
        cost += Decimal(costs["shipment_penalty"]) * (len(weight) - 1)
        key = (sum(qty) - placed, cost)
        if best is None or key < best:
            best = key
    return best if best is not None else (sum(qty), Decimal(0))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_planner_matches_brute_force(scenario) -> None:
    locs, items, qty, stock, rules = scenario
    for lc in locs:
        if lc.daily_capacity and lc.used_capacity_today >= lc.daily_capacity:
            raise AssertionError("capacity left is always drawn > 0 here")
    net = network(locs, stock, items)
    the_order = order(*[(it.sku, q) for it, q in zip(items, qty, strict=True)])
    d = route(rules, net, the_order)
    unplaced = sum(u.qty for u in d.unplaced)
    expected_unplaced, expected_cost = brute_force(net, items, qty, rules)
    assert unplaced == expected_unplaced
    got = Decimal(d.total or 0) / 10_000
    assert abs(got - expected_cost) <= Decimal("0.0001"), d.text
