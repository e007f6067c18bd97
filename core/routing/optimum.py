"""The true minimum of the planner's objective, by a MILP (HiGHS) that shares nothing with its search.

`oms bench routing` reports how far the planner (and the baseline) are from the optimum; that gap
is only meaningful if the optimum is computed another way. The problem itself (filters, bundles,
unit costs, quotes) is the planner's, built by `core.routing.baseline.prepare`; only the search
differs. Plans are compared as the planner compares them: fewest unplaced units first, then cost.
So there are two solves: the most units any plan can place, then the cheapest plan placing that
many. The answer is re-priced exactly with `Problem.evaluate`, so float tolerances never leak in.

Formulation, per location k: y[k] opens a shipment; x[b,k] sends bundle b whole (binary) or, for a
line whose units may split, q[b,k] units (integer). Shipping is an arbitrary function of a
shipment's weight, so every weight k can reach is listed (subset sums of what it may send) and
consecutive weights with the same quote are merged into a bracket [lo, hi]: one binary per
bracket, exactly one chosen when k ships, and lo <= weight <= hi. Exact for any rate sheet; the
number of weights grows with the order, which is fine for the benchmark's small orders and
refused (`OptimumTooLargeError`) beyond `MAX_WEIGHTS` per location.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import highspy

from core.domain.orders import OrderRequest
from core.routing.baseline import prepare
from core.routing.compiled import compile_rules
from core.routing.problem import Part, Problem
from core.routing.rules import RuleSet
from core.routing.shipping import ShippingQuoter
from core.routing.snapshot import Destination, NetworkSnapshot

MAX_WEIGHTS = 20_000  # distinct reachable weights per location; each one costs a quote


class OptimumTooLargeError(ValueError):
    """The order has too many reachable shipment weights to list; no optimum is claimed."""


def exact_optimum(
    order: OrderRequest,
    network: NetworkSnapshot,
    rule_set: RuleSet,
    quoter: ShippingQuoter,
    *,
    destination: Destination | None = None,
) -> int | None:
    """The planner's best possible `total` (ticks) for this order, None when nothing can be placed."""
    prep = prepare(compile_rules(rule_set), quoter, order, network, destination)
    if isinstance(prep, list) or not any(bd.options for bd in prep.problem.bundles):
        return None
    p = prep.problem
    model = _Model(p)
    placed = model.most_units()
    if placed == 0:
        return None
    parts = model.cheapest(placed)
    plan = p.evaluate(parts)
    if plan is None or p.total_units - plan.unplaced != placed:
        raise AssertionError(f"the MILP's plan {parts} does not hold under Problem.evaluate")
    return plan.cost


def _brackets(p: Problem, k: int) -> list[tuple[int, int, int]]:
    """(lo, hi, shipping ticks) over the weights location k can send, equal quotes merged."""
    sums, zero = {0}, False
    for b, bd in enumerate(p.bundles):
        if k not in bd.option_set:
            continue
        steps = [p.part_weight(b, q) for q in range(1, bd.usable[k] + 1)] if bd.splittable else [bd.weight_g]
        zero = zero or 0 in steps
        sums |= {s + d for s in sums for d in steps}
        if len(sums) > MAX_WEIGHTS:
            raise OptimumTooLargeError(f"{p.codes[k]} can send more than {MAX_WEIGHTS} weights")
    if not zero:
        sums.discard(0)  # a shipment weighs nothing only if something in it weighs nothing
    out: list[tuple[int, int, int]] = []
    prev: int | None = None
    for w in sorted(sums):
        s = p.ship(k, w)
        if s is not None and out and prev is not None and out[-1][1] == prev and out[-1][2] == s:
            out[-1] = (out[-1][0], w, s)
        elif s is not None:
            out.append((w, w, s))
        prev = w
    return out


