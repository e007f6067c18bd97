"""Lower bounds for the branch and bound: what the bundles not yet placed must cost at least.

Every remaining bundle costs at least its cheapest unit cost. On top of that, placing a bundle
makes shipping dearer: it either joins an open parcel, which then costs at least as much as that
parcel with the bundle's weight added, or opens a parcel of its own, which costs at least its
lightest quote plus fixed costs and the shipment penalty. Growth of one parcel is not the sum of
the growth each bundle would cause alone (tiers), so only the dearest bundle's least growth is
added: a valid bound, and the one that prunes heavy orders, whose cheap-looking partial plans
turn out to need a parcel beyond the next weight tier. Relies, like the search, on shipping never
getting cheaper as weight grows.
"""

from __future__ import annotations

from heapq import nsmallest

from core.routing.problem import Plan, Problem


class Bounds:
    def __init__(self, p: Problem) -> None:
        self.p = p
        self.bundles = p.bundles
        self.max_ship = p.rules.max_shipments
        self.pen = p.rules.shipment_penalty
        nb = len(p.bundles)
        self.forced = [0] * (nb + 1)
        for i in range(nb - 1, -1, -1):
            self.forced[i] = self.forced[i + 1] + p.bundles[i].forced_unplaced
        # The weight each bundle adds at least: all of it, or one unit of a line that may split.
        self.weight = [bd.weight_g // bd.units if bd.splittable else bd.weight_g for bd in p.bundles]
        self._alone: dict[int, list[tuple[int, int]]] = {}
        # Per bundle: who can take it, the weight it adds, its least unit cost, its placeable units.
        self._rows = [
            (bd.option_set, w, bd.min_cost, bd.units - bd.forced_unplaced)
            for bd, w in zip(p.bundles, self.weight, strict=True)
        ]

    def alone(self, j: int) -> list[tuple[int, int]]:
        """Bundle j's cheapest parcels of its own: (quote + fixed costs, location), the first few.

        At most `max_shipments` locations are open, so one more entry always leaves an unopened one.
        """
        found = self._alone.get(j)
        if found is None:
            p, w = self.p, self.weight[j]
            entries = []
            for k in self.bundles[j].options:
                s = p.ship(k, w)
                if s is not None:  # none here for this weight: none for any heavier parcel either
                    entries.append((s + p.fixed[k], k))
            found = self._alone[j] = nsmallest(self.max_ship + 1, entries)
        return found

    def remaining(
        self, i: int, opened: list[int], count: list[int], weight: list[int], ship_now: list[int]
    ) -> tuple[int, int]:
        """(units that must stay unplaced, least cost) for bundles i.. given the open locations.

        `weight` and `ship_now` are the open parcels' weights and shipping so far, by location.
        """
        ship, alone, rows = self.p.ship, self._alone, self._rows
        unplaced, units, dearest = self.forced[i], 0, 0
        full = len(opened) >= self.max_ship
        opening = self.pen if opened else 0
        for j in range(i, len(rows)):
            able, w, min_cost, placeable = rows[j]
            if not able:
                continue
            least = None
            for k in opened:
                if k in able:
                    s = ship(k, weight[k] + w)
                    if s is not None:
                        s -= ship_now[k]
                        if least is None or s < least:
                            least = s
            if not full:
                for c, k in alone.get(j) or self.alone(j):
                    if count[k] == 0:
                        c += opening
                        if least is None or c < least:
                            least = c
                        break
            if least is None:  # it can join no open parcel and may not open one
                unplaced += placeable
                continue
            units += min_cost
            if least > dearest:
                dearest = least
        return unplaced, units + dearest

    def leasts(
        self, i: int, opened: list[int], count: list[int], weight: list[int], ship_now: list[int]
    ) -> list[tuple[frozenset[int], int]]:
        """Per bundle i.. that can still be placed: (who can take it, the least it adds to shipping).

        Valid after opening one more location for any bundle that location cannot take, which lets
        the search dismiss most openings before pricing them.
        """
        ship, alone, rows = self.p.ship, self._alone, self._rows
        full = len(opened) >= self.max_ship
        opening = self.pen if opened else 0
        out = []
        for j in range(i, len(rows)):
            able, w, _, _ = rows[j]
            if not able:
                continue
            least = None
            for k in opened:
                if k in able:
                    s = ship(k, weight[k] + w)
                    if s is not None:
                        s -= ship_now[k]
                        if least is None or s < least:
                            least = s
            if not full:
                for c, k in alone.get(j) or self.alone(j):
                    if count[k] == 0:
                        c += opening
                        if least is None or c < least:
                            least = c
                        break
            if least is not None:
                out.append((able, least))
        return out


def single_location_is_optimal(p: Problem, best: Plan | None) -> bool:
    """Whether no plan can beat `best`, a single-location plan, so the search may be skipped.

    True when `best` leaves only the units no plan can place, and any plan with two or more
    locations costs more: every bundle at its cheapest unit cost, a shipment penalty per extra
    parcel, each parcel at least its location's lightest quote plus fixed costs, and the heaviest
    of them at least the quote for its share of the order's weight. Relies, like the search, on
    shipping never getting cheaper as weight grows.
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
    pen, units = p.rules.shipment_penalty, sum(bd.min_cost for bd in placeable)
    if first + second + pen + units > best.cost:
        return True
    # With s parcels the heaviest weighs at least the total / s (and at least the heaviest piece);
    # heavy orders, whose one parcel from afar costs less than several, are settled here.
    pieces = [bd.weight_g // bd.units if bd.splittable else bd.weight_g for bd in placeable]
    total = sum(
        w * (bd.units - bd.forced_unplaced) if bd.splittable else w
        for w, bd in zip(pieces, placeable, strict=True)
    )
    for s in range(2, p.rules.max_shipments + 1):
        heavy = max(max(pieces), -(-total // s))
        dearest = None
        for k in lightest:
            ship = p.ship(k, heavy)
            if ship is not None and (dearest is None or ship + p.fixed[k] < dearest):
                dearest = ship + p.fixed[k]
        if dearest is not None and dearest + (s - 1) * (first + pen) + units <= best.cost:
            return False
    return True
