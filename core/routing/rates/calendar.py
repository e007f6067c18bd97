"""Ship dates and delivery dates for one carrier cut-off.

The planner asks the same few calendar questions thousands of times a second (the same ready time
against every candidate location and service), while the answers only depend on the local date,
whether the cut-off has passed, and the transit days. So each answer is computed once and kept in
a small dictionary; the walk over weekends and holidays then happens once per distinct question.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from core.routing.rates.sheet import WEEKDAYS

_ONE_DAY = timedelta(days=1)
_MAX_SEARCH_DAYS = 370  # a year of holidays and no pickups means the carrier cannot take the parcel
_MAX_CACHED = 65536  # distinct answers kept; a planner run touches a few hundred


class PickupCalendar:
    """When a carrier collects (pickup weekdays, cut-off, holidays) and when it delivers.

    Delivery skips Sundays, the carrier's holidays and, unless the service delivers on Saturdays,
    Saturdays. A transit of 0 days (same-day couriers) delivers on the ship date.
    """

    __slots__ = ("_eta_cache", "_holidays", "_pickup", "_ship_cache", "cutoff")

    def __init__(self, pickup_days: Iterable[str], cutoff: time, holidays: Iterable[date] = ()) -> None:
        self._pickup = frozenset(WEEKDAYS.index(day) for day in pickup_days)
        self.cutoff = cutoff
        self._holidays = frozenset(holidays)
        self._ship_cache: dict[tuple[date, bool], date | None] = {}
        self._eta_cache: dict[tuple[date, int, bool], date] = {}

    def ship_date(self, local_ready: datetime) -> date | None:
        """The day the carrier collects a parcel ready at `local_ready` (origin's local time).

        Ready at or before the cut-off on a pickup day ships that day; otherwise the next pickup day
        that is not a holiday. None when no pickup happens within a year.
        """
        key = (local_ready.date(), local_ready.time() > self.cutoff)
        try:
            return self._ship_cache[key]
        except KeyError:
            pass
        day, after_cutoff = key
        found: date | None = None
        if not after_cutoff and self._collects(day):
            found = day
        else:
            for _ in range(_MAX_SEARCH_DAYS):
                day += _ONE_DAY
                if self._collects(day):
                    found = day
                    break
        if len(self._ship_cache) >= _MAX_CACHED:
            self._ship_cache.clear()
        self._ship_cache[key] = found
        return found

    def eta(self, ship: date, transit_days: int, saturday_delivery: bool) -> date:
        """The delivery date `transit_days` delivery days after `ship`."""
        key = (ship, transit_days, saturday_delivery)
        try:
            return self._eta_cache[key]
        except KeyError:
            pass
        day, left = ship, transit_days
        while left > 0:
            day += _ONE_DAY
            weekday = day.weekday()
            if weekday == 6 or (weekday == 5 and not saturday_delivery) or day in self._holidays:
                continue
            left -= 1
        if len(self._eta_cache) >= _MAX_CACHED:
            self._eta_cache.clear()
        self._eta_cache[key] = day
        return day

    def _collects(self, day: date) -> bool:
        return day.weekday() in self._pickup and day not in self._holidays
