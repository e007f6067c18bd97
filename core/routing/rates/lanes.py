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

Across orders, an origin no zone chart pairs with the destination has its lane decided by its time
zone's ready class, its distance band, the promise day and the residential flag alone. So the lane
of every (origin group, band) cell is kept per *context* (the ready classes of every origin time
zone, the promise day, the residential flag): most orders find every lane in one array step, and
the broker is asked only about cells no order of that context met before. Ready classes are kept
per *period*, the largest whole number of seconds dividing an hour and every cut-off's time of day
(an hour for the sample sheet): in a time zone whose offset is whole periods, no class boundary
(a cut-off, midnight) lies strictly inside a period of UTC, so every instant strictly inside one
shares its class, and an instant exactly on a period's start is kept apart.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Hashable, Sequence
from datetime import date, datetime
from decimal import Decimal
from functools import reduce
from math import floor, gcd

import numpy as np

from core.domain.geo import distance_km
from core.routing.rates.broker import RateBroker, best_quote
from core.routing.shipping import Address, Place, RateQuote

MAX_LANES = 50_000  # distinct lanes kept per broker before the tables start afresh
MAX_CONTEXTS = 10_000  # contexts kept (an array of ~100 lane ids each, a few hundred a day) likewise
MAX_READY = 4_096  # ready classes and promise days kept per (time zone, period) before starting afresh
_Lane = tuple[tuple[str | None, ...], date, int, date | None, bool]
Ready = tuple[datetime, date, int]  # a ready time on the origin's clock, its day, cut-offs it is past
Period = tuple[float, bool]  # (whole periods of UTC since the epoch, exactly on a period's start)


