"""The store's copy of its fulfilments, kept from the hub's feed.

The store holds only its own fulfilments, and its local state can be ahead of the hub's (steps
still in the outbox) or the feed entry can be older than a step the hub already acknowledged. So
an incremental entry never rolls a known fulfilment's state back; only a snapshot, taken by the hub
after the store pushed everything, may set a known fulfilment's state, and only when no step of it
is still pending.

Units are brought to a state, never adjusted by a difference: `lines_rerouted` and snapshot entries
say what the fulfilment still holds on the hub, and the store makes its copy hold exactly that,
minus the units its own rejections took off that the hub has not applied yet ("outstanding": still
pending, or acknowledged but not yet answered by their own `lines_rerouted`). Applying an entry
twice, after a snapshot that already reflects it, or in any order with the store's own rejections
therefore gives the same result; subtracting `lines` used to take units off twice or not at all.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.domain.lifecycle import FulfilmentState
from core.services.outbox import SyncKey, get_setting
from core.services.store_catalog import ensure_location, ensure_products
from core.services.store_ops import hold_stock, release_stock
from core.storage.models import (
    Fulfilment,
    FulfilmentLine,
    Order,
    OrderLine,
    OutboxEvent,
    OutboxState,
    Reservation,
    ReservationStatus,
    StateEvent,
    SyncMessage,
)

HUB = "hub"
OPEN_STATES = ("assigned", "picking", "picked", "packed", "ready_for_pickup")


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
    if not ctx.snapshot:
        return
    if not pending_steps(session, fulfilment.id):
        set_state(session, fulfilment, p.get("state", "assigned"), "hub snapshot", ctx.now)
    if fulfilment.state in OPEN_STATES:
        converge_units(
            session, fulfilment, target_units(session, fulfilment, hub_units), "re-routed by the hub"
        )
    settle_reservations(session, fulfilment, ctx.now)


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
        promise_by=order.promise_by,
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


def _rejections(session: Session, fulfilment_id: str) -> list[OutboxEvent]:
    return list(
        session.scalars(
            select(OutboxEvent)
            .where(
                OutboxEvent.fulfilment_id == fulfilment_id,
                OutboxEvent.kind == "fulfilment",
                OutboxEvent.payload["action"].as_string() == "reject_lines",
            )
            .order_by(OutboxEvent.position)
        )
    )


def _answered(session: Session, event_ids: list[Any]) -> set[Any]:
    if not event_ids:
        return set()
    query = select(SyncMessage.event_id).where(
        SyncMessage.kind == "lines_rerouted", SyncMessage.event_id.in_(event_ids)
    )
    return set(session.scalars(query))


def outstanding_rejections(
    session: Session, fulfilment_id: str, *, exclude: Any = None
) -> tuple[dict[str, int], bool]:
    """Units the store's own `reject_lines` took off that the hub's state does not show yet, and
    whether one of them took everything that was left.

    Outstanding: pending, or acknowledged but not answered by a `lines_rerouted` naming it, and
    newer than the last snapshot (which reflects every acknowledged event). A refused rejection is
    not outstanding: the hub kept those units with the store, and so does the copy."""
    settled = int(get_setting(session, SyncKey.REJECTIONS_SETTLED) or 0)
    rows = [r for r in _rejections(session, fulfilment_id) if r.event_id != exclude]
    sent = [r for r in rows if r.state == OutboxState.SENT and r.position > settled]
    answered = _answered(session, [r.event_id for r in sent])
    units: dict[str, int] = {}
    everything = False
    for row in rows:
        if row.state == OutboxState.PENDING or (row in sent and row.event_id not in answered):
            lines = row.payload.get("lines") or []
            everything = everything or not lines
            for line in lines:
                units[line["sku"]] = units.get(line["sku"], 0) + int(line["qty"])
    return units, everything


def target_units(
    session: Session, fulfilment: Fulfilment, hub_units: Mapping[str, int], *, exclude: Any = None
) -> dict[str, int]:
    """What the copy should hold: the hub's live units less the store's outstanding rejections."""
    units, everything = outstanding_rejections(session, fulfilment.id, exclude=exclude)
    skus = {line.sku for line in fulfilment.lines} | set(hub_units)
    if everything:
        return dict.fromkeys(skus, 0)
    return {sku: max(0, int(hub_units.get(sku, 0)) - units.get(sku, 0)) for sku in skus}


def converge_units(session: Session, fulfilment: Fulfilment, target: Mapping[str, int], reason: str) -> bool:
    """Set rejected units per SKU so live units equal `target` (as far as the lines allow); True if
    anything changed. Units come back too: a rejection the hub refused leaves them with the store."""
    changed = False
    for sku in sorted({line.sku for line in fulfilment.lines}):
        lines = [ln for ln in fulfilment.lines if ln.sku == sku]
        delta = sum(ln.live_qty for ln in lines) - int(target.get(sku, 0))
        for line in lines if delta > 0 else reversed(lines):
            if delta > 0:
                take = min(delta, line.live_qty)
                if take:
                    line.rejected_qty += take
                    line.rejection_reason = reason[:120]
                    delta -= take
                    changed = True
            elif delta < 0:
                give = min(-delta, line.rejected_qty)
                if give:
                    line.rejected_qty -= give
                    line.rejection_reason = line.rejection_reason if line.rejected_qty else ""
                    delta += give
                    changed = True
    if changed:
        session.flush()
    return changed


def settle_reservations(session: Session, fulfilment: Fulfilment, now: datetime) -> None:
    """Make the local reservations hold exactly the live units of an open fulfilment (none otherwise)."""
    held: dict[str, int] = {}
    for reservation in session.scalars(
        select(Reservation).where(
            Reservation.fulfilment_id == fulfilment.id, Reservation.status == ReservationStatus.ACTIVE
        )
    ):
        held[reservation.sku] = held.get(reservation.sku, 0) + reservation.qty
    wanted = (
        {sku: qty for sku, qty in live_units(fulfilment).items() if qty}
        if fulfilment.state in OPEN_STATES
        else {}
    )
    if held != wanted:
        release_stock(session, fulfilment, ReservationStatus.RELEASED)
        if wanted:
            hold_stock(session, fulfilment, now=now)


def _own_rejection(session: Session, p: Mapping[str, Any]) -> OutboxEvent | None:
    """The store's own `reject_lines` event this entry answers, if any. Hubs name it (`event_id`);
    for an older hub's entry, the oldest acknowledged, unanswered rejection of the fulfilment."""
    if "event_id" in p:
        if not p["event_id"]:
            return None  # the hub moved the units on its own
        return session.scalar(
            select(OutboxEvent).where(OutboxEvent.event_id == uuid.UUID(str(p["event_id"])))
        )
    rows = [r for r in _rejections(session, p["fulfilment_id"]) if r.state == OutboxState.SENT]
    answered = _answered(session, [r.event_id for r in rows])
    return next((r for r in rows if r.event_id not in answered), None)


