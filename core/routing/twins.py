"""Interchangeable locations: which ones the search never needs to open.

On a real network many locations cost exactly the same for an order: stores in the same carrier
zones (the same rate-broker lane), of the same type, holding the same lines. Any plan that opens
one of them while a twin that wins the tie-breaks stays unused can swap the two and become strictly
better (same cost, smaller tie key), and a plan that uses both can exchange their roles, which makes
the first part's location code smaller. So the best plan never opens a location while a better twin
is unopened, and the search may skip it: without this, an order whose best plan costs as much as
two parcels enumerates every pair of ~150 stores, most of them identical.

Twins must be identical in everything but tie-break values: the same shipping for every weight (the
same lane; quoters without lanes have no twins), the same fixed costs, and for every bundle the
same ability, unit cost and usable units.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.routing.problem import Problem

if TYPE_CHECKING:
    from core.routing.search import Outcome


def twin_classes(p: Problem) -> list[tuple[int, ...]]:
    """Per candidate its class of twins (itself included), best on tie-breaks first; () if alone."""
    # Only locations some bundle could use can be opened; their ability, costs and units per bundle.
    ability: dict[int, list[tuple[int, int, int | None]]] = {}
    for b, bd in enumerate(p.bundles):
        unit, usable = bd.unit_cost, bd.usable
        for k in bd.options:
            found = ability.get(k)
            if found is None:
                found = ability[k] = []
            found.append((b, unit[k], usable.get(k)))
    classes: dict[tuple[object, ...], list[int]] = {}
    for k, what in ability.items():
        lane = p.lane_of(k)
        if lane is not None:
            classes.setdefault((lane, p.fixed[k], *what), []).append(k)
    out: list[tuple[int, ...]] = [()] * len(p.cands)
    for members in classes.values():
        if len(members) > 1:
            members.sort(key=lambda k: _tie(p, k))
            ranked = tuple(members)
            for k in members:
                out[k] = ranked
    return out


def better_twins(classes: list[tuple[int, ...]]) -> list[tuple[int, ...]]:
    """Per candidate, its twins that win the tie-breaks: the search opens it only once they are open."""
    return [members[: members.index(k)] if members else () for k, members in enumerate(classes)]


def offer_twin_swaps(p: Problem, out: Outcome, classes: list[tuple[int, ...]]) -> None:
    """Offer the best plan with one location swapped for an unused twin: the natural runner-up.

    The search never opens such plans (they lose the tie-breaks), yet "a twin would have cost the
    same, and the tie-breaks decided" is what the explanation should say when it is true.
    """
    best = out.best
    if best is None:
        return
    for k in sorted(best.locations):
        twin = next((m for m in classes[k] if m not in best.locations), None)
        if twin is not None:
            out.offer(p.evaluate(tuple((b, twin if at == k else at, q) for b, at, q in best.parts)))


def _tie(p: Problem, k: int) -> tuple[object, ...]:
    """What one location adds to a plan's tie-break values, in the rule set's order."""
    out: list[object] = []
    for name in p.rules.tie_breaks:
        if name == "shortest_distance":
            out.append(p.dist[k])
        elif name == "lowest_priority":
            out.append(p.prio[k])
        elif name == "location_code":
            out.append(p.codes[k])
    return tuple(out)
