"""Applying what the hub sent to the store's copy, and advancing the cursor in the same transaction.

Principle 3: the cursor says "everything up to here is applied", so it moves only in the
transaction that applied the rows; a crash before commit re-pulls the same changes, which apply
again harmlessly (every handler here is idempotent by fulfilment id or by absolute value).

The store's database holds only its own fulfilments. Its local state can be ahead of the hub's
(events still in the outbox), so a hub state never rolls back a fulfilment with pending events.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.domain.inventory import utc_now
from core.domain.lifecycle import FulfilmentState
from core.services.outbox import SyncKey, get_setting, reject_event, set_setting
from core.services.store_catalog import apply_catalog, ensure_location, ensure_products
from core.services.store_ops import hold_stock, reject_units, release_stock
from core.services.store_stock import apply_stock
from core.storage.models import (
    Fulfilment,
    FulfilmentLine,
    Order,
    OrderLine,
    OutboxEvent,
    OutboxState,
    ReservationStatus,
    StateEvent,
    SyncMessage,
)

HUB = "hub"
OPEN_STATES = ("assigned", "picking", "picked", "packed", "ready_for_pickup")
HOLDING_STATES = OPEN_STATES


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
    now: datetime | None = None,
) -> ApplyReport:
    """Apply one pulled page and store its cursor; with `snapshot` the page replaces the local copy."""
    now = now or utc_now()
    location = get_setting(session, SyncKey.LOCATION) or ""
    seen: set[str] = set()
    for change in changes:
        handler = HANDLERS.get(change.kind)
        if handler is None:
            continue  # a newer hub's change kind: skipping beats stopping the feed
        if change.kind == "fulfilment_assigned":
            seen.add(str(change.payload["fulfilment_id"]))
        handler(session, change.payload, location, now)
    if snapshot:
        _drop_unlisted_fulfilments(session, seen, now)
        generation = int(get_setting(session, SyncKey.SNAPSHOT_GENERATION) or 0) + 1
        set_setting(session, SyncKey.SNAPSHOT_GENERATION, str(generation), now=now)
    set_setting(session, SyncKey.CURSOR, str(cursor), now=now)
    set_setting(session, SyncKey.LAST_SYNC, now.isoformat(), now=now)
    return ApplyReport(len(changes), cursor, snapshot)


def _pending_events_for(session: Session, fulfilment_id: str) -> int:
    query = select(func.count()).where(
        OutboxEvent.fulfilment_id == fulfilment_id,
        OutboxEvent.kind == "fulfilment",
        OutboxEvent.state == OutboxState.PENDING,
    )
    return int(session.scalar(query) or 0)


def _set_state(session: Session, fulfilment: Fulfilment, state: str, reason: str, now: datetime) -> None:
    """Take the hub's word for the state (it may skip steps, e.g. after a snapshot), with an audit row."""
    if fulfilment.state == state:
        return
    session.add(
        StateEvent(
            entity="fulfilment",
            entity_id=fulfilment.id,
            from_state=fulfilment.state,
            to_state=state,
            actor=HUB,
            reason=reason[:240],
            at=now,
        )
    )
    was_holding = fulfilment.state in HOLDING_STATES
    fulfilment.state, fulfilment.updated_at = state, now
    if was_holding and state not in HOLDING_STATES:
        outcome = (
            ReservationStatus.CONSUMED if state in ("shipped", "collected") else ReservationStatus.RELEASED
        )
        release_stock(session, fulfilment, outcome)
    session.flush()


def _ensure_order(session: Session, p: Mapping[str, Any], now: datetime) -> Order:
    order = session.get(Order, p["order_id"])
    if order is not None:
        return order
    created = datetime.fromisoformat(p["created_at"])
    promise = datetime.fromisoformat(p["promise_by"]) if p.get("promise_by") else None
    order = Order(
        id=p["order_id"],
        channel=HUB,
        placed_at=created,
        customer_name=p["customer_name"],
        customer_phone=p.get("customer_phone", ""),
        delivery_method=p["delivery_method"],
        pickup_location=p["location"] if p["delivery_method"] == "pickup" else None,
        promise_by=promise,
        state="in_fulfilment",
        total=Decimal(0),
        payload_hash="",
        created_at=now,
        updated_at=now,
    )
    session.add(order)
    session.add(
        StateEvent(
            entity="order",
            entity_id=order.id,
            to_state=order.state,
            actor=HUB,
            reason="assigned by the hub",
            at=now,
        )
    )
    session.flush()
    return order


def _fulfilment_assigned(session: Session, p: Mapping[str, Any], location: str, now: datetime) -> None:
    ensure_location(session, p["location"])
    ensure_products(session, {line["sku"]: line["name"] for line in p["lines"]})
    fulfilment = session.get(Fulfilment, p["fulfilment_id"])
    hub_units: dict[str, int] = {}
    for line in p["lines"]:
        hub_units[line["sku"]] = hub_units.get(line["sku"], 0) + int(line["qty"])
    if fulfilment is None:
        _create_fulfilment(session, p, hub_units, now)
        return
    # Known already: follow the hub for units taken away and for state, unless the store is ahead.
    if _pending_events_for(session, fulfilment.id):
        return
    taken = {}
    for sku, live in _live(fulfilment).items():
        if live > hub_units.get(sku, 0):
            taken[sku] = live - hub_units.get(sku, 0)
    if taken and fulfilment.state in ("assigned", "picking", "picked"):
        reject_units(session, fulfilment, taken, "re-routed by the hub")
    _set_state(session, fulfilment, p.get("state", "assigned"), "hub state", now)


