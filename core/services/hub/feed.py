"""Each store's inbox: the change feed, read after a cursor, with a snapshot when the cursor is useless.

`seq` is one global sequence, so on PostgreSQL two transactions could commit their rows out of
order and a store that already read seq 11 would never see seq 10. Writers for one location
therefore take a transaction-scoped advisory lock on it before allocating a `seq`: rows of one
location become visible in `seq` order. SQLite serialises writers anyway.

A cursor belongs to one feed, named by the hub's `epoch` (made once per hub database): a device
sends both, so a device without an epoch (new, or reset to ask for a snapshot), one from another
hub, one behind what was pruned or one beyond the head is answered with a snapshot, and a cursor 0
taken from a snapshot of a still empty feed is a valid cursor rather than a reason for another one.
Pruning never deletes the newest entry: SQLite hands out `max(seq) + 1`, and a feed emptied
completely would start again at 1, below cursors the devices already hold.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from core.domain.inventory import utc_now
from core.storage.models import ChangeFeedEntry, HubMeta

PRUNED_THROUGH = "feed_pruned_through"
EPOCH = "feed_epoch"


def lock_feed(session: Session, location: str) -> None:
    """Serialise feed writers (and snapshot readers) of one location until the transaction ends."""
    if session.get_bind().dialect.name != "postgresql":
        return
    key = int.from_bytes(hashlib.sha256(f"feed:{location}".encode()).digest()[:8], "big", signed=True)
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def emit(
    session: Session, location: str, kind: str, payload: dict[str, Any], *, now: datetime | None = None
) -> None:
    """Append a change for one location, in the caller's transaction (so it exists iff the effect does)."""
    lock_feed(session, location)
    session.add(
        ChangeFeedEntry(location_code=location, kind=kind, payload=payload, created_at=now or utc_now())
    )
    session.flush()


def feed_head(session: Session) -> int:
    return int(session.scalar(select(func.max(ChangeFeedEntry.seq))) or 0)


def pruned_through(session: Session) -> int:
    row = session.get(HubMeta, PRUNED_THROUGH)
    return int(row.value) if row else 0


def prune_feed(session: Session, older_than: datetime) -> int:
    """Drop changes older than a time (always keeping the newest); cursors behind the cut get a snapshot."""
    cut = session.scalar(select(func.max(ChangeFeedEntry.seq)).where(ChangeFeedEntry.created_at < older_than))
    if cut is None:
        return 0
    cut = min(cut, feed_head(session) - 1)  # the newest row stays, so seq never goes back (SQLite)
    if cut <= pruned_through(session):
        return 0
    deleted = session.execute(delete(ChangeFeedEntry).where(ChangeFeedEntry.seq <= cut)).rowcount
    row = session.get(HubMeta, PRUNED_THROUGH)
    if row is None:
        session.add(HubMeta(name=PRUNED_THROUGH, value=str(cut)))
    else:
        row.value = str(max(int(row.value), cut))
    session.flush()
    return int(deleted or 0)


def feed_epoch(session: Session) -> str:
    """The name of this hub's feed, made on first use (the app makes it at start). Two hub
    processes starting at once insert with ON CONFLICT DO NOTHING, and both read the one kept."""
    row = session.get(HubMeta, EPOCH)
    if row is None:
        dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        session.execute(
            dialect.insert(HubMeta.__table__)
            .values(name=EPOCH, value=uuid.uuid4().hex)
            .on_conflict_do_nothing()
        )
        row = session.get(HubMeta, EPOCH, populate_existing=True)
        assert row is not None
    return row.value


@dataclass(frozen=True, slots=True)
class FeedFacts:
    """What says whether a cursor is still good, read with each pull (`pull_read`)."""

    epoch: str
    pruned_through: int
    head: int

    def needs_snapshot(self, cursor: int, epoch: str | None = None) -> bool:
        """No epoch and cursor 0 (a fresh or reset device), another feed's epoch, a cursor behind
        what was pruned, or beyond the head (a database from another hub, or restored from a backup)."""
        if epoch:
            if epoch != self.epoch:
                return True
        elif cursor == 0:
            return True
        return cursor < self.pruned_through or cursor > self.head
