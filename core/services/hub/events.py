"""Exactly-once application of store events (DESIGN.md principle 2).

A batch of movements alone is first applied whole by `movement_batch` (a few statements for the
whole batch). Every other batch, and one that cannot be applied whole, goes event by event, in the
caller's transaction:

1. claim `(source, event id)` in `inbound_events` with INSERT … ON CONFLICT DO NOTHING; if the
   claim exists the event was seen: same content hash → `duplicate` (or the stored rejection
   again), other content → `rejected` as a conflict and the new payload kept in `event_conflicts`;
2. apply the effect inside a SAVEPOINT: a refused event (unknown SKU, illegal step, another
   store's fulfilment) rolls back only its own savepoint and is recorded as rejected with the
   reason and field, so a poison event never blocks the rest of the batch;
3. the caller commits, and only then answers — an ack is never sent for work that could still
   roll back; a retry after a lost answer finds the claims and is answered `duplicate`.

Both paths lock the stock rows the batch's movements touch up front in sorted order, so
concurrent batches on PostgreSQL queue instead of deadlocking.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.domain.errors import OmsError
from core.domain.inventory import Bucket, MovementSpec, Reason, utc_now
from core.services.allocation import Router
from core.services.hub import payloads
from core.services.hub.feed import emit
from core.services.hub.fulfilment_updates import FulfilmentUpdate, LateEventError, apply_fulfilment_update
from core.services.hub.inbox import EventOutcome, claim, content_hash, reject, seen
from core.services.hub.movement_batch import apply_movement_batch, check_store_movement
from core.services.hub.refunds import StoreRefund, apply_refund
from core.services.hub.shortages import reroute_shortages
from core.services.inventory import record_movements
from core.services.orders import Actor
from core.services.positions import lock_positions
from core.storage.models import Location, Product

FULFILLING = {Reason.SHIPMENT, Reason.PICKUP}  # stock leaving for a fulfilment whose reservation covers it


@dataclass(frozen=True, slots=True)
class StoreEvent:
    """One event as the hub applies it; `document` is its canonical JSON, hashed to spot conflicts."""

    id: uuid.UUID
    kind: str
    document: dict[str, Any]
    body: MovementSpec | FulfilmentUpdate | StoreRefund


def _field(kind: str, name: str | None) -> str | None:
    if name is None or name == "id":
        return name
    if kind == "fulfilment" and name == "state":
        return "payload.action"
    if kind == "fulfilment" and name == "rejected":
        return "payload.lines"
    return f"payload.{name}"


def _takes_sellable(body: MovementSpec | FulfilmentUpdate | StoreRefund) -> bool:
    """A movement that took sellable stock outside a fulfilment (a sale, damage, a count)."""
    return (
        isinstance(body, MovementSpec)
        and body.bucket is Bucket.SELLABLE
        and body.qty < 0
        and body.reason not in FULFILLING
    )


def _apply_movement(session: Session, source: str, spec: MovementSpec, now: datetime) -> None:
    check_store_movement(source, spec)
    record_movements(session, [spec], recorded_at=now, allow_negative_sellable=True)


def _prelock(session: Session, source: str, events: Sequence[StoreEvent]) -> None:
    """Lock every stock row the batch's (valid) movements touch, in the one global order."""
    keys = {(e.body.location, e.body.sku) for e in events if isinstance(e.body, MovementSpec)}
    keys = {k for k in keys if k[0] == source}
    skus = {sku for _, sku in keys}
    known = set(session.scalars(select(Product.sku).where(Product.sku.in_(skus)))) if skus else set()
    if keys and session.get(Location, source) is not None:
        lock_positions(session, [k for k in keys if k[1] in known])


def apply_events(
    session: Session,
    router: Router,
    source: str,
    events: Sequence[StoreEvent],
    *,
    now: datetime | None = None,
) -> list[EventOutcome]:
    """Apply a store's batch (oldest first) exactly once; one outcome per event, in order.

    A batch of movements, with any refunds among them, is first tried whole (`movement_batch`; the
    refunds, which touch no stock, then event by event); anything else, or a batch that cannot be
    applied whole, goes event by event."""
    now = now or utc_now()
    actor = Actor(user=f"store:{source}", device="")
    movements = [(e.id, e.document, e.body) for e in events if isinstance(e.body, MovementSpec)]
    refunds = [e for e in events if isinstance(e.body, StoreRefund)]
    outcomes = None
    distinct = len({e.id for e in events}) == len(events)  # answers are matched back by id
    if movements and len(movements) + len(refunds) == len(events) and distinct:
        applied = apply_movement_batch(session, source, movements, now)
        if applied is not None:
            by_id = {o.id: o for o in applied + _one_by_one(session, router, source, refunds, actor, now)}
            outcomes = [by_id[e.id] for e in events]
    if outcomes is None:
        outcomes = _one_by_one(session, router, source, events, actor, now)
    short = {
        (e.body.location, e.body.sku)
        for e, o in zip(events, outcomes, strict=True)
        if o.status == "applied" and _takes_sellable(e.body)
    }
    if short:
        reroute_shortages(session, router, short, actor=actor, now=now)
    session.flush()
    return outcomes


def _one_by_one(
    session: Session,
    router: Router,
    source: str,
    events: Sequence[StoreEvent],
    actor: Actor,
    now: datetime,
) -> list[EventOutcome]:
    """Each event claimed and applied in its own savepoint, so a poison event is rejected alone."""
    _prelock(session, source, events)
    outcomes: list[EventOutcome] = []
    for event in events:
        if not claim(session, source, event.id, event.kind, content_hash(event.document), now):
            outcomes.append(seen(session, source, event.id, event.document, now))
            continue
        try:
            with session.begin_nested():
                if isinstance(event.body, MovementSpec):
                    _apply_movement(session, source, event.body, now)
                elif isinstance(event.body, StoreRefund):
                    apply_refund(session, source, event.body)
                else:
                    apply_fulfilment_update(
                        session, router, source, event.body, actor=actor, now=now, event_id=event.id
                    )
        except OmsError as exc:
            outcome = reject(session, source, event.id, exc.message, _field(event.kind, exc.field))
            outcomes.append(outcome)
            if isinstance(exc, LateEventError):
                answer = payloads.event_answer(event.id, outcome.reason, outcome.field, exc.fulfilment_id)
                emit(session, source, payloads.EVENT_ANSWER, answer, now=now)
            continue
        outcomes.append(EventOutcome(event.id, "applied"))
    return outcomes