class _Model:
    def __init__(self, p: Problem) -> None:
        self.p = p
        rules = p.rules
        h = self.h = _highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("mip_rel_gap", 0.0)
        h.setOptionValue("mip_abs_gap", 0.5)  # every cost is whole ticks: within 0.5 is optimal
        integer = highspy.HighsVarType.kInteger  # binaries are integers in [0, 1]
        locs = sorted({k for bd in p.bundles for k in bd.options})
        self.y = {k: h.addVariable(0, 1, type=integer) for k in locs}
        self.x: dict[tuple[int, int], highspy.highs_var] = {}
        # Per location, per variable: (variable, grams, value ticks, units) for one unit of it.
        sent: dict[int, list[tuple[Any, int, int, int]]] = {k: [] for k in locs}
        for b, bd in enumerate(p.bundles):
            for k in bd.options:
                if bd.splittable:
                    v = h.addVariable(0, bd.usable[k], type=integer)
                    h.addConstr(v <= bd.usable[k] * self.y[k])
                    sent[k].append((v, p.part_weight(b, 1), bd.value // bd.units, 1))
                else:
                    v = h.addVariable(0, 1, type=integer)
                    h.addConstr(v <= self.y[k])
                    sent[k].append((v, bd.weight_g, bd.value, bd.units))
                self.x[b, k] = v
            if bd.options:
                h.addConstr(h.qsum(self.x[b, k] for k in bd.options) <= (bd.units if bd.splittable else 1))
        self.units = h.qsum(units * v for k in locs for v, _, _, units in sent[k])
        shipping = []
        for k in locs:
            h.addConstr(self.y[k] <= h.qsum(v for v, _, _, _ in sent[k]))  # open only to send something
            brackets = _brackets(p, k)
            z = [h.addVariable(0, 1, type=integer) for _ in brackets]
            weight = h.qsum(w * v for v, w, _, _ in sent[k])
            if not z:  # no carrier for any weight it could send
                h.addConstr(self.y[k] <= 0)
            else:
                h.addConstr(h.qsum(z) == self.y[k])
                h.addConstr(weight >= h.qsum(lo * zi for (lo, _, _), zi in zip(brackets, z, strict=True)))
                h.addConstr(weight <= h.qsum(hi * zi for (_, hi, _), zi in zip(brackets, z, strict=True)))
                shipping += [s * zi for (_, _, s), zi in zip(brackets, z, strict=True)]
        opened = h.qsum(self.y.values())
        h.addConstr(opened <= rules.max_shipments)
        if rules.min_shipment_value > 0 and len(locs) > 1 and rules.max_shipments > 1:
            # split = 1 whenever two or more ship; then every open shipment must reach the minimum.
            split = h.addVariable(0, 1, type=integer)
            h.addConstr(opened <= 1 + (len(locs) - 1) * split)
            for k in locs:
                value = h.qsum(val * v for v, _, val, _ in sent[k])
                h.addConstr(value >= rules.min_shipment_value * (self.y[k] + split - 1))
        pen = rules.shipment_penalty
        self.cost = (
            # unit_cost is per unit for a splittable line, else for the whole bundle: as x counts.
            h.qsum(p.bundles[b].unit_cost[k] * v for (b, k), v in self.x.items())
            + h.qsum((p.fixed[k] + pen) * self.y[k] for k in locs)
            + h.qsum(shipping)
            - pen
        )

    def most_units(self) -> int:
        self.h.maximize(self.units)
        self._check()
        return round(self.h.val(self.units))

    def cheapest(self, units: int) -> tuple[Part, ...]:
        self.h.addConstr(self.units >= units)
        self.h.minimize(self.cost)
        self._check()
        parts: list[Part] = []
        for (b, k), v in sorted(self.x.items()):
            n = round(self.h.val(v))
            if n:
                parts.append((b, k, n if self.p.bundles[b].splittable else self.p.bundles[b].units))
        return tuple(parts)

    def _check(self) -> None:
        """A time-out or numerical trouble must not pass for an optimum."""
        status = self.h.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"HiGHS did not prove an optimum: {self.h.modelStatusToString(status)}")


_banner_shown = False


def _highs() -> highspy.Highs:
    """A solver; the first one in a process prints HiGHS's banner, sent to stderr so JSON on stdout stays clean."""
    global _banner_shown
    if _banner_shown:
        return highspy.Highs()
    _banner_shown = True
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        return highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
