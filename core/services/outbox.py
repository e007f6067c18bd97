"""The store's outbox and sync settings: what the relay reads, marks and reports.

Everything here runs inside the caller's transaction. Enqueueing is done by the same service call
that makes the business change (principle 3), so an event exists exactly when its change does.
Marking never deletes: a sent row is kept as the record of what the hub acknowledged, a rejected
row waits on the review list with the hub's reason.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from core.domain.inventory import utc_now
from core.services.lookups import chunked
from core.storage.models import OutboxEvent, OutboxState, SyncMessage, SyncState


class SyncKey:
    """The keys of `sync_state`; one place so the client, the services and the UI agree."""

    HUB_URL = "hub_url"
    TOKEN = "device_token"
    LOCATION = "location"
    DEVICE = "device_name"
    CURSOR = "pull_cursor"
    EPOCH = "feed_epoch"  # the hub feed the cursor belongs to (sent back with it)
    SNAPSHOT_WANTED = "snapshot_wanted"  # "1": the next pull asks for a snapshot
    SNAPSHOT_GENERATION = "snapshot_generation"  # how many snapshots this copy was rebuilt from
    REJECTIONS_SETTLED = "rejections_settled_through"  # outbox position the last snapshot reflects
    LAST_SYNC = "last_sync_at"
    TOKEN_REFUSED = "token_refused_at"  # the hub answered 401: enrol this device again


def get_setting(session: Session, key: str, default: str | None = None) -> str | None:
    row = session.get(SyncState, key)
    return row.value if row is not None else default


def set_setting(session: Session, key: str, value: str, *, now: datetime | None = None) -> None:
    row = session.get(SyncState, key)
    stamp = now or utc_now()
    if row is None:
        session.add(SyncState(key=key, value=value, updated_at=stamp))
    else:
        row.value, row.updated_at = value, stamp
    session.flush()


def settings(session: Session) -> dict[str, str]:
    return dict(session.execute(select(SyncState.key, SyncState.value)).all())


def enqueue(
    session: Session,
    kind: str,
    payload: Mapping[str, Any],
    *,
    event_id: uuid.UUID | None = None,
    occurred_at: datetime | None = None,
    fulfilment_id: str | None = None,
) -> OutboxEvent:
    """Add one event for the relay to push; the caller's transaction commits it with its change."""
    stamp = utc_now()
    row = OutboxEvent(
        event_id=event_id or uuid.uuid4(),
        kind=kind,
        payload=dict(payload),
        occurred_at=occurred_at or stamp,
        created_at=stamp,
        attempts=0,
        last_error="",
        state=OutboxState.PENDING,
        fulfilment_id=fulfilment_id,
    )
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True, slots=True)
class PendingEvent:
    """An outbox row as the relay sends it: read as plain values, since a store back from an outage
    reads thousands and an ORM object per row costs more than sending it."""

    event_id: uuid.UUID
    kind: str
    occurred_at: datetime
    payload: dict[str, Any]


def pending_batch(session: Session, limit: int) -> list[PendingEvent]:
    """The oldest pending events, in the order they were written."""
    query = (
        select(OutboxEvent.event_id, OutboxEvent.kind, OutboxEvent.occurred_at, OutboxEvent.payload)
        .where(OutboxEvent.state == OutboxState.PENDING)
        .order_by(OutboxEvent.position)
        .limit(limit)
    )
    return [PendingEvent(*row) for row in session.execute(query)]


@dataclass(frozen=True, slots=True)
class EventOutcome:
    """The hub's answer to one event, in core's terms (the client maps the wire model onto it)."""

    event_id: uuid.UUID
    status: str  # applied | duplicate | rejected
    reason: str = ""
    field: str | None = None


def record_outcomes(
    session: Session, outcomes: Iterable[EventOutcome], *, now: datetime | None = None
) -> int:
    """Apply the hub's answers: applied/duplicate → sent, rejected → review list (with a message).
    Every answered row counts one more attempt. Returns the rows whose state changed.

    Acknowledged rows, nearly all of them, are marked with two UPDATEs per chunk of ids (a store
    back from an outage records thousands); a rejection goes through `reject_event`."""
    stamp = now or utc_now()
    outcomes = list(outcomes)
    acked = [o.event_id for o in outcomes if o.status in ("applied", "duplicate")]
    changed = 0
    for chunk in chunked(acked):
        among = OutboxEvent.event_id.in_(chunk)
        tried = {"attempts": OutboxEvent.attempts + 1, "last_attempt_at": stamp}
        session.execute(
            update(OutboxEvent).where(among, OutboxEvent.state != OutboxState.PENDING).values(tried)
        )
        sent = {"state": OutboxState.SENT, "resolved_at": stamp, "last_error": "", **tried}
        result = session.execute(
            update(OutboxEvent).where(among, OutboxEvent.state == OutboxState.PENDING).values(sent)
        )
        changed += result.rowcount or 0
    refused = [o for o in outcomes if o.status == "rejected"]
    rows: dict[uuid.UUID, OutboxEvent] = {}
    for chunk in chunked([o.event_id for o in refused]):
        rows.update(
            (r.event_id, r)
            for r in session.scalars(select(OutboxEvent).where(OutboxEvent.event_id.in_(chunk)))
        )
    for outcome in refused:
        if (row := rows.get(outcome.event_id)) is not None:
            row.attempts += 1
            row.last_attempt_at = stamp
            changed += reject_event(session, row, outcome.reason, outcome.field, now=stamp)
    session.flush()
    return changed


