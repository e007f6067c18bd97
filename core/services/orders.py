"""Taking orders in, splitting them into fulfilments, and moving both through their lifecycles.

Every transition goes through `_move`, which checks the state machine and writes the audit event
in the same transaction, so the trail can never disagree with the state.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.domain.actors import SYSTEM, Actor
from core.domain.errors import ConflictError, NotFoundError, ValidationError
from core.domain.geo import resolve_place
from core.domain.inventory import utc_now
from core.domain.lifecycle import (
    FULFILMENT_MACHINE,
    ORDER_MACHINE,
    FulfilmentState,
    OrderState,
    StateMachine,
)
from core.domain.orders import DeliveryMethod, OrderRequest
from core.domain.parsing import require_quantity
from core.services.lookups import require_locations, require_products
from core.storage.models import Fulfilment, FulfilmentLine, Order, OrderLine, StateEvent


def payload_hash(order: OrderRequest) -> str:
    return hashlib.sha256(order.model_dump_json().encode()).hexdigest()


def get_order(session: Session, order_id: str) -> Order:
    order = session.get(Order, order_id)
    if order is None:
        raise NotFoundError(f"no order {order_id}", field="order_id")
    return order


def get_fulfilment(session: Session, fulfilment_id: str) -> Fulfilment:
    fulfilment = session.get(Fulfilment, fulfilment_id)
    if fulfilment is None:
        raise NotFoundError(f"no fulfilment {fulfilment_id}", field="fulfilment_id")
    return fulfilment


def check_order_references(session: Session, request: OrderRequest) -> None:
    """Every SKU exists and the destination resolves (a pickup store that offers pickup)."""
    skus = [line.sku for line in request.lines]
    require_products(session, skus, field=lambda missing: f"lines[{min(map(skus.index, missing))}].sku")
    delivery = request.delivery
    if delivery.method is DeliveryMethod.PICKUP:
        store = require_locations(session, [delivery.pickup_location or ""], field="delivery.pickup_location")
        location = store[delivery.pickup_location or ""]
        if not location.pickup:
            raise ValidationError(f"{location.code} does not offer pickup", field="delivery.pickup_location")
    else:
        resolve_place(
            delivery.postal_code,
            delivery.country,
            delivery.latitude,
            delivery.longitude,
            field="delivery.postal_code",
        )


def create_order(
    session: Session, request: OrderRequest, *, actor: Actor = SYSTEM, now: datetime | None = None
) -> tuple[Order, bool]:
    """Store a new order; the same order sent again returns the stored one (created=False)."""
    digest = payload_hash(request)
    existing = session.get(Order, request.id)
    if existing is not None:
        if existing.payload_hash != digest:
            raise ConflictError(f"order {request.id} was already received with different content", field="id")
        return existing, False
    check_order_references(session, request)
    stamp = now or utc_now()
    delivery = request.delivery
    order = Order(
        id=request.id,
        channel=request.channel.value,
        placed_at=request.placed_at,
        customer_name=request.customer.name,
        customer_email=request.customer.email,
        customer_phone=request.customer.phone,
        delivery_method=delivery.method.value,
        ship_postal_code=delivery.postal_code,
        ship_country=delivery.country,
        ship_latitude=delivery.latitude,
        ship_longitude=delivery.longitude,
        pickup_location=delivery.pickup_location,
        promise_by=delivery.promise_by,
        state=OrderState.CREATED.value,
        total=request.total,
        payload_hash=digest,
        created_at=stamp,
        updated_at=stamp,
        lines=[
            OrderLine(line_no=i, sku=line.sku, qty=line.qty, unit_price=line.unit_price)
            for i, line in enumerate(request.lines, start=1)
        ],
    )
    session.add(order)
    record_state_event(session, "order", order.id, None, OrderState.CREATED, actor, "received", stamp)
    session.flush()
    return order, True


def record_state_event(
    session: Session,
    entity: str,
    entity_id: str,
    before: str | None,
    after: str,
    actor: Actor,
    reason: str,
    at: datetime,
) -> None:
    """The audit row of a state change; `oms check` compares each state with the last of these."""
    session.add(
        StateEvent(
            entity=entity,
            entity_id=entity_id,
            from_state=before,
            to_state=after,
            actor=actor.user,
            device=actor.device,
            reason=reason,
            at=at,
        )
    )


def _move(
    session: Session,
    machine: StateMachine,
    row: Order | Fulfilment,
    target: str,
    actor: Actor,
    reason: str,
    now: datetime | None,
) -> None:
    current, wanted = machine.states(row.state), machine.states(target)
    machine.check(row.id, current, wanted)
    stamp = now or utc_now()
    row.state = wanted.value
    row.updated_at = stamp
    record_state_event(session, machine.name, row.id, current.value, wanted.value, actor, reason, stamp)
    session.flush()


def transition_order(
    session: Session,
    order_id: str,
    target: OrderState,
    *,
    actor: Actor = SYSTEM,
    reason: str = "",
    now: datetime | None = None,
) -> Order:
    order = get_order(session, order_id)
    _move(session, ORDER_MACHINE, order, target, actor, reason, now)
    return order


def transition_fulfilment(
    session: Session,
    fulfilment_id: str,
    target: FulfilmentState,
    *,
    actor: Actor = SYSTEM,
    reason: str = "",
    now: datetime | None = None,
) -> Fulfilment:
    fulfilment = get_fulfilment(session, fulfilment_id)
    _move(session, FULFILMENT_MACHINE, fulfilment, target, actor, reason, now)
    return fulfilment


def create_fulfilment(
    session: Session,
    order_id: str,
    location: str,
    lines: Sequence[tuple[int, int]],
    *,
    actor: Actor = SYSTEM,
    now: datetime | None = None,
) -> Fulfilment:
    """Assign (line number, quantity) pairs of an order to a location, never more than was ordered."""
    order = get_order(session, order_id)
    require_locations(session, [location])
    by_number = {line.line_no: line for line in order.lines}
    assigned = assigned_quantities(session, order_id)
    rows = []
    for i, (line_no, qty) in enumerate(lines):
        require_quantity(qty, field=f"lines[{i}].qty")
        line = by_number.get(line_no)
        if line is None:
            raise NotFoundError(f"order {order_id} has no line {line_no}", field=f"lines[{i}].line_no")
        open_qty = line.qty - assigned.get(line.id, 0)
        if not 0 < qty <= open_qty:
            raise ValidationError(
                f"line {line_no} has {open_qty} unit(s) left to assign, not {qty}", field=f"lines[{i}].qty"
            )
        assigned[line.id] = assigned.get(line.id, 0) + qty
        rows.append(FulfilmentLine(order_line_id=line.id, sku=line.sku, qty=qty))
    stamp = now or utc_now()
    fulfilment = Fulfilment(
        id=f"{order_id}-{uuid.uuid4().hex[:8]}",
        order_id=order_id,
        location_code=location,
        state=FulfilmentState.ASSIGNED.value,
        promise_by=order.promise_by,
        created_at=stamp,
        updated_at=stamp,
        lines=rows,
    )
    session.add(fulfilment)
    record_state_event(
        session,
        "fulfilment",
        fulfilment.id,
        None,
        FulfilmentState.ASSIGNED,
        actor,
        f"assigned to {location}",
        stamp,
    )
    session.flush()
    return fulfilment


LIVE_FULFILMENT_STATES = tuple(
    s.value for s in FulfilmentState if s not in (FulfilmentState.REJECTED, FulfilmentState.CANCELLED)
)


def assigned_quantities(session: Session, order_id: str) -> dict[int, int]:
    """Units of each order line held by live fulfilments, less what their locations rejected."""
    rows = session.execute(
        select(FulfilmentLine.order_line_id, FulfilmentLine.qty - FulfilmentLine.rejected_qty)
        .join(Fulfilment, Fulfilment.id == FulfilmentLine.fulfilment_id)
        .where(Fulfilment.order_id == order_id, Fulfilment.state.in_(LIVE_FULFILMENT_STATES))
    )
    totals: dict[int, int] = {}
    for line_id, qty in rows:
        totals[line_id] = totals.get(line_id, 0) + qty
    return totals


def audit_trail(session: Session, entity: str, entity_id: str) -> list[StateEvent]:
    return list(
        session.scalars(
            select(StateEvent)
            .where(StateEvent.entity == entity, StateEvent.entity_id == entity_id)
            .order_by(StateEvent.id)
        )
    )


def stored_request(order: Order) -> OrderRequest:
    """A stored order back in its Order JSON shape, for routing it (or part of it) again."""
    return OrderRequest.model_validate(
        {
            "id": order.id,
            "channel": order.channel,
            "placed_at": order.placed_at,
            "customer": {
                "name": order.customer_name,
                "email": order.customer_email,
                "phone": order.customer_phone,
            },
            "delivery": {
                "method": order.delivery_method,
                "postal_code": order.ship_postal_code,
                "country": order.ship_country,
                "latitude": order.ship_latitude,
                "longitude": order.ship_longitude,
                "pickup_location": order.pickup_location,
                "promise_by": order.promise_by,
            },
            "lines": [{"sku": ln.sku, "qty": ln.qty, "unit_price": ln.unit_price} for ln in order.lines],
        }
    )
