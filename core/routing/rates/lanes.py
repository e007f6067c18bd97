"""Quotes shared between origins and between orders: the planner's fast path into the broker.

The planner prices every eligible location of every order (~150 on a 200-location network), each
a full `RateBroker.quote` of ~50 µs. Yet a quote depends on the origin only through its zones (one
per carrier) and the day and cut-offs of its ready time, on the weight only through which tier
bounds it is under, and on the destination through its zones, promise day and residential flag. So
the broker's answer is cached under exactly those: a *lane* (zones, local ready day, how many
cut-offs the ready time is past, promise day, residential) and a *weight class*. Two requests with
the same lane and class get the same quote by construction, because the quote is computed from
representatives of the class through the same `RateBroker.priced_in` as `RateBroker.quote`.

Within one order the lane of an origin is found from even less: its country, time zone, which
distance-band edges lie below its distance and, only where a carrier's zone chart pairs it with
this destination, its ZIP3; so locations in the same band share the work.

A lane never outlives what it was keyed on: the ready day and the promise day are part of it, so a
cached quote is never returned for another ready day, cut-off side or promise.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from math import floor

import numpy as np

from core.domain.geo import distance_km
from core.routing.kernels import band_groups
from core.routing.rates.broker import RateBroker, best_quote
from core.routing.shipping import Address, Place, RateQuote

MAX_LANES = 50_000  # distinct lanes kept per broker before the tables start afresh
_Lane = tuple[tuple[str | None, ...], date, int, date | None, bool]
_NONE_ALONE = np.zeros(0, bool)  # no origin's ZIP3 is charted with the destination


class LaneTable:
    """A broker's shared tables: lane -> id, id -> representatives, (id, weight class) -> quote.

    Ids are never reused (a counter), so an id held by a caller across a reset can never be
    confused with a different lane; it is simply recomputed.
    """

    __slots__ = (
        "band_zones",
        "bounds_g",
        "cutoffs",
        "edges",
        "floors_g",
        "ids",
        "next_id",
        "quotes",
        "reps",
        "weights",
    )

    def __init__(self, broker: RateBroker) -> None:
        self.cutoffs = broker.cutoffs
        self.edges = np.array(broker.band_edges, float)  # exact: distances and edges are floats
        self.weights: tuple[Decimal, ...] = broker.weight_bounds
        self.bounds_g = tuple(w * 1000 for w in self.weights)
        # For whole grams g, bound < g exactly when floor(bound) < g: classes of many weights at once.
        self.floors_g = np.array([floor(b) for b in self.bounds_g], np.int64)
        self.ids: dict[_Lane, int] = {}
        self.reps: dict[int, tuple[_Lane, datetime]] = {}
        self.quotes: dict[int, RateQuote | None] = {}
        self.next_id = 0
        # An origin no zone chart pairs with the destination is zoned by distance alone, and the
        # distance only by which band edges it passes: its zones per band, for every order.
        self.band_zones: dict[int, tuple[str | None, ...]] = {}

    @property
    def classes(self) -> int:
        """Weight classes per lane: one per tier bound, plus "heavier than every tier"."""
        return len(self.weights) + 1

    def reset_if_full(self) -> None:
        if len(self.ids) > MAX_LANES or len(self.quotes) > MAX_LANES * 4:
            self.ids.clear()
            self.reps.clear()
            self.quotes.clear()


class LaneQuoter:
    """One order's view: a destination, a ready time and a promise; origins and weights vary."""

    __slots__ = (
        "_broker",
        "_charted",
        "_promise",
        "_ready",
        "_ready_at",
        "_residential",
        "_seen",
        "_table",
        "destination",
    )

    def __init__(
        self, broker: RateBroker, destination: Address, ready_at: datetime, promise_by: datetime | None
    ) -> None:
        table = broker.lane_table()
        table.reset_if_full()
        self._broker, self._table, self.destination = broker, table, destination
        self._ready_at = ready_at
        self._promise = broker.promise_date(destination, promise_by)
        self._residential = destination.residential
        self._ready: dict[str, tuple[datetime, date, int]] = {}  # origin time zone -> ready class
        # What of an origin decides its lane for this order: country, ZIP3 (only if some carrier's
        # zone chart pairs it with this destination), which band edges the distance passes, and
        # its time zone.
        self._charted = broker.postal_origins(destination)
        self._seen: dict[tuple[str, str, int, str], int] = {}

    def lane(self, origin: Place, km: float | None = None) -> int:
        """The id of the lane from `origin`: equal ids, equal quotes for equal weight classes.

        `km`, when given, must be exactly `core.domain.geo.distance_km(origin, destination)`.
        """
        if km is None:
            dest = self.destination
            km = distance_km(origin.latitude, origin.longitude, dest.latitude, dest.longitude)
        return self.lanes([origin], [km])[0]

    def lanes(self, origins: Sequence[Place], km: list[float], groups: np.ndarray | None = None) -> list[int]:
        """`lane` of each origin at its exact distance, the distance bands found in one array step.

        An order asks for ~150 origins, most of them sharing a country, time zone and band, so
        only the first origin of each such group goes through the broker. `groups`, when given,
        numbers the origins so that equal numbers mean equal country and time zone: then only one
        origin per group and band is even looked at (an origin whose ZIP3 a zone chart pairs with
        this destination stays on its own).
        """
        if groups is not None and len(origins) > 1:
            return self._grouped(origins, km, groups)
        bands = np.searchsorted(self._table.edges, km, side="right").tolist()
        charted, seen = self._charted, self._seen
        keys = [
            (o.country, o.postal_code[:3] if o.postal_code[:3] in charted else "", band, o.timezone)
            for o, band in zip(origins, bands, strict=True)
        ]
        return [
            seen[key] if key in seen else self._new_lane(key, origin, d)
            for key, origin, d in zip(keys, origins, km, strict=True)
        ]

    def _grouped(self, origins: Sequence[Place], km: list[float], groups: np.ndarray) -> list[int]:
        ids, inverse = self.lane_groups(origins, km, np.arange(len(origins)), groups)
        return np.array(ids, np.int64)[inverse].tolist()

    def lane_groups(
        self, origins: Sequence[Place], km: Sequence[float] | np.ndarray, at: np.ndarray, groups: np.ndarray
    ) -> tuple[list[int], np.ndarray]:
        """The lanes of `origins[i]` for i in `at` as (distinct lane ids, each one's index in them).

        `groups[j]` numbers origin `at[j]` so that equal numbers mean equal country and time zone;
        only one origin per group and distance band is looked at (an origin whose ZIP3 a zone chart
        pairs with this destination stays on its own). Grouping is one compiled step, so an order's
        ~150 origins cost no Python loop.
        """
        alone = (
            np.array([origins[i].postal_code[:3] in self._charted for i in at.tolist()], bool)
            if self._charted
            else _NONE_ALONE
        )
        firsts, inverse = band_groups(np.asarray(km, float)[at], groups, self._table.edges, alone)
        reps = at[firsts].tolist()
        return self.lanes([origins[i] for i in reps], [km[i] for i in reps]), inverse

    def _new_lane(self, seen: tuple[str, str, int, str], origin: Place, km: float) -> int:
        table = self._table
        ready = self._ready.get(origin.timezone)
        if ready is None:
            local = self._broker.local_ready(origin, self._ready_at)
            past = bisect_left(table.cutoffs, local.time())  # cut-offs strictly before
            ready = self._ready[origin.timezone] = (local, local.date(), past)
        zones = table.band_zones.get(seen[2]) if not seen[1] else None
        if zones is None:
            zones = self._broker.zones(origin, self.destination, km)
            if not seen[1]:
                table.band_zones[seen[2]] = zones
        key: _Lane = (
            zones,
            ready[1],
            ready[2],
            self._promise,
            self._residential,
        )
        found = table.ids.get(key)
        if found is None:
            found = table.ids[key] = table.next_id
            table.reps[found] = (key, ready[0])
            table.next_id += 1
        self._seen[seen] = found
        return found

    @property
    def bounds_g(self) -> tuple[Decimal, ...]:
        """Every tier bound in grams: `bisect_left(bounds_g, grams)` is a weight's class."""
        return self._table.bounds_g

    @property
    def classes(self) -> int:
        return self._table.classes

    def weight_class(self, weight_g: int) -> int:
        return bisect_left(self._table.bounds_g, weight_g)

    @property
    def floors_g(self) -> np.ndarray:
        """The tier bounds' whole-gram floors: the number of them under a whole-gram weight is its class."""
        return self._table.floors_g

    def quote(self, lane: int, wclass: int) -> RateQuote | None:
        """The broker's quote for any request in this lane and weight class."""
        table = self._table
        key = lane * table.classes + wclass
        if key in table.quotes:
            return table.quotes[key]
        rep = table.reps.get(lane)
        if rep is None:
            raise KeyError(f"lane {lane} was dropped; ask `lane()` again")  # only across orders
        (zones, _, _, promise, residential), local_ready = rep
        found: RateQuote | None = None
        if wclass < len(table.weights):  # heavier than every tier bound: no service carries it
            weight = table.weights[wclass]  # the class's upper bound stands for all of it
            found = best_quote(self._broker.priced_in(zones, weight, local_ready, promise, residential))
        table.quotes[key] = found
        return found
