"""A location's routing switches over the wire (`/v1/locations/{code}/routing`).

A store's tablet reads and steers its own store (a manager signed in on it); hub managers any
location. `by` names the person on the device, for the audit row the hub writes.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AwareDatetime, Field

from core.domain.location_routing import MAX_CAPACITY, REASON_LIMIT
from sync.protocol.base import Code, Wire

Capacity = Annotated[int, Field(ge=0, le=MAX_CAPACITY)]


class LocationRoutingView(Wire):
    location: Code
    name: str
    enabled: bool
    daily_capacity: int
    used_today: int
    changed_by: str | None = None
    changed_at: AwareDatetime | None = None
    reason: str = ""


class SteerRequest(Wire):
    """At least one of `enabled` and `daily_capacity`; a pause (`enabled: false`) needs a reason."""

    enabled: bool | None = None
    daily_capacity: Capacity | None = None
    reason: Annotated[str, Field(max_length=REASON_LIMIT)] = ""
    by: Annotated[str, Field(max_length=64)] = ""
