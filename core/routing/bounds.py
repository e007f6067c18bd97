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

import numpy as np

from core.routing.problem import Problem


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
            at = self.bundles[j].at
            parcel, carried = self.p.parcels(at, self.weight[j])
            # No quote here for this weight: none for any heavier parcel either.
            costs, ks = parcel[carried], at[carried]
            first = np.lexsort((ks, costs))[: self.max_ship + 1]  # as `nsmallest` of (cost, k)
            found = self._alone[j] = list(zip(costs[first].tolist(), ks[first].tolist(), strict=True))
        return found

    def remaining(
        self, i: int, opened: list[int], count: list[int], weight: list[int], ship_now: list[int]
    ) -> tuple[int, int]:
        """(units that must stay unplaced, least cost) for bundles i.. given the open locations.

        `weight` and `ship_now` are the open parcels' weights and shipping so far, by location.
        """
        return self._scan(i, opened, count, weight, ship_now, None)

    def leasts(
        self, i: int, opened: list[int], count: list[int], weight: list[int], ship_now: list[int]
    ) -> list[tuple[frozenset[int], int]]:
        """Per bundle i.. that can still be placed: (who can take it, the least it adds to shipping).

        Valid after opening one more location for any bundle that location cannot take, which lets
        the search dismiss most openings before pricing them.
        """
        out: list[tuple[frozenset[int], int]] = []
        self._scan(i, opened, count, weight, ship_now, out)
        return out

    def _scan(
        self,
        i: int,
        opened: list[int],
        count: list[int],
        weight: list[int],
        ship_now: list[int],
        leasts: list[tuple[frozenset[int], int]] | None,
    ) -> tuple[int, int]:
        """`remaining`, listing each placeable bundle's least growth in `leasts` when given.

        A bundle grows shipping at least by joining an open parcel, or by opening the cheapest
        unopened location while fewer than `max_shipments` are open; one loop for both bounds.
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
            if leasts is not None:
                leasts.append((able, least))
        return unplaced, units + dearest
