"""Lower bounds for the branch and bound: what the bundles not yet placed must cost at least.

A remaining bundle either joins an open location (shipping can only grow, so it costs at least its
unit costs there) or opens a new one, which costs at least that location's cheapest parcel. The
opening cost of a location is shared out among the remaining bundles that could use it, so the sum
over bundles never counts one opening twice and stays a valid bound; that sharing is what lets
multi-line orders whose lines sit at different locations prune early.
"""

from __future__ import annotations

from heapq import nsmallest

from core.routing.problem import Plan, Problem


class Bounds:
    def __init__(self, p: Problem, floor: list[int]) -> None:
        self.p, self.floor = p, floor
        self.bundles = p.bundles
        self.max_ship = p.rules.max_shipments
        self.pen = p.rules.shipment_penalty
        nb = len(p.bundles)
        self.forced = [0] * (nb + 1)
        for i in range(nb - 1, -1, -1):
            self.forced[i] = self.forced[i + 1] + p.bundles[i].forced_unplaced
        self._ranked: dict[tuple[int, bool], list[list[tuple[int, int]]]] = {}

    def _ranking(self, i: int, with_pen: bool) -> list[list[tuple[int, int]]]:
        """Per remaining bundle: (unit cost + shared opening cost, location), cheapest first.

        Only the first `max_shipments + 1` entries are kept: at most `max_shipments` locations are
        open, so `remaining` never looks further for an unopened one.
        """
        key = (i, with_pen)
        found = self._ranked.get(key)
        if found is None:
            users: dict[int, int] = {}
            for bd in self.bundles[i:]:
                for k in bd.options:
                    users[k] = users.get(k, 0) + 1
            extra = self.pen if with_pen else 0
            floor, keep = self.floor, self.max_ship + 1
            found = []
            for bd in self.bundles[i:]:
                if bd.splittable:
                    base = bd.min_cost
                    entries = [(base + (floor[k] + extra) // users[k], k) for k in bd.options]
                else:
                    unit = bd.unit_cost
                    entries = [(unit[k] + (floor[k] + extra) // users[k], k) for k in bd.options]
                found.append(nsmallest(keep, entries) if len(entries) > keep else sorted(entries))
            self._ranked[key] = found
        return found

    def remaining(self, i: int, opened: list[int], count: list[int]) -> tuple[int, int]:
        """(units that must stay unplaced, least cost) for bundles i.. given the open locations."""
        unplaced, cost = self.forced[i], 0
        full = len(opened) >= self.max_ship
        ranking = None if full else self._ranking(i, bool(opened))
        for j, bd in enumerate(self.bundles[i:]):
            if not bd.options:
                continue
            best: int | None = None
            for k in opened:
                if k in bd.unit_cost:
                    u = bd.min_cost if bd.splittable else bd.unit_cost[k]
                    if best is None or u < best:
                        best = u
            if ranking is not None:
                for c, k in ranking[j]:
                    if count[k] == 0:
                        if best is None or c < best:
                            best = c
                        break
            if best is None:
                unplaced += bd.units - bd.forced_unplaced
            else:
                cost += best
        return unplaced, cost


def single_location_is_optimal(p: Problem, best: Plan | None) -> bool:
    """Whether no plan can beat `best`, a single-location plan, so the search may be skipped.

    True when `best` leaves only the units no plan can place, and any plan with two or more
    locations costs more: at least the two cheapest openings (each location's lightest possible
    parcel plus its fixed costs), one shipment penalty, and every bundle at its cheapest unit
    cost. Relies, like the search, on shipping never getting cheaper as weight grows.
    """
    if best is None or len(best.locations) != 1:
        return False
    bundles = p.bundles
    if best.unplaced != sum(bd.forced_unplaced for bd in bundles):
        return False
    placeable = [bd for bd in bundles if bd.options]
    if p.rules.max_shipments < 2 or (len(placeable) == 1 and not placeable[0].splittable):
        return True  # every plan is a single location, and `seed` priced them all
    lightest: dict[int, int] = {}
    for bd in placeable:
        w = bd.weight_g // bd.units if bd.splittable else bd.weight_g
        for k in bd.options:
            if w < lightest.get(k, w + 1):
                lightest[k] = w
    first = second = None
    for k, w in lightest.items():
        s = p.ship(k, w)
        floor = p.fixed[k] + (s if s is not None else 0)  # as the search does: no carrier is no bound
        if first is None or floor < first:
            first, second = floor, first
        elif second is None or floor < second:
            second = floor
    if first is None or second is None:
        return True  # fewer than two locations could take anything
    least = first + second + p.rules.shipment_penalty + sum(bd.min_cost for bd in placeable)
    return least > best.cost
