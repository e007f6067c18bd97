"""A location's part in routing as its managers steer it, in values a tablet can hold.

Stores pause new orders when short-staffed or counting stock and lower their daily capacity on a
busy day; both are read by the planner on every order, so a change applies to the next one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

MAX_CAPACITY = 100_000  # orders a day: far above any store, low enough to catch a typo
REASON_LIMIT = 200


@dataclass(frozen=True, slots=True)
class LocationRouting:
    location: str
    name: str
    enabled: bool  # False: paused, the planner skips it ("paused (disabled)")
    daily_capacity: int
    used_today: int  # fulfilments given to it since local midnight
    changed_by: str | None = None  # the last pause or resume: who, when, why
    changed_at: datetime | None = None
    reason: str = ""
