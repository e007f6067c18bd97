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

from typing import TYPE_CHECKING

import numpy as np

from core.routing.compiled_plans import SPLITTABLE
from core.routing.kernels import twin_waits
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
        # One row per candidate: its lane (-1: none, no twins), its fixed costs, and per bundle
        # whether it can take it, its unit cost and the units it can give (-1: the whole bundle).
        # Rows alike from column 2 + 3i on are alike for bundles i..
        cells = np.zeros((p.n, 2 + 3 * nb), np.int64)
        cells[:, 0] = p.lane_ids()
        cells[:, 1] = p.fixed_at
        starts, at, unit, usable, per_bundle = p.options_table()  # every bundle's options at once
        of = np.repeat(np.arange(nb), np.diff(starts))  # each option's bundle
        column = 2 + 3 * of
        cells[at, column] = 1
        cells[at, column + 1] = unit
        cells[at, column + 2] = np.where(per_bundle[of, SPLITTABLE] != 0, usable, -1)
        self.cells = cells
        self._levels: dict[int, tuple[list[int], list[int]]] = {}

    def at(self, i: int) -> tuple[list[int], list[int]]:
        """Which of bundle i's options must wait for twins, and for which: (offsets, twins).

        The option at position j of `bundles[i].options` waits for `twins[offsets[j]:offsets[j + 1]]`
        (at most max_shipments + 1): every twin that wins the tie-breaks *and* has a smaller code.
        Swapping in an unused one makes any plan better (smaller tie key); exchanging roles with a
        used one keeps costs and sums and puts the smaller code first. With only the first
        condition a plan using two twins could be lost when the nearer one has the larger code.
        """
        found = self._levels.get(i)
        if found is None:
            options = np.array(self.p.bundles[i].options, np.intp)
            tie, code = self.p.tie_ranks()
            offsets, members = twin_waits(
                np.ascontiguousarray(self.cells[options][:, [0, 1, *range(2 + 3 * i, self.cells.shape[1])]]),
                tie[options],
                code[options],
                self.p.rules.max_shipments + 1,
            )
            found = self._levels[i] = (offsets.tolist(), options[members].tolist())
        return found

    def best_twin(self, k: int, taken: frozenset[int]) -> int | None:
        """k's twin over every bundle that wins the tie-breaks among those not in `taken`."""
        cells = self.cells
        if cells[k, 0] < 0 or not cells[k, 2::3].any():
            return None  # no lane, or no bundle it could take
        found = [m for m in np.flatnonzero((cells == cells[k]).all(axis=1)).tolist() if m not in taken]
        return min(found, key=self.p.tie_ranks()[0].__getitem__, default=None)


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
