"""A store's steps on its fulfilments, applied on the hub: state machine, reservations, order state.

A step for a fulfilment the hub has meanwhile cancelled or re-routed is refused as a `LateEventError`
so the caller can tell the store why (an `event_answer` change), instead of resurrecting work.
Stock itself moves through the store's own movement events (reason shipment or pickup); the hub
only consumes the reservation when the fulfilment ships or is collected.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.domain.errors import NotFoundError, OmsError
from core.domain.inventory import utc_now
from core.domain.lifecycle import FulfilmentState, OrderState
from core.services.allocation import Router
from core.services.hub.access import PermissionDeniedError
from core.services.hub.intake import cancel_order, reroute_lines
from core.services.inventory import close_reservations
from core.services.orders import Actor, get_order, transition_fulfilment, transition_order
from core.storage.models import Fulfilment, Order, Reservation, ReservationStatus

F = FulfilmentState
TARGETS = {
    "picking": F.PICKING,
    "picked": F.PICKED,
    "packed": F.PACKED,
    "shipped": F.SHIPPED,
    "ready_for_pickup": F.READY_FOR_PICKUP,
    "collected": F.COLLECTED,
}
ACTIONS = (*TARGETS, "reject_lines", "cancelled_by_store")
DONE = {F.REJECTED, F.CANCELLED}


@dataclass(frozen=True, slots=True)
class FulfilmentUpdate:
    fulfilment_id: str
    action: str  # one of ACTIONS
    lines: tuple[tuple[str, int], ...] = ()  # reject_lines only; empty = every unit left
    reason: str = ""
    tracking_number: str | None = None


class LateEventError(OmsError):
    """The fulfilment changed on the hub while the store was offline; the step no longer applies."""

    def __init__(self, message: str, *, fulfilment_id: str) -> None:
        super().__init__(message, field="fulfilment_id")
        self.fulfilment_id = fulfilment_id


def apply_fulfilment_update(
    session: Session,
    router: Router,
    source: str,
    update: FulfilmentUpdate,
    *,
    actor: Actor,
    now: datetime,
    event_id: uuid.UUID | None = None,
) -> None:
    """Apply one step; `event_id` (the store's event) is named in the `lines_rerouted` a rejection emits."""
    fulfilment = session.get(Fulfilment, update.fulfilment_id, with_for_update=True)
    if fulfilment is None:
        raise NotFoundError(f"no fulfilment {update.fulfilment_id}", field="fulfilment_id")
    if fulfilment.location_code != source:
        raise PermissionDeniedError(
            f"fulfilment {fulfilment.id} belongs to {fulfilment.location_code}, not {source}",
            field="fulfilment_id",
        )
    state = F(fulfilment.state)
    if state in DONE:
        what = "cancelled" if state is F.CANCELLED else "re-routed"
        raise LateEventError(
            f"fulfilment {fulfilment.id} was {what} while you were offline; '{update.action}' was not applied",
            fulfilment_id=fulfilment.id,
        )
    if update.action == "reject_lines":
        reroute_lines(
            session,
            router,
            fulfilment.id,
            list(update.lines) or None,
            update.reason,
            actor=actor,
            now=now,
            event_id=event_id,
        )
        return
    if update.action == "cancelled_by_store":
        cancel_order(
            session, fulfilment.order_id, f"cancelled by {source}: {update.reason}", actor=actor, now=now
        )
        return
    target = TARGETS[update.action]
    if state is not target:  # a second device reporting the same step is not an error
        note = f"tracking {update.tracking_number}" if update.tracking_number else update.reason
        transition_fulfilment(session, fulfilment.id, target, actor=actor, reason=note, now=now)
        if target in (F.SHIPPED, F.COLLECTED):
            held = session.scalars(
                select(Reservation).where(
                    Reservation.fulfilment_id == fulfilment.id, Reservation.status == ReservationStatus.ACTIVE
                )
            ).all()
            close_reservations(session, held, ReservationStatus.CONSUMED, now=now)
    settle_progress(
        session, get_order(session, fulfilment.order_id), actor, f"store {source}: {update.action}", now
    )


def settle_progress(
    session: Session, order: Order, actor: Actor, reason: str, now: datetime | None = None
) -> None:
    """Move the order along as its fulfilments progress (routed → in fulfilment → shipped / ready → completed)."""
    now = now or utc_now()
    session.refresh(order)
    live = [f for f in order.fulfilments if F(f.state) not in DONE]
    states = {F(f.state) for f in live}
    complete = sum(ln.live_qty for f in live for ln in f.lines) == sum(ln.qty for ln in order.lines)
    pickup = order.delivery_method == "pickup"
    while True:
        current = OrderState(order.state)
        if current in (OrderState.ROUTED, OrderState.PARTIALLY_ROUTED) and states - {F.ASSIGNED}:
            target = OrderState.IN_FULFILMENT
        elif (
            current is OrderState.IN_FULFILMENT
            and complete
            and pickup
            and states <= {F.READY_FOR_PICKUP, F.COLLECTED}
        ):
            target = OrderState.READY_FOR_PICKUP
        elif current is OrderState.IN_FULFILMENT and complete and not pickup and states == {F.SHIPPED}:
            target = OrderState.SHIPPED
        elif current is OrderState.READY_FOR_PICKUP and states == {F.COLLECTED}:
            target = OrderState.COMPLETED
        else:
            return
        transition_order(session, order.id, target, actor=actor, reason=reason, now=now)
