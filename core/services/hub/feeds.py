"""Stock feeds from DCs, 3PLs and drop shippers: absolute snapshots or deltas, each line idempotent.

Every line carries the feed's own key; the hub turns (location, key) into a movement id and claims
it in `inbound_events` like a store event, so a feed re-sent after a timeout changes nothing. A
snapshot line states on-hand and becomes a `feed` movement of the difference (history survives,
as with CSV counts); SKUs a snapshot does not list are left alone. Stores are refused: their
shelves are written by their own devices through sync, never overwritten from outside.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.domain.errors import OmsError, ValidationError
from core.domain.inventory import MovementSpec, Reason, utc_now
from core.domain.network import LocationType
from core.services.allocation import Router
from core.services.hub.inbox import EventOutcome, claim, content_hash, reject, seen
from core.services.hub.shortages import reroute_shortages
from core.services.inventory import record_movements
from core.services.lookups import require_locations, require_products
from core.services.orders import Actor
from core.services.positions import lock_positions
from core.storage.models import Product

FEED_NAMESPACE = uuid.UUID("6f1c7a52-3b1e-4d59-9a51-0c0ffee0f00d")
Mode = Literal["snapshot", "delta"]


@dataclass(frozen=True, slots=True)
class FeedLine:
    key: str  # the feed's idempotency key for this line
    sku: str
    qty: int  # on-hand for a snapshot, signed change for a delta


def feed_event_id(location: str, key: str) -> uuid.UUID:
    return uuid.uuid5(FEED_NAMESPACE, f"{location}|{key}")


def apply_inventory_feed(
    session: Session,
    router: Router,
    location: str,
    mode: Mode,
    lines: Sequence[FeedLine],
    *,
    occurred_at: datetime | None = None,
    now: datetime | None = None,
) -> list[EventOutcome]:
    """Apply a feed; one outcome per line (a bad line is rejected, the others still apply)."""
    now = now or utc_now()
    when = occurred_at or now
    found = require_locations(session, [location])[location]
    if found.type == LocationType.STORE:
        raise ValidationError(
            f"{location} is a store; store stock arrives through store sync", field="location"
        )
    source = f"feed:{location}"
    skus = {line.sku for line in lines}
    known = set(session.scalars(select(Product.sku).where(Product.sku.in_(skus)))) if skus else set()
    lock_positions(session, ((location, sku) for sku in known))  # unknown SKUs are rejected line by line
    outcomes, lowered = [], set()
    for i, line in enumerate(lines):
        event_id = feed_event_id(location, line.key)
        stated = occurred_at.isoformat() if occurred_at else None  # a resend without a time is the same line
        document = {"mode": mode, "sku": line.sku, "qty": line.qty, "occurred_at": stated}
        if not claim(session, source, event_id, f"feed_{mode}", content_hash(document), now):
            outcomes.append(seen(session, source, event_id, document, now))
            continue
        try:
            with session.begin_nested():
                change = _change(session, location, mode, line)
                if change:
                    spec = MovementSpec(
                        location,
                        line.sku,
                        change,
                        Reason.FEED,
                        reference=f"feed {line.key}"[:120],
                        occurred_at=when,
                        id=event_id,
                    )
                    record_movements(session, [spec], recorded_at=now)
        except OmsError as exc:
            outcomes.append(
                reject(session, source, event_id, exc.message, f"lines[{i}].{exc.field or 'sku'}")
            )
            continue
        outcomes.append(EventOutcome(event_id, "applied"))
        if change < 0:
            lowered.add((location, line.sku))
    if lowered:
        reroute_shortages(session, router, lowered, actor=Actor(user=source), now=now)
    return outcomes


def _change(session: Session, location: str, mode: Mode, line: FeedLine) -> int:
    require_products(session, [line.sku])
    if mode == "delta":
        if line.qty == 0:
            raise ValidationError("a delta of zero changes nothing", field="qty")
        return line.qty
    if line.qty < 0:
        raise ValidationError(f"on-hand {line.qty} is negative", field="qty")
    position = lock_positions(session, [(location, line.sku)])[(location, line.sku)]
    return line.qty - position.sellable
