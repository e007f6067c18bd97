"""A push of store movements applied with a handful of statements, when it can be applied whole.

Event by event (`events.py`) exactly-once costs about a dozen statements per event: claim,
savepoint, ledger row, balance, outcome. A store back online pushes hundreds of plain movements at
once, and nearly always every one of them is new and valid, so this path does the same work for
the whole batch at once, in the caller's transaction:

1. every event is checked as the per-event path would check it (a movement at the pushing store,
   not a hub-only reason, a known SKU);
2. in one savepoint: the stock rows the batch touches are created when missing and locked in the
   one global order (`lock_balances`); every id is claimed with one multi-row INSERT … ON CONFLICT
   DO NOTHING RETURNING, rows sorted by id so overlapping pushes queue in the same order; ids seen
   before are answered from their claims (duplicate, the stored rejection, or a conflict kept for
   review, exactly as `inbox.seen` answers); the fresh movements are replayed in order against the
   locked balances (damaged, quarantine and in-transit may not go below zero, sellable may: the
   sale happened); then one INSERT writes the ledger rows and one UPDATE adds the deltas.

A batch that cannot be applied whole (an event the per-event path would refuse, the same id twice
in the batch, an id already in the ledger) rolls the savepoint back and returns None: the caller
then applies it event by event, which isolates the poison event and answers as it always did.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.domain.errors import OmsError, ValidationError
from core.domain.inventory import Bucket, MovementSpec, Reason
from core.services.hub.access import PermissionDeniedError
from core.services.hub.inbox import EventOutcome, content_hash, seen
from core.services.inventory import movement_row
from core.services.positions import BUCKETS, lock_balances
from core.storage.bulk import add_to_columns, insert_rows
from core.storage.models import InboundEvent, Movement, Product, StockPosition

HUB_ONLY = {Reason.SNAPSHOT}  # reasons a store writes locally from the hub's word, never as its own fact

Item = tuple[uuid.UUID, dict[str, Any], MovementSpec]  # event id, canonical JSON, the movement


class _NotWholeError(Exception):
    """The batch holds something only the per-event path may answer; its savepoint rolls back."""


def check_store_movement(source: str, spec: MovementSpec) -> None:
    """What a store may push as a movement, whichever path applies it."""
    if spec.location != source:
        raise PermissionDeniedError(
            f"a device of {source} cannot record stock at {spec.location}", field="location"
        )
    if spec.reason in HUB_ONLY:  # a snapshot movement is the hub's own number coming back
        raise ValidationError(
            f"'{spec.reason.value}' movements come from the hub and are never pushed", field="reason"
        )


def apply_movement_batch(
    session: Session, source: str, items: Sequence[Item], now: datetime
) -> list[EventOutcome] | None:
    """The outcomes of the whole batch, in order; None when it must go event by event."""
    try:
        for _, _, spec in items:
            check_store_movement(source, spec)
    except OmsError:
        return None
    if len({event_id for event_id, _, _ in items}) < len(items):
        return None
    skus = {spec.sku for _, _, spec in items}
    if len(set(session.scalars(select(Product.sku).where(Product.sku.in_(skus))))) < len(skus):
        return None
    try:
        with session.begin_nested():
            return _apply(session, source, items, now)
    except (_NotWholeError, IntegrityError):  # IntegrityError: an id already in the ledger
        return None


def _apply(session: Session, source: str, items: Sequence[Item], now: datetime) -> list[EventOutcome]:
    balances = lock_balances(session, {(spec.location, spec.sku) for _, _, spec in items})
    digests = {event_id: content_hash(document) for event_id, document, _ in items}
    claimed = _claim(session, source, digests, now)
    outcomes = {event_id: EventOutcome(event_id, "applied") for event_id in claimed}
    earlier = [(event_id, document) for event_id, document, _ in items if event_id not in claimed]
    outcomes |= _answers_for_seen(session, source, earlier, digests, now)
    fresh = [spec for event_id, _, spec in items if event_id in claimed]
    if fresh:
        _write(session, fresh, _replay(balances, fresh), now)
    return [outcomes[event_id] for event_id, _, _ in items]


def _write(
    session: Session,
    fresh: Sequence[MovementSpec],
    deltas: dict[tuple[str, str], dict[str, int]],
    now: datetime,
) -> None:
    insert_rows(session, Movement, [movement_row(s, now) for s in fresh])
    add_to_columns(
        session,
        StockPosition,
        ("location_code", "sku"),
        [{"location_code": loc, "sku": sku, **added} for (loc, sku), added in sorted(deltas.items())],
    )
    _expire_positions(session, set(deltas))


def _claim(session: Session, source: str, digests: dict[uuid.UUID, str], now: datetime) -> set[uuid.UUID]:
    rows = [
        {
            "source": source,
            "event_id": event_id,
            "kind": "movement",
            "payload_hash": digest,
            "status": "applied",
            "reason": "",
            "field": None,
            "received_at": now,
        }
        for event_id, digest in sorted(digests.items())
    ]
    return set(insert_rows(session, InboundEvent, rows, skip_existing=True, returning="event_id"))


def _answers_for_seen(
    session: Session,
    source: str,
    earlier: Sequence[tuple[uuid.UUID, dict[str, Any]]],
    digests: dict[uuid.UUID, str],
    now: datetime,
) -> dict[uuid.UUID, EventOutcome]:
    """A retried batch in one query; a stored rejection or a conflict through `seen`, as ever."""
    if not earlier:
        return {}
    rows = session.execute(
        select(InboundEvent.event_id, InboundEvent.payload_hash, InboundEvent.status).where(
            InboundEvent.source == source, InboundEvent.event_id.in_([e for e, _ in earlier])
        )
    )
    stored = {event_id: (digest, status) for event_id, digest, status in rows}
    answers = {}
    for event_id, document in earlier:
        if stored.get(event_id) == (digests[event_id], "applied"):
            answers[event_id] = EventOutcome(event_id, "duplicate")
        else:
            answers[event_id] = seen(session, source, event_id, document, now)
    return answers


def _replay(
    balances: dict[tuple[str, str], dict[str, int]], fresh: Sequence[MovementSpec]
) -> dict[tuple[str, str], dict[str, int]]:
    """Each position's change per bucket, refusing the batch where a movement in its turn would take
    a bucket other than sellable below zero (the per-event path rejects that one event)."""
    running = {key: dict(values) for key, values in balances.items()}
    deltas: dict[tuple[str, str], dict[str, int]] = {}
    for spec in fresh:
        key, bucket = (spec.location, spec.sku), spec.bucket.value
        running[key][bucket] += spec.qty
        if running[key][bucket] < 0 and spec.bucket is not Bucket.SELLABLE:
            raise _NotWholeError(bucket)
        deltas.setdefault(key, dict.fromkeys(BUCKETS, 0))[bucket] += spec.qty
    return deltas


def _expire_positions(session: Session, keys: set[tuple[str, str]]) -> None:
    """Positions loaded earlier in this session would show the balances from before the UPDATE."""
    for obj in list(session.identity_map.values()):
        if isinstance(obj, StockPosition) and (obj.location_code, obj.sku) in keys:
            session.expire(obj)
