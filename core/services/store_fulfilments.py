"""The store's copy of its fulfilments, kept from the hub's feed.

The store holds only its own fulfilments, and its local state can be ahead of the hub's (steps
still in the outbox) or the feed entry can be older than a step the hub already acknowledged. So
an incremental entry never rolls a known fulfilment back; only a snapshot, taken by the hub after
the store pushed everything, may set a known fulfilment's state and lines, and then only when no
step of it is still pending.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.domain.lifecycle import FulfilmentState
from core.services.store_catalog import ensure_location, ensure_products
from core.services.store_ops import hold_stock, reject_units, release_stock
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
REJECTABLE = ("assigned", "picking", "picked")


@dataclass(frozen=True, slots=True)
class Context:
    location: str
    now: datetime
    snapshot: bool


def pending_steps(session: Session, fulfilment_id: str) -> int:
    query = select(func.count()).where(
        OutboxEvent.fulfilment_id == fulfilment_id,
        OutboxEvent.kind == "fulfilment",
        OutboxEvent.state == OutboxState.PENDING,
    )
    return int(session.scalar(query) or 0)


def set_state(session: Session, fulfilment: Fulfilment, state: str, reason: str, now: datetime) -> None:
    """Take the hub's word for the state (it may skip steps), with an audit row and reservations settled."""
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
    was_open = fulfilment.state in OPEN_STATES
    fulfilment.state, fulfilment.updated_at = state, now
    if was_open and state not in OPEN_STATES:
        done = state in (FulfilmentState.SHIPPED, FulfilmentState.COLLECTED)
        release_stock(session, fulfilment, ReservationStatus.CONSUMED if done else ReservationStatus.RELEASED)
    session.flush()


def live_units(fulfilment: Fulfilment) -> dict[str, int]:
    units: dict[str, int] = {}
    for line in fulfilment.lines:
        units[line.sku] = units.get(line.sku, 0) + line.live_qty
    return units


def message(
    session: Session, kind: str, text: str, p: Mapping[str, Any], now: datetime, **extra: Any
) -> None:
    session.add(SyncMessage(kind=kind, text=text[:500], payload=dict(p), created_at=now, **extra))


def fulfilment_assigned(session: Session, p: Mapping[str, Any], ctx: Context) -> None:
    ensure_location(session, p["location"])
    ensure_products(session, {line["sku"]: line["name"] for line in p["lines"]})
    hub_units: dict[str, int] = {}
    for line in p["lines"]:
        hub_units[line["sku"]] = hub_units.get(line["sku"], 0) + int(line["qty"])
    fulfilment = session.get(Fulfilment, p["fulfilment_id"])
    if fulfilment is None:
        _create(session, p, hub_units, ctx.now)
        return
    if not ctx.snapshot or pending_steps(session, fulfilment.id):
        return
    taken = {sku: live - hub_units.get(sku, 0) for sku, live in live_units(fulfilment).items()}
    taken = {sku: qty for sku, qty in taken.items() if qty > 0}
    if taken and fulfilment.state in REJECTABLE:
        reject_units(session, fulfilment, taken, "re-routed by the hub")
    set_state(session, fulfilment, p.get("state", "assigned"), "hub snapshot", ctx.now)


