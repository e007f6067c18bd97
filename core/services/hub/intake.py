"""Routing on the hub, and telling the stores about it in the same transaction.

`core.services.allocation` knows nothing of stores or feeds; these wrappers read the fulfilment ids
a routing result names and append the matching feed changes, so a fulfilment and the news of it
commit together (a store can never hear of a fulfilment that rolled back, nor miss one).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.domain.inventory import utc_now
from core.domain.lifecycle import ORDER_MACHINE, FulfilmentState, OrderState
from core.domain.orders import OrderRequest
from core.services.allocation import Router, RoutingResult
from core.services.hub import payloads
from core.services.hub.feed import emit
from core.services.inventory import close_reservations
from core.services.orders import (
    SYSTEM,
    Actor,
    get_fulfilment,
    get_order,
    transition_fulfilment,
    transition_order,
)
from core.storage.models import Fulfilment, Order, Reservation, ReservationStatus

CANCELLABLE = (
    FulfilmentState.ASSIGNED,
    FulfilmentState.PICKING,
    FulfilmentState.PICKED,
    FulfilmentState.PACKED,
    FulfilmentState.READY_FOR_PICKUP,
)


def announce(session: Session, fulfilment_ids: Iterable[str], *, now: datetime | None = None) -> None:
    """A `fulfilment_assigned` change for each new fulfilment, in its location's feed."""
    for fid in fulfilment_ids:
        f = get_fulfilment(session, fid)
        emit(
            session,
            f.location_code,
            payloads.FULFILMENT_ASSIGNED,
            payloads.fulfilment_assigned(session, f),
            now=now,
        )


def route_order(
    session: Session,
    router: Router,
    request: OrderRequest,
    *,
    actor: Actor = SYSTEM,
    now: datetime | None = None,
) -> RoutingResult:
    """Take an order in (idempotent by id) and route it; stores hear of their fulfilments once."""
    result = router.route(session, request, actor=actor, now=now)
    if not result.replayed:
        announce(session, result.fulfilment_ids, now=now)
    return result


def _live_units(fulfilment: Fulfilment) -> dict[str, int]:
    units: dict[str, int] = {}
    for line in fulfilment.lines:
        units[line.sku] = units.get(line.sku, 0) + line.live_qty
    return units


def reroute_lines(
    session: Session,
    router: Router,
    fulfilment_id: str,
    lines: Sequence[tuple[str, int]] | None,
    reason: str,
    *,
    actor: Actor = SYSTEM,
    now: datetime | None = None,
    event_id: uuid.UUID | None = None,
) -> RoutingResult:
    """Take units off a fulfilment and route them elsewhere; the store hears what went where, what
    the fulfilment still holds, and (`event_id`) which of its own events this answers, if any."""
    now = now or utc_now()
    fulfilment = get_fulfilment(session, fulfilment_id)
    before = _live_units(fulfilment)
    result = router.reject_lines(session, fulfilment_id, lines, reason, actor=actor, now=now)
    session.refresh(fulfilment)
    after = _live_units(fulfilment)
    taken = {sku: before[sku] - after.get(sku, 0) for sku in before if before[sku] > after.get(sku, 0)}
    moved = [(s.location, s.lines) for s in result.decision.shipments]
    emit(
        session,
        fulfilment.location_code,
        payloads.LINES_REROUTED,
        payloads.lines_rerouted(fulfilment, taken, moved, reason, remaining=after, event_id=event_id),
        now=now,
    )
    announce(session, result.fulfilment_ids, now=now)
    return result


def cancel_order(
    session: Session,
    order_id: str,
    reason: str,
    *,
    actor: Actor = SYSTEM,
    now: datetime | None = None,
) -> Order:
    """Cancel an order and every fulfilment not yet shipped or collected; each store is told."""
    now = now or utc_now()
    order = get_order(session, order_id)
    if order.state == OrderState.CANCELLED:
        return order  # cancelling twice (a retry, a second device) changes nothing
    ORDER_MACHINE.check(order.id, OrderState(order.state), OrderState.CANCELLED)
    for f in list(order.fulfilments):
        if FulfilmentState(f.state) not in CANCELLABLE:
            continue
        held = session.scalars(
            select(Reservation).where(
                Reservation.fulfilment_id == f.id, Reservation.status == ReservationStatus.ACTIVE
            )
        ).all()
        close_reservations(session, held, ReservationStatus.RELEASED, now=now)
        transition_fulfilment(session, f.id, FulfilmentState.CANCELLED, actor=actor, reason=reason, now=now)
        emit(
            session,
            f.location_code,
            payloads.FULFILMENT_CANCELLED,
            payloads.fulfilment_cancelled(f, reason),
            now=now,
        )
    return transition_order(session, order.id, OrderState.CANCELLED, actor=actor, reason=reason, now=now)