def _create_fulfilment(session: Session, p: Mapping[str, Any], units: dict[str, int], now: datetime) -> None:
    order = _ensure_order(session, p, now)
    next_no = max((line.line_no for line in order.lines), default=0)
    rows = []
    for sku, qty in units.items():
        if qty <= 0:
            continue
        next_no += 1
        order_line = OrderLine(line_no=next_no, sku=sku, qty=qty, unit_price=Decimal(0))
        order.lines.append(order_line)
        session.flush()
        rows.append(FulfilmentLine(order_line_id=order_line.id, sku=sku, qty=qty))
    state = p.get("state", "assigned")
    fulfilment = Fulfilment(
        id=p["fulfilment_id"],
        order_id=order.id,
        location_code=p["location"],
        state=state,
        carrier=p.get("carrier", ""),
        service=p.get("service", ""),
        eta=datetime.fromisoformat(p["eta"]).date() if p.get("eta") else None,
        created_at=now,
        updated_at=now,
        lines=rows,
    )
    session.add(fulfilment)
    reason = p.get("explanation") or f"assigned to {p['location']}"
    session.add(
        StateEvent(
            entity="fulfilment",
            entity_id=fulfilment.id,
            to_state=state,
            actor=HUB,
            reason=reason[:240],
            at=now,
        )
    )
    session.flush()
    if state in HOLDING_STATES:
        hold_stock(session, fulfilment, now=now)


def _live(fulfilment: Fulfilment) -> dict[str, int]:
    units: dict[str, int] = {}
    for line in fulfilment.lines:
        units[line.sku] = units.get(line.sku, 0) + line.live_qty
    return units


def _message(
    session: Session, kind: str, text: str, p: Mapping[str, Any], now: datetime, **extra: Any
) -> None:
    session.add(SyncMessage(kind=kind, text=text[:500], payload=dict(p), created_at=now, **extra))


def _fulfilment_cancelled(session: Session, p: Mapping[str, Any], location: str, now: datetime) -> None:
    fulfilment = session.get(Fulfilment, p["fulfilment_id"])
    if fulfilment is not None and fulfilment.state in OPEN_STATES:
        _set_state(
            session, fulfilment, FulfilmentState.CANCELLED, f"cancelled by the hub: {p['reason']}", now
        )
    text = f"Fulfilment {p['fulfilment_id']} (order {p['order_id']}) was cancelled: {p['reason']}"
    _message(session, "fulfilment_cancelled", text, p, now, fulfilment_id=p["fulfilment_id"])


def _lines_rerouted(session: Session, p: Mapping[str, Any], location: str, now: datetime) -> None:
    fulfilment = session.get(Fulfilment, p["fulfilment_id"])
    if fulfilment is not None and fulfilment.state in ("assigned", "picking", "picked"):
        ours = session.scalar(
            select(func.count()).where(
                OutboxEvent.fulfilment_id == fulfilment.id,
                OutboxEvent.kind == "fulfilment",
                OutboxEvent.payload["action"].as_string() == "reject_lines",
            )
        )
        if not ours:  # the hub moved units on its own; the store's own rejection is already local
            live = _live(fulfilment)
            taken = {ln["sku"]: min(int(ln["qty"]), live.get(ln["sku"], 0)) for ln in p["lines"]}
            taken = {sku: qty for sku, qty in taken.items() if qty > 0}
            if taken:
                reject_units(session, fulfilment, taken, p["reason"])
        if p.get("fulfilment_state") == "rejected" and all(ln.live_qty == 0 for ln in fulfilment.lines):
            _set_state(session, fulfilment, FulfilmentState.REJECTED, p["reason"], now)
    _message(session, "lines_rerouted", p["text"], p, now, fulfilment_id=p["fulfilment_id"])


def _event_answer(session: Session, p: Mapping[str, Any], location: str, now: datetime) -> None:
    row = session.scalar(select(OutboxEvent).where(OutboxEvent.event_id == _uuid(p["event_id"])))
    if row is not None:
        reject_event(session, row, p["reason"], p.get("field"), now=now)
        return
    text = f"The hub refused an earlier event: {p['reason']}"
    _message(
        session,
        "event_answer",
        text,
        p,
        now,
        fulfilment_id=p.get("fulfilment_id"),
        event_id=_uuid(p["event_id"]),
    )


def _uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _drop_unlisted_fulfilments(session: Session, listed: set[str], now: datetime) -> None:
    """After a snapshot, open fulfilments the hub no longer gives this store are not the store's work."""
    query = select(Fulfilment).where(Fulfilment.state.in_(OPEN_STATES))
    for fulfilment in session.scalars(query):
        if fulfilment.id not in listed and not _pending_events_for(session, fulfilment.id):
            _set_state(
                session, fulfilment, FulfilmentState.CANCELLED, "no longer assigned (hub snapshot)", now
            )


HANDLERS = {
    "fulfilment_assigned": _fulfilment_assigned,
    "fulfilment_cancelled": _fulfilment_cancelled,
    "lines_rerouted": _lines_rerouted,
    "event_answer": _event_answer,
    "stock": lambda session, p, location, now: apply_stock(session, p, now=now),
    "catalog": lambda session, p, location, now: apply_catalog(session, p),
}
