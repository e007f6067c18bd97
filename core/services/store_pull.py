"""Applying what the hub sent to the store's copy, and advancing the cursor in the same transaction.

Principle 3: the cursor says "everything up to here is applied", so it moves only in the
transaction that applied the rows; a crash before commit re-pulls the same changes, which apply
again harmlessly (every handler is idempotent: by fulfilment id, by event id, or by absolute value).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.domain.inventory import utc_now
from core.services import store_fulfilments as fulfilments
from core.services.outbox import SyncKey, get_setting, reject_event, set_setting
from core.services.store_catalog import apply_catalog
from core.services.store_fulfilments import Context
from core.services.store_stock import apply_stock
from core.storage.models import OutboxEvent, OutboxState


@dataclass(frozen=True, slots=True)
class PulledChange:
    """One feed entry as core sees it: the client validated `payload` against the wire model."""

    seq: int
    kind: str
    payload: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class ApplyReport:
    applied: int
    cursor: int
    snapshot: bool


def apply_changes(
    session: Session,
    changes: Sequence[PulledChange],
    cursor: int,
    *,
    snapshot: bool = False,
    epoch: str | None = None,
    now: datetime | None = None,
) -> ApplyReport:
    """Apply one pulled page and store its cursor (and the feed's `epoch`); with `snapshot` the page
    replaces the local copy.

    A snapshot is one page (the hub sends it whole), so fulfilments it does not list are dropped
    here. Stock and catalog entries say themselves whether they are complete. The hub took the
    snapshot after every event the store had seen acknowledged, so those events' answers, which the
    snapshot skips, are settled here (`SyncKey.REJECTIONS_SETTLED`).
    """
    ctx = Context(get_setting(session, SyncKey.LOCATION) or "", now or utc_now(), snapshot)
    if snapshot:
        set_setting(session, SyncKey.REJECTIONS_SETTLED, str(_acknowledged_through(session)), now=ctx.now)
    listed: set[str] = set()
    for change in changes:
        handler = HANDLERS.get(change.kind)
        if handler is None:
            continue  # a newer hub's change kind: skipping it beats stopping the feed
        if change.kind == "fulfilment_assigned":
            listed.add(str(change.payload["fulfilment_id"]))
        handler(session, change.payload, ctx)
    if snapshot:
        fulfilments.drop_unlisted(session, listed, ctx.now)
        generation = int(get_setting(session, SyncKey.SNAPSHOT_GENERATION) or 0) + 1
        set_setting(session, SyncKey.SNAPSHOT_GENERATION, str(generation), now=ctx.now)
        # any snapshot answers a wish for one: it was taken after the refusal that made the wish
        set_setting(session, SyncKey.SNAPSHOT_WANTED, "", now=ctx.now)
    set_setting(session, SyncKey.CURSOR, str(cursor), now=ctx.now)
    if epoch is not None:
        set_setting(session, SyncKey.EPOCH, epoch, now=ctx.now)
    set_setting(session, SyncKey.LAST_SYNC, ctx.now.isoformat(), now=ctx.now)
    return ApplyReport(len(changes), cursor, snapshot)


def _acknowledged_through(session: Session) -> int:
    """The newest outbox position the hub has answered. Every rejection up to it that the hub
    applied is in the state it snapshots; one still pending there is outstanding anyway (pending).
    Erring this way is safe: a rejection taken as settled too early only until its own answer comes
    is corrected by that answer, while one taken as outstanding forever would never be."""
    return int(
        session.scalar(select(func.max(OutboxEvent.position)).where(OutboxEvent.state != OutboxState.PENDING))
        or 0
    )


def _event_answer(session: Session, p: Mapping[str, Any], ctx: Context) -> None:
    """The hub refused an event after acknowledging it: move it to the review list with the reason."""
    event_id = uuid.UUID(str(p["event_id"]))
    row = session.scalar(select(OutboxEvent).where(OutboxEvent.event_id == event_id))
    if row is not None:
        reject_event(session, row, p["reason"], p.get("field"), now=ctx.now)
        return
    text = f"The hub refused an earlier event: {p['reason']}"
    fulfilments.message(
        session, "event_answer", text, p, ctx.now, fulfilment_id=p.get("fulfilment_id"), event_id=event_id
    )


HANDLERS: dict[str, Callable[[Session, Mapping[str, Any], Context], None]] = {
    "fulfilment_assigned": fulfilments.fulfilment_assigned,
    "fulfilment_cancelled": fulfilments.fulfilment_cancelled,
    "lines_rerouted": fulfilments.lines_rerouted,
    "event_answer": _event_answer,
    "stock": lambda session, p, ctx: apply_stock(session, p, now=ctx.now) and None,
    "catalog": lambda session, p, ctx: apply_catalog(session, p),
}
