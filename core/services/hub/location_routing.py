"""Pausing a location for routing, resuming it, and setting its daily capacity, with an audit row.

The planner reads `enabled` and `daily_capacity` from the location row for every order
(`core.services.routing_snapshot`), so a change here applies to the next order routed and never
to fulfilments already given out. Each change is a `state_events` row for the entity `location`
(who, on which device, when, why) so a regional manager can see who paused a store and why; a
pause needs its reason. The last pause or resume is read back with the status.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.domain.actors import Actor
from core.domain.errors import NotFoundError, ValidationError
from core.domain.inventory import utc_now
from core.domain.location_routing import MAX_CAPACITY, REASON_LIMIT, LocationRouting
from core.services.orders import record_state_event
from core.services.routing_snapshot import used_today
from core.storage.models import Location, StateEvent

ENTITY = "location"
TAKING, PAUSED = "taking", "paused"


def _location(session: Session, code: str) -> Location:
    row = session.get(Location, code)
    if row is None:
        raise NotFoundError(f"no location {code}", field="location")
    return row


def location_routing(session: Session, code: str, *, now: datetime | None = None) -> LocationRouting:
    """Taking orders or paused (and by whom, why), the daily capacity and what today used of it."""
    row = _location(session, code)
    last = session.scalars(
        select(StateEvent)
        .where(
            StateEvent.entity == ENTITY,
            StateEvent.entity_id == code,
            StateEvent.to_state.in_((TAKING, PAUSED)),
        )
        .order_by(StateEvent.id.desc())
        .limit(1)
    ).first()
    return LocationRouting(
        location=row.code,
        name=row.name,
        enabled=row.enabled,
        daily_capacity=row.daily_capacity,
        used_today=used_today(session, [row], now or utc_now()).get(code, 0),
        changed_by=last.actor if last is not None else None,
        changed_at=last.at if last is not None else None,
        reason=last.reason if last is not None else "",
    )


def steer_location(
    session: Session,
    code: str,
    *,
    enabled: bool | None = None,
    daily_capacity: int | None = None,
    reason: str = "",
    actor: Actor,
    now: datetime | None = None,
) -> LocationRouting:
    """Pause or resume `code` and/or set its daily capacity; bad input changes nothing."""
    if enabled is None and daily_capacity is None:
        raise ValidationError("say what to change: enabled, daily_capacity or both", field="enabled")
    if daily_capacity is not None and not 0 <= daily_capacity <= MAX_CAPACITY:
        raise ValidationError(
            f"daily capacity {daily_capacity} is not between 0 and {MAX_CAPACITY:,}", field="daily_capacity"
        )
    reason = " ".join(reason.split())
    if len(reason) > REASON_LIMIT:
        raise ValidationError(
            f"the reason is {len(reason)} characters; keep it to {REASON_LIMIT}", field="reason"
        )
    if enabled is False and not reason:
        raise ValidationError("say why new orders should stop (e.g. short-staffed)", field="reason")
    row = _location(session, code)
    stamp = now or utc_now()
    if enabled is not None and enabled != row.enabled:
        before, after = (TAKING, PAUSED) if row.enabled else (PAUSED, TAKING)
        row.enabled = enabled
        record_state_event(session, ENTITY, code, before, after, actor, reason, stamp)
    if daily_capacity is not None and daily_capacity != row.daily_capacity:
        before_cap = f"capacity {row.daily_capacity}"
        row.daily_capacity = daily_capacity
        record_state_event(
            session, ENTITY, code, before_cap, f"capacity {daily_capacity}", actor, reason, stamp
        )
    session.flush()
    return location_routing(session, code, now=stamp)
