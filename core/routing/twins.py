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


class LevelTwins:
    """Twins for the decision at bundle i: only bundles i.. matter, so classes grow with depth.

    When the search opens a location for bundle i, every bundle before i already sits at an open
    location, so two unopened locations that agree on lane, fixed costs and bundles i.. are
    interchangeable for everything that can still happen. Computed per level on first use.
    """

    def __init__(self, p: Problem) -> None:
        self.p = p
        nb = len(p.bundles)
        # Per location some bundle could use: (unit cost, usable units) per bundle, None if unable.
        self.cells: dict[int, list[tuple[int, int | None] | None]] = {}
        for b, bd in enumerate(p.bundles):
            unit, usable = bd.unit_cost, bd.usable
            for k in bd.options:
                row = self.cells.get(k)
                if row is None:
                    row = self.cells[k] = [None] * nb
                row[b] = (unit[k], usable.get(k))
        self.lanes = [p.lane_of(k) for k in range(len(p.cands))]
        self._levels: dict[int, dict[int, tuple[list[int], int]]] = {}
        self._ties: dict[int, tuple[object, ...]] = {}

    def at(self, i: int) -> dict[int, tuple[list[int], int]]:
        """Bundle i's options that have better twins: (their class, best first; their rank in it)."""
        found = self._levels.get(i)
        if found is None:
            found = self._levels[i] = {
                k: (members, rank)
                for members in self._classes(self.p.bundles[i].options, i)
                for rank, k in enumerate(members)
                if rank
            }
        return found

    def everywhere(self) -> dict[int, list[int]]:
        """Every location's full class of twins (itself included, best first), if it has twins."""
        return {k: members for members in self._classes(list(self.cells), 0) for k in members}

    def _classes(self, among: list[int], i: int) -> list[list[int]]:
        """Classes of two or more twins for bundles i.., each sorted best first on tie-breaks."""
        p, cells, lanes, fixed = self.p, self.cells, self.lanes, self.p.fixed
        classes: dict[tuple[object, ...], list[int]] = {}
        for k in among:
            lane = lanes[k]
            if lane is not None:
                key = (lane, fixed[k], *cells[k][i:])
                found = classes.get(key)
                if found is None:
                    classes[key] = [k]
                else:
                    found.append(k)
        out = []
        ties = self._ties
        for members in classes.values():
            if len(members) > 1:
                for k in members:
                    if k not in ties:
                        ties[k] = _tie(p, k)
                members.sort(key=ties.__getitem__)
                out.append(members)
        return out


def offer_twin_swaps(p: Problem, out: Outcome, twins: LevelTwins) -> None:
    """Offer the best plan with one location swapped for an unused twin: the natural runner-up.

    The search never opens such plans (they lose the tie-breaks), yet "a twin would have cost the
    same, and the tie-breaks decided" is what the explanation should say when it is true.
    """
    best = out.best
    if best is None:
        return
    classes = twins.everywhere()
    for k in sorted(best.locations):
        twin = next((m for m in classes.get(k, ()) if m not in best.locations), None)
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
