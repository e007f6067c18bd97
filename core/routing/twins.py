"""Interchangeable locations: which ones the search never needs to open.

On a real network many locations cost exactly the same for an order: stores in the same carrier
zones (the same rate-broker lane), of the same type, holding the same lines. A plan that opens one
of them while a twin stays unused can swap the two; a plan that uses both can exchange their
roles. So when the twin both wins the tie-breaks and has the smaller code (see `LevelTwins.at`),
every plan opening the other first is beaten by one the search still reaches, and the search may
skip it. Without this, an order whose best plan costs as much as two parcels enumerates every pair
of ~150 stores, most of them identical.

Twins must be identical in everything but tie-break values: the same shipping for every weight (the
same lane; quoters without lanes have no twins), the same fixed costs, and the same ability, unit
cost and usable units for every bundle still to place.
"""

from __future__ import annotations

from bisect import insort
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
        self.lanes = [p.lane_of(k) for k in range(p.n)]
        self._levels: dict[int, dict[int, tuple[int, ...]]] = {}
        self._ties: dict[int, tuple[object, ...]] = {}

    def at(self, i: int) -> dict[int, tuple[int, ...]]:
        """Bundle i's options that must wait for twins: those twins (at most max_shipments + 1).

        A location waits for every twin that wins the tie-breaks *and* has a smaller code. Swapping
        in an unused one makes any plan better (smaller tie key); exchanging roles with a used one
        keeps costs and sums and puts the smaller code first. With only the first condition a plan
        using two twins could be lost when the nearer one has the larger code.
        """
        found = self._levels.get(i)
        if found is None:
            codes, keep = self.p.codes, self.p.rules.max_shipments + 1
            found = {}
            for members in self._classes(self.p.bundles[i].options, i):
                # The `keep` smallest codes among earlier (better) members: the twins k waits for
                # are those of them below its own code, as no other earlier member can be among
                # the `keep` smallest that are.
                least: list[tuple[str, int]] = []
                for k in members:
                    code = codes[k]
                    if least and least[0][0] < code:
                        found[k] = tuple(m for c, m in least if c < code)
                    if len(least) < keep:
                        insort(least, (code, k))
                    elif code < least[-1][0]:
                        least.pop()
                        insort(least, (code, k))
            self._levels[i] = found
        return found

    def best_twin(self, k: int, taken: frozenset[int]) -> int | None:
        """k's twin over every bundle that wins the tie-breaks among those not in `taken`."""
        lane, row, fixed, lanes, ties = self.lanes[k], self.cells.get(k), self.p.fixed, self.lanes, self._ties
        if lane is None or row is None:
            return None
        found = [
            m for m, other in self.cells.items() if other == row and lanes[m] == lane and fixed[m] == fixed[k]
        ]
        found = [m for m in found if m not in taken]
        for m in found:
            if m not in ties:
                ties[m] = self.p.single_ties(m)
        return min(found, key=ties.__getitem__, default=None)

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
                        ties[k] = p.single_ties(k)
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
    for k in sorted(best.locations):
        twin = twins.best_twin(k, best.locations)
        if twin is not None:
            out.offer(p.evaluate(tuple((b, twin if at == k else at, q) for b, at, q in best.parts)))
