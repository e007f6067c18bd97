"""The client's units of work on the store database; each runs on the worker thread in one transaction.

They translate between outbox rows and the wire protocol, so core never imports `sync` and the
wire models are checked on the way out: an event that does not even validate here would be
refused by the hub too, so it goes straight to the review list instead of blocking the queue.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from core.domain.inventory import utc_now
from core.services.outbox import (
    EventOutcome,
    PendingEvent,
    SyncKey,
    get_setting,
    outbox_counts,
    pending_batch,
    record_outcomes,
    request_snapshot,
    set_setting,
    settings,
    unread_messages,
)
from core.services.store_catalog import ensure_location
from sync.protocol import EVENT_ADAPTER, EVENTS_ADAPTER


@dataclass(frozen=True, slots=True)
class Credentials:
    hub_url: str
    token: str
    location: str


def credentials(session: Session) -> Credentials | None:
    values = settings(session)
    if not values.get(SyncKey.HUB_URL) or not values.get(SyncKey.TOKEN):
        return None
    return Credentials(values[SyncKey.HUB_URL], values[SyncKey.TOKEN], values.get(SyncKey.LOCATION, ""))


def save_enrolment(session: Session, hub_url: str, token: str, location: str, device: str) -> None:
    """Store the token and start the feed over: the next pull is a snapshot, which is always safe."""
    set_setting(session, SyncKey.HUB_URL, hub_url)
    set_setting(session, SyncKey.TOKEN, token)
    set_setting(session, SyncKey.LOCATION, location)
    set_setting(session, SyncKey.DEVICE, device)
    set_setting(session, SyncKey.CURSOR, "0")
    set_setting(session, SyncKey.EPOCH, "")
    set_setting(session, SyncKey.TOKEN_REFUSED, "")
    request_snapshot(session)
    ensure_location(session, location)


def reset_cursor(session: Session) -> None:
    """Ask for a snapshot on the next pull (e.g. after restoring or wiping the store database)."""
    request_snapshot(session)


@dataclass(frozen=True, slots=True)
class FeedPosition:
    cursor: int
    epoch: str | None  # None: this copy has no cursor of the hub's feed yet (the hub sends a snapshot)
    snapshot_wanted: bool  # the copy asked for a snapshot (reset, a refused step, a discarded event)


def feed_position(session: Session) -> FeedPosition:
    values = settings(session)
    return FeedPosition(
        int(values.get(SyncKey.CURSOR) or 0),
        values.get(SyncKey.EPOCH) or None,
        bool(values.get(SyncKey.SNAPSHOT_WANTED)),
    )


def note_token_refused(session: Session) -> None:
    """The hub answered 401 (token revoked or unknown): the UI asks for a new enrolment."""
    if not get_setting(session, SyncKey.TOKEN_REFUSED):
        set_setting(session, SyncKey.TOKEN_REFUSED, utc_now().isoformat())


def clear_token_refused(session: Session) -> None:
    if get_setting(session, SyncKey.TOKEN_REFUSED):
        set_setting(session, SyncKey.TOKEN_REFUSED, "")


@dataclass(frozen=True, slots=True)
class Batch:
    events: list[dict[str, Any]]  # wire JSON, ready to send
    ids: list[uuid.UUID]
    invalid: int  # events moved to the review list because they do not validate


def next_batch(session: Session, limit: int) -> Batch:
    """The oldest pending events as wire JSON; malformed ones are rejected here, not sent.

    The batch is validated in one call; only a batch holding a malformed event is validated again
    row by row, to find it and name its field."""
    rows = pending_batch(session, limit)
    bodies = [
        {
            "id": str(row.event_id),
            "kind": row.kind,
            "occurred_at": row.occurred_at.isoformat(),
            "payload": row.payload,
        }
        for row in rows
    ]
    try:
        events = EVENTS_ADAPTER.dump_python(EVENTS_ADAPTER.validate_python(bodies), mode="json")
    except ValidationError:
        return _valid_ones(session, rows, bodies)
    return Batch(events, [row.event_id for row in rows], 0)


def _valid_ones(session: Session, rows: list[PendingEvent], bodies: list[dict[str, Any]]) -> Batch:
    """Each row on its own: the malformed ones go to the review list, the rest are sent."""
    events, ids, refused = [], [], []
    for row, body in zip(rows, bodies, strict=True):
        try:
            event = EVENT_ADAPTER.validate_python(body)
        except ValidationError as exc:
            first = exc.errors()[0]
            loc = [str(p) for p in first["loc"]]
            where = ".".join(loc[1:] if loc[:1] == [row.kind] else loc)  # drop the union's tag
            refused.append(EventOutcome(row.event_id, "rejected", f"invalid event: {first['msg']}", where))
            continue
        events.append(event.model_dump(mode="json"))
        ids.append(row.event_id)
    record_outcomes(session, refused)
    return Batch(events, ids, len(refused))


@dataclass(frozen=True, slots=True)
class Counts:
    pending: int
    in_doubt: int
    rejected: int
    unread: int
    oldest_pending_at: datetime | None
    last_sync: datetime | None
    location: str | None
    enrolled: bool
    token_refused: bool = False


def counts(session: Session) -> Counts:
    outbox = outbox_counts(session)
    values = settings(session)
    last = values.get(SyncKey.LAST_SYNC)
    return Counts(
        pending=outbox.pending,
        in_doubt=outbox.in_doubt,
        rejected=outbox.rejected,
        unread=len(unread_messages(session)),
        oldest_pending_at=outbox.oldest_pending_at,
        last_sync=datetime.fromisoformat(last) if last else None,
        location=values.get(SyncKey.LOCATION),
        enrolled=bool(values.get(SyncKey.TOKEN)),
        token_refused=bool(values.get(SyncKey.TOKEN_REFUSED)),
    )


def note_sync(session: Session) -> None:
    set_setting(session, SyncKey.LAST_SYNC, utc_now().isoformat())
