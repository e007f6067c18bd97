"""The declared heuristic for orders too large to search exactly: greedy, then single moves.

Greedy places the most constrained bundle first at the location with the lowest marginal cost
(shipping increase + unit costs + opening costs); local search then moves one bundle at a time to
another location while that lowers the plan's key. Decisions made this way say `"exact": false`.
"""

from __future__ import annotations

from core.routing.problem import Part, Problem
from core.routing.search import Outcome

MOVE_ROUNDS = 3


def _marginal(p: Problem, weights: dict[int, int], b: int, k: int, qty: int) -> int | None:
    w = weights.get(k, 0)
    new = p.ship(k, w + p.part_weight(b, qty))
    if new is None:
        return None
    cost = new - (p.ship(k, w) or 0 if w else 0) + p.unit_ticks(b, k, qty)
    if k not in weights:
        cost += p.fixed[k] + (p.rules.shipment_penalty if weights else 0)
    return cost


def greedy(p: Problem, out: Outcome) -> None:
    weights: dict[int, int] = {}
    parts: list[Part] = []
    for b, bd in enumerate(p.bundles):
        rem = bd.units
        used: set[int] = set()
        while rem > 0:
            best: tuple[float, str, int, int] | None = None
            for k in bd.options:
                if k in used or (k not in weights and len(weights) >= p.rules.max_shipments):
                    continue
                qty = min(bd.usable[k], rem) if bd.splittable else bd.units
                m = _marginal(p, weights, b, k, qty)
                if m is not None and (best is None or (m / qty, p.codes[k]) < best[:2]):
                    best = (m / qty, p.codes[k], k, qty)
            if best is None:
                break
            _, _, k, qty = best
            weights[k] = weights.get(k, 0) + p.part_weight(b, qty)
            parts.append((b, k, qty))
            used.add(k)
            rem -= qty
            if not bd.splittable:
                break
    plan = p.evaluate(tuple(parts))
    out.offer(plan)
    if plan is not None:
        _improve(p, out, list(plan.parts))


def _improve(p: Problem, out: Outcome, parts: list[Part]) -> None:
    """Move whole (unsplit) bundles one at a time while the key improves."""
    current = p.evaluate(tuple(parts))
    for _ in range(MOVE_ROUNDS):
        improved = False
        for i, (b, k, qty) in enumerate(parts):
            if p.bundles[b].splittable:
                continue
            for alt in p.bundles[b].options:
                if alt == k:
                    continue
                trial = [*parts[:i], (b, alt, qty), *parts[i + 1 :]]
                plan = p.evaluate(tuple(trial))
                out.offer(plan)
                if plan is not None and current is not None and plan.key < current.key:
                    parts, current, improved = trial, plan, True
                    break
        if not improved:
            return