def lines_rerouted(session: Session, p: Mapping[str, Any], ctx: Context) -> None:
    """Units taken off one of the store's fulfilments (the answer to the store's own rejection, or the
    hub's own move, e.g. when an offline sale left too little stock): the copy is brought to what
    the fulfilment still holds on the hub, and the hub's text is left as a message."""
    fulfilment = session.get(Fulfilment, p["fulfilment_id"])
    own = _own_rejection(session, p) if fulfilment is not None else None
    if fulfilment is not None and fulfilment.state in OPEN_STATES:
        if p.get("remaining") is not None:
            hub_units = {ln["sku"]: int(ln["qty"]) for ln in p["remaining"]}
            exclude = own.event_id if own is not None else None
            target = target_units(session, fulfilment, hub_units, exclude=exclude)
            converge_units(session, fulfilment, target, p["reason"])
        elif own is None:  # an older hub: subtract what it says it took
            live = live_units(fulfilment)
            taken = {ln["sku"]: min(int(ln["qty"]), live.get(ln["sku"], 0)) for ln in p["lines"]}
            converge_units(
                session, fulfilment, {sku: live[sku] - taken.get(sku, 0) for sku in live}, p["reason"]
            )
        if p.get("fulfilment_state") == "rejected" and all(ln.live_qty == 0 for ln in fulfilment.lines):
            set_state(session, fulfilment, FulfilmentState.REJECTED, p["reason"], ctx.now)
        settle_reservations(session, fulfilment, ctx.now)
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
