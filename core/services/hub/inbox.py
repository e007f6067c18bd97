"""The exactly-once claim shared by store pushes and inventory feeds: one row per (source, event id).

A claim is inserted with ON CONFLICT DO NOTHING in its own savepoint; on PostgreSQL a concurrent
claim of the same id waits for the first transaction and then finds its row, so exactly one of
them applies the effect. The row keeps the content hash (to tell a retry from a conflict) and the
outcome (so a retried rejected event gets the same answer, not a second attempt).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from core.storage.models import EventConflict, InboundEvent

Status = Literal["applied", "duplicate", "rejected"]


@dataclass(frozen=True, slots=True)
class EventOutcome:
    id: uuid.UUID
    status: Status
    reason: str = ""
    field: str | None = None


def content_hash(document: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(document, sort_keys=True, default=str).encode()).hexdigest()


def claim(session: Session, source: str, event_id: uuid.UUID, kind: str, digest: str, now: datetime) -> bool:
    """True when this call claimed the id (first sight); False when it was seen before."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    row = dict(
        source=source,
        event_id=event_id,
        kind=kind,
        payload_hash=digest,
        status="applied",
        reason="",
        field=None,
        received_at=now,
    )
    table = InboundEvent.__table__
    statement = dialect.insert(table).on_conflict_do_nothing().returning(table.c.event_id)
    with session.begin_nested():  # RETURNING, since psycopg reports no rowcount for this statement
        inserted = session.execute(statement, row).first()
    return inserted is not None


def seen(
    session: Session, source: str, event_id: uuid.UUID, document: dict[str, Any], now: datetime
) -> EventOutcome:
    """The answer for an id already claimed: duplicate, the stored rejection, or a conflict (kept)."""
    digest = content_hash(document)
    row = session.get(InboundEvent, (source, event_id), populate_existing=True)
    assert row is not None, "seen() is only called after a failed claim"
    if row.payload_hash != digest:
        known = session.scalar(
            select(EventConflict.id).where(
                EventConflict.source == source,
                EventConflict.event_id == event_id,
                EventConflict.payload_hash == digest,
            )
        )
        if known is None:
            session.add(
                EventConflict(
                    source=source,
                    event_id=event_id,
                    payload_hash=digest,
                    payload=json.loads(json.dumps(document, default=str)),
                    received_at=now,
                )
            )
            session.flush()
        reason = f"conflict: event {event_id} was already received with different content; kept for review"
        return EventOutcome(event_id, "rejected", reason, "id")
    if row.status == "rejected":
        return EventOutcome(event_id, "rejected", row.reason, row.field)
    return EventOutcome(event_id, "duplicate")


def reject(
    session: Session, source: str, event_id: uuid.UUID, reason: str, field: str | None
) -> EventOutcome:
    """Record that a claimed event was refused (its effect's savepoint already rolled back)."""
    row = session.get(InboundEvent, (source, event_id), populate_existing=True)
    assert row is not None
    row.status, row.reason, row.field = "rejected", reason[:240], field
    session.flush()
    return EventOutcome(event_id, "rejected", row.reason, field)
