"""What the Routing screen needs, handed in by the composition root (`app/store_routing.py`).

Both calls go to the hub on the asyncio loop (the switches live there, where the planner reads
them); their failures carry words to show. `steer` checks the manager role in the services
before anything is sent.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from core.domain.associates import SignedIn
from core.domain.location_routing import LocationRouting


@dataclass(frozen=True, slots=True)
class RoutingServices:
    status: Callable[[], Awaitable[LocationRouting]]
    # (manager, enabled or None to keep, daily capacity or None to keep, reason)
    steer: Callable[[SignedIn, bool | None, int | None, str], Awaitable[LocationRouting]]