class LaneTable:
    """A broker's shared tables: lane -> id, id -> representatives, (id, weight class) -> quote.

    Ids are never reused (a counter), so an id held by a caller across a reset can never be
    confused with a different lane; it is simply recomputed.
    """

    __slots__ = (
        "band_zones",
        "bounds_g",
        "contexts",
        "cutoffs",
        "edges",
        "floor_bounds",
        "floors_g",
        "ids",
        "next_id",
        "period_s",
        "promise_by_period",
        "quotes",
        "ready_by_period",
        "ready_classes",
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
        # The same as a tuple, for `bisect_left` on one whole-gram weight: ints compare faster than Decimals.
        self.floor_bounds: tuple[int, ...] = tuple(self.floors_g.tolist())
        self.ids: dict[_Lane, int] = {}
        self.reps: dict[int, tuple[_Lane, datetime]] = {}
        self.quotes: dict[int, RateQuote | None] = {}
        self.next_id = 0
        # An origin no zone chart pairs with the destination is zoned by distance alone, and the
        # distance only by which band edges it passes: its zones per band, for every order.
        self.band_zones: dict[int, tuple[str | None, ...]] = {}
        # Per context (`LaneQuoter.lanes_at`), the lane id of every (origin group, band) cell, -1: not met.
        self.contexts: dict[Hashable, np.ndarray] = {}
        times = [c.hour * 3600 + c.minute * 60 + c.second for c in self.cutoffs]
        exact = not any(c.microsecond for c in self.cutoffs)
        self.period_s = reduce(gcd, times, 3600) if exact else 0  # 0: ready classes are not kept
        self.ready_by_period: dict[tuple[str, Period], Ready] = {}
        self.promise_by_period: dict[tuple[str, Period], date] = {}  # destination time zone: promise day
        # (origin time zones, period) -> their ready classes, where every one of them is kept
        self.ready_classes: dict[tuple[tuple[str, ...], Period], tuple[tuple[date, int], ...]] = {}

    @property
    def classes(self) -> int:
        """Weight classes per lane: one per tier bound, plus "heavier than every tier"."""
        return len(self.weights) + 1

    def view(
        self, broker: RateBroker, destination: Address, ready_at: datetime, promise_by: datetime | None
    ) -> LaneQuoter:
        """`RateBroker.lanes`: one order's view of this table."""
        return LaneQuoter(broker, destination, ready_at, promise_by)

    def reset_if_full(self) -> None:
        if len(self.ids) > MAX_LANES or len(self.quotes) > MAX_LANES * 4 or len(self.contexts) > MAX_CONTEXTS:
            self.ids.clear()
            self.reps.clear()
            self.quotes.clear()
            self.contexts.clear()

    def period_of(self, moment: datetime) -> Period | None:
        """The period `moment` falls in; None where nothing is kept (a naive time is refused later)."""
        if not self.period_s or moment.tzinfo is None:
            return None
        stamp = moment.timestamp()
        return stamp // self.period_s, not stamp % self.period_s

    def ready(self, broker: RateBroker, timezone: str, ready_at: datetime, period: Period | None) -> Ready:
        """The ready class of `ready_at` on a time zone's clock, kept per period where that is exact."""
        key = (timezone, period) if period is not None else None
        found = self.ready_by_period.get(key) if key is not None else None
        if found is None:
            local = broker.local_ready_in(timezone, ready_at)
            found = (local, local.date(), bisect_left(self.cutoffs, local.time()))  # cut-offs strictly before
            if key is not None and self._whole_periods(local):
                self.ready_by_period[key] = found
        return found

    def promise(self, broker: RateBroker, destination: Address, promise_by: datetime | None) -> date | None:
        """`RateBroker.promise_date`, kept per period: a day ends at midnight, a period's start."""
        if promise_by is None:
            return None
        period = self.period_of(promise_by)
        key = (destination.timezone, period) if period is not None else None
        found = self.promise_by_period.get(key) if key is not None else None
        if found is None:
            due = broker.promise_local(destination, promise_by)
            found = due.date()
            if key is not None and self._whole_periods(due):
                self.promise_by_period[key] = found
        return found

    def _whole_periods(self, local: datetime) -> bool:
        """Whether `local`'s offset is whole periods, so its clock's boundaries are periods' starts;
        makes room for one more kept class when so."""
        offset = local.utcoffset()
        if offset is None or offset.total_seconds() % self.period_s:
            return False
        if len(self.ready_by_period) + len(self.promise_by_period) >= MAX_READY:
            self.ready_by_period.clear()
            self.promise_by_period.clear()
            self.ready_classes.clear()
        return True


class LaneQuoter:
    """One order's view: a destination, a ready time and a promise; origins and weights vary."""

    __slots__ = (
        "_broker",
        "_charted",
        "_period",
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
        self._period = table.period_of(ready_at)
        self._promise = table.promise(broker, destination, promise_by)
        self._residential = destination.residential
        self._ready: dict[str, Ready] = {}  # origin time zone -> ready class
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

    def lanes(self, origins: Sequence[Place], km: list[float]) -> list[int]:
        """`lane` of each origin at its exact distance, the distance bands found in one array step."""
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

    def lanes_at(
        self,
        origins: Sequence[Place],
        km: np.ndarray,
        at: np.ndarray,
        groups: np.ndarray,
        zones: tuple[str, ...],
    ) -> np.ndarray:
        """`lane` of `origins[i]` for each i in `at`, most of them read from this order's context.

        `groups[j]` numbers origin `at[j]`'s time zone as `zones` does (`zones[groups[j]]`). An order
        asks for ~150 origins; the lane of each (group, band) cell is kept per context across
        orders, so only cells no order of this context met go through the broker, and an origin
        whose ZIP3 a zone chart pairs with this destination is looked up on its own.
        """
        table = self._table
        bands = table.edges.searchsorted(km[at], "right")
        cell = groups * (len(table.edges) + 1) + bands
        cells = self._cells(zones)
        alone = self._alone(origins, at)
        ids = cells[cell]
        if len(ids) and np.minimum.reduce(ids) < 0:
            skip = set(alone)
            for j in (ids < 0).nonzero()[0].tolist():
                c = cell[j]
                if cells[c] < 0 and j not in skip:
                    i = int(at[j])
                    cells[c] = self._lane_of(origins[i], float(km[i]), int(bands[j]), "")  # not charted
            ids = cells[cell]
        if alone:
            ids[alone] = self.lanes([origins[at[j]] for j in alone], [float(km[at[j]]) for j in alone])
        return ids

    def context_cells(self, zones: tuple[str, ...]) -> np.ndarray | None:
        """`lanes_at`'s table of this order's context, for a compiled loop to read the lanes from
        (-1: a cell no order of the context met); None where some zone chart pairs origins with
        this destination, as those lanes are found one by one."""
        return None if self._charted else self._cells(zones)

    def _alone(self, origins: Sequence[Place], at: np.ndarray) -> list[int]:
        """Positions in `at` of origins whose ZIP3 some zone chart pairs with this destination."""
        charted = self._charted
        if not charted:
            return []
        return [j for j, i in enumerate(at.tolist()) if origins[i].postal_code[:3] in charted]

    def _cells(self, zones: tuple[str, ...]) -> np.ndarray:
        """This order's context's lane per (group, band) cell, -1 where no order of it met the cell."""
        table = self._table
        kept = (zones, self._period) if self._period is not None else None
        classes = table.ready_classes.get(kept) if kept is not None else None
        if classes is None:
            classes = tuple(self._ready_class(tz)[1:] for tz in zones)
            if kept is not None and all((tz, self._period) in table.ready_by_period for tz in zones):
                table.ready_classes[kept] = classes
        key = (zones, classes, self._promise, self._residential)
        found = table.contexts.get(key)
        if found is None:
            found = table.contexts[key] = np.full(len(zones) * (len(table.edges) + 1), -1, np.int64)
        return found

    def _ready_class(self, timezone: str) -> Ready:
        found = self._ready.get(timezone)
        if found is None:
            found = self._ready[timezone] = self._table.ready(
                self._broker, timezone, self._ready_at, self._period
            )
        return found

    def _new_lane(self, seen: tuple[str, str, int, str], origin: Place, km: float) -> int:
        found = self._lane_of(origin, km, seen[2], seen[1])
        self._seen[seen] = found
        return found

    def _lane_of(self, origin: Place, km: float, band: int, charted_zip3: str) -> int:
        """The lane from `origin`; `charted_zip3` is "" unless a zone chart pairs it with the destination."""
        table = self._table
        ready = self._ready_class(origin.timezone)
        zones = table.band_zones.get(band) if not charted_zip3 else None
        if zones is None:
            zones = self._broker.zones(origin, self.destination, km)
            if not charted_zip3:
                table.band_zones[band] = zones
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