def _ensure_order(session: Session, p: Mapping[str, Any], now: datetime) -> Order:
    order = session.get(Order, p["order_id"])
    if order is not None:
        return order
    order = Order(
        id=p["order_id"],
        channel=HUB,
        placed_at=datetime.fromisoformat(p["created_at"]),
        customer_name=p["customer_name"],
        customer_phone=p.get("customer_phone") or "",
        customer_email=p.get("customer_email") or "",
        delivery_method=p["delivery_method"],
        ship_postal_code=p.get("ship_postal_code") or "",
        ship_country=p.get("ship_country") or "US",
        pickup_location=p["location"] if p["delivery_method"] == "pickup" else None,
        promise_by=datetime.fromisoformat(p["promise_by"]) if p.get("promise_by") else None,
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


def _create(session: Session, p: Mapping[str, Any], units: dict[str, int], now: datetime) -> None:
    """A new fulfilment for this store: a local order shell (lines as assigned) and reservations."""
    order = _ensure_order(session, p, now)
    prices = {line["sku"]: Decimal(str(line.get("unit_price") or 0)) for line in p["lines"]}
    next_no = max((line.line_no for line in order.lines), default=0)
    rows = []
    for sku, qty in units.items():
        if qty <= 0:
            continue
        next_no += 1
        order_line = OrderLine(line_no=next_no, sku=sku, qty=qty, unit_price=prices.get(sku, Decimal(0)))
        order.lines.append(order_line)
        order.total += order_line.unit_price * qty
        session.flush()
        rows.append(FulfilmentLine(order_line_id=order_line.id, sku=sku, qty=qty))
    state = p.get("state", "assigned")
    fulfilment = Fulfilment(
        id=p["fulfilment_id"],
        order_id=order.id,
        location_code=p["location"],
        state=state,
        carrier=p.get("carrier") or "",
        service=p.get("service") or "",
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
    if state in OPEN_STATES:
        hold_stock(session, fulfilment, now=now)


def fulfilment_cancelled(session: Session, p: Mapping[str, Any], ctx: Context) -> None:
    fulfilment = session.get(Fulfilment, p["fulfilment_id"])
    if fulfilment is not None and fulfilment.state in OPEN_STATES:
        set_state(
            session, fulfilment, FulfilmentState.CANCELLED, f"cancelled by the hub: {p['reason']}", ctx.now
        )
    text = f"Fulfilment {p['fulfilment_id']} (order {p['order_id']}) was cancelled: {p['reason']}"
    message(session, "fulfilment_cancelled", text, p, ctx.now, fulfilment_id=p["fulfilment_id"])


def _unanswered_rejection(session: Session, fulfilment_id: str) -> OutboxEvent | None:
    """The oldest `reject_lines` step of the store that the hub acknowledged but has not answered
    with a `lines_rerouted` yet. The hub applies a store's steps in order and answers each applied
    rejection with exactly one entry, so matching oldest-first pairs them correctly."""
    answered = select(SyncMessage.event_id).where(
        SyncMessage.kind == "lines_rerouted", SyncMessage.event_id.is_not(None)
    )
    return session.scalar(
        select(OutboxEvent)
        .where(
            OutboxEvent.fulfilment_id == fulfilment_id,
            OutboxEvent.kind == "fulfilment",
            OutboxEvent.state == OutboxState.SENT,
            OutboxEvent.payload["action"].as_string() == "reject_lines",
            OutboxEvent.event_id.not_in(answered),
        )
        .order_by(OutboxEvent.position)
        .limit(1)
    )


def lines_rerouted(session: Session, p: Mapping[str, Any], ctx: Context) -> None:
    """Units taken off one of the store's fulfilments. When it answers the store's own rejection,
    the local copy already shows it; when the hub moved them on its own (e.g. an offline sale left
    too little stock), take them off here too."""
    fulfilment = session.get(Fulfilment, p["fulfilment_id"])
    own = _unanswered_rejection(session, p["fulfilment_id"]) if fulfilment is not None else None
    if fulfilment is not None and own is None and fulfilment.state in REJECTABLE:
        live = live_units(fulfilment)
        taken = {ln["sku"]: min(int(ln["qty"]), live.get(ln["sku"], 0)) for ln in p["lines"]}
        taken = {sku: qty for sku, qty in taken.items() if qty > 0}
        if taken:
            reject_units(session, fulfilment, taken, p["reason"])
    if (
        fulfilment is not None
        and fulfilment.state in REJECTABLE
        and p.get("fulfilment_state") == "rejected"
        and all(ln.live_qty == 0 for ln in fulfilment.lines)
    ):
        set_state(session, fulfilment, FulfilmentState.REJECTED, p["reason"], ctx.now)
    event_id = own.event_id if own is not None else None
    message(
        session, "lines_rerouted", p["text"], p, ctx.now, fulfilment_id=p["fulfilment_id"], event_id=event_id
    )


def drop_unlisted(session: Session, listed: set[str], now: datetime) -> None:
    """After a snapshot, open fulfilments the hub no longer gives this store are not the store's work."""
    for fulfilment in session.scalars(select(Fulfilment).where(Fulfilment.state.in_(OPEN_STATES))):
        if fulfilment.id not in listed and not pending_steps(session, fulfilment.id):
            set_state(
                session, fulfilment, FulfilmentState.CANCELLED, "no longer assigned (hub snapshot)", now
            )