def request_snapshot(session: Session) -> None:
    """Ask the hub for a snapshot on the next pull: the copy is rebuilt from the hub's word (plus what
    is still pending), which is always safe. The cursor stays until the snapshot replaces it."""
    set_setting(session, SyncKey.SNAPSHOT_WANTED, "1")


def reject_event(
    session: Session, row: OutboxEvent, reason: str, field: str | None, *, now: datetime | None = None
) -> int:
    """Move an event to the review list and tell the associates why; 0 if it already was there.

    A refused fulfilment step leaves the local copy of that fulfilment where the hub did not follow
    (a state, units taken off), which no later feed entry has to correct: the next pull asks for a
    snapshot."""
    if row.state in (OutboxState.REJECTED, OutboxState.DISCARDED):
        return 0
    stamp = now or utc_now()
    row.state, row.resolved_at = OutboxState.REJECTED, stamp
    if row.kind == "fulfilment":
        request_snapshot(session)
    row.rejection_reason, row.rejection_field = reason[:240], field
    what = f"{row.kind} {row.payload.get('action') or row.payload.get('reason') or ''}".strip()
    where = f" on fulfilment {row.fulfilment_id}" if row.fulfilment_id else ""
    session.add(
        SyncMessage(
            kind="event_rejected",
            fulfilment_id=row.fulfilment_id,
            event_id=row.event_id,
            text=f"The hub refused {what}{where}: {reason}"[:500],
            payload={"reason": reason, "field": field, "event": dict(row.payload)},
            created_at=stamp,
        )
    )
    return 1


def record_attempt_failure(
    session: Session, event_ids: Sequence[uuid.UUID], error: str, *, now: datetime | None = None
) -> None:
    """The outcome is unknown (timeout, dropped connection, hub error): keep pending, note the try."""
    if not event_ids:
        return
    session.execute(
        update(OutboxEvent)
        .where(OutboxEvent.event_id.in_(list(event_ids)), OutboxEvent.state == OutboxState.PENDING)
        .values(attempts=OutboxEvent.attempts + 1, last_attempt_at=now or utc_now(), last_error=error[:240])
    )


def requeue(session: Session, event_ids: Sequence[uuid.UUID] | None = None) -> int:
    """Put events back to pending (a full replay, or a reviewed event to try again) with their ids."""
    query = update(OutboxEvent).values(state=OutboxState.PENDING, resolved_at=None)
    if event_ids is not None:
        query = query.where(OutboxEvent.event_id.in_(list(event_ids)))
    return session.execute(query).rowcount or 0


def discard_rejected(session: Session, event_ids: Sequence[uuid.UUID], *, now: datetime | None = None) -> int:
    """A person reviewed refused events and accepts the hub's word: they leave the review list
    (kept as `discarded`), their messages are marked read, and the next pull takes a snapshot so
    the local stock and fulfilments drop what the hub never applied. Returns the events discarded."""
    stamp = now or utc_now()
    rows = list(
        session.scalars(
            select(OutboxEvent).where(
                OutboxEvent.event_id.in_(list(event_ids)), OutboxEvent.state == OutboxState.REJECTED
            )
        )
    )
    for row in rows:
        row.state, row.resolved_at = OutboxState.DISCARDED, stamp
    if rows:
        mark_messages_read(
            session,
            session.scalars(
                select(SyncMessage.id).where(
                    SyncMessage.event_id.in_([r.event_id for r in rows]), SyncMessage.read_at.is_(None)
                )
            ).all(),
            now=stamp,
        )
        request_snapshot(session)
    session.flush()
    return len(rows)


def mark_messages_read(
    session: Session, message_ids: Sequence[int] | None = None, *, now: datetime | None = None
) -> int:
    """Mark sync messages read (all unread ones when `message_ids` is None); returns how many changed."""
    query = update(SyncMessage).where(SyncMessage.read_at.is_(None)).values(read_at=now or utc_now())
    if message_ids is not None:
        if not message_ids:
            return 0
        query = query.where(SyncMessage.id.in_(list(message_ids)))
    return session.execute(query).rowcount or 0


@dataclass(frozen=True, slots=True)
class OutboxCounts:
    pending: int
    in_doubt: int  # pending events already tried once: the hub may or may not have them
    rejected: int
    oldest_pending_at: datetime | None


def outbox_counts(session: Session) -> OutboxCounts:
    rows = session.execute(
        select(OutboxEvent.state, func.count(), func.min(OutboxEvent.created_at)).group_by(OutboxEvent.state)
    ).all()
    by_state = {state: (count, oldest) for state, count, oldest in rows}
    pending, oldest = by_state.get(OutboxState.PENDING, (0, None))
    in_doubt = session.scalar(
        select(func.count()).where(OutboxEvent.state == OutboxState.PENDING, OutboxEvent.attempts > 0)
    )
    return OutboxCounts(
        pending=pending,
        in_doubt=int(in_doubt or 0),
        rejected=by_state.get(OutboxState.REJECTED, (0, None))[0],
        oldest_pending_at=oldest,
    )


def review_list(session: Session) -> list[OutboxEvent]:
    query = (
        select(OutboxEvent).where(OutboxEvent.state == OutboxState.REJECTED).order_by(OutboxEvent.position)
    )
    return list(session.scalars(query))


def unread_messages(session: Session) -> list[SyncMessage]:
    return list(
        session.scalars(select(SyncMessage).where(SyncMessage.read_at.is_(None)).order_by(SyncMessage.id))
    )
