"""What an associate does in the store, each change committed with the event that tells the hub.

Principle 3: the store never waits for the network. Every function here makes the local change and
writes its outbox row in the caller's one transaction, so either both exist or neither does; the
relay (`sync.client`) pushes later. Movement events reuse the ledger row's id, so the hub's
ledger and the store's share ids and a retried push is recognised as the same movement.

Stock that leaves with a fulfilment (shipped, collected) is recorded here as `shipment` / `pickup`
movements with their own events; the hub's fulfilment action only moves state and reservations.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.domain.errors import IllegalTransitionError, ValidationError
from core.domain.inventory import MovementSpec, Reason, utc_now
from core.domain.lifecycle import FulfilmentState
from core.domain.parsing import require_quantity
from core.services.inventory import MovementResult, close_reservations, movement_fields, record_movements
from core.services.orders import SYSTEM, Actor, get_fulfilment, transition_fulfilment
from core.services.outbox import enqueue
from core.services.positions import lock_positions
from core.storage.models import Fulfilment, Reservation, ReservationStatus

ACTION_TARGETS: dict[str, FulfilmentState] = {
    "picking": FulfilmentState.PICKING,
    "picked": FulfilmentState.PICKED,
    "packed": FulfilmentState.PACKED,
    "shipped": FulfilmentState.SHIPPED,
    "ready_for_pickup": FulfilmentState.READY_FOR_PICKUP,
    "collected": FulfilmentState.COLLECTED,
    "cancelled_by_store": FulfilmentState.CANCELLED,
}
REJECT_LINES = "reject_lines"
STOCK_LEAVES = {"shipped": Reason.SHIPMENT, "collected": Reason.PICKUP}


def movement_payload(spec: MovementSpec) -> dict[str, Any]:
    """The wire payload of a movement event (`sync.protocol.MovementPayload` field for field)."""
    return {"location": spec.location, **movement_fields(spec)}


def record_store_movements(
    session: Session, specs: Sequence[MovementSpec], *, fulfilment_id: str | None = None
) -> list[MovementResult]:
    """Sales, receipts, returns, counts...: ledger rows plus one `movement` event each (id = movement id)."""
    if any(spec.reason is Reason.SNAPSHOT for spec in specs):
        raise ValidationError("snapshot movements come from the hub and are never pushed", field="reason")
    results = record_movements(session, specs)
    applied = {r.id for r in results if r.outcome == "applied"}
    for spec in specs:
        if spec.id in applied:
            enqueue(
                session,
                "movement",
                movement_payload(spec),
                event_id=spec.id,
                occurred_at=spec.occurred_at,
                fulfilment_id=fulfilment_id,
            )
            applied.discard(spec.id)  # the same id twice in one batch is one movement
    return results


def hold_stock(session: Session, fulfilment: Fulfilment, *, now: datetime | None = None) -> None:
    """Reserve the fulfilment's live units locally, so the store's ATP matches what it must supply.

    The hub already decided these units are this store's; the local copy may be behind, so this
    records the reservation without the ATP check `inventory.reserve` makes.
    """
    wanted: dict[str, int] = {}
    for line in fulfilment.lines:
        if line.live_qty:
            wanted[line.sku] = wanted.get(line.sku, 0) + line.live_qty
    positions = lock_positions(session, ((fulfilment.location_code, sku) for sku in wanted))
    for sku, qty in sorted(wanted.items()):
        positions[(fulfilment.location_code, sku)].reserved += qty
        session.add(
            Reservation(
                location_code=fulfilment.location_code,
                sku=sku,
                qty=qty,
                fulfilment_id=fulfilment.id,
                reference=fulfilment.order_id,
                status=ReservationStatus.ACTIVE,
                created_at=now or utc_now(),
            )
        )
    session.flush()


def release_stock(session: Session, fulfilment: Fulfilment, outcome: ReservationStatus) -> int:
    held = session.scalars(
        select(Reservation).where(
            Reservation.fulfilment_id == fulfilment.id, Reservation.status == ReservationStatus.ACTIVE
        )
    )
    return close_reservations(session, list(held), outcome)


def reject_units(session: Session, fulfilment: Fulfilment, units: dict[str, int], reason: str) -> None:
    """Mark units the store will not supply and re-reserve only what is still live."""
    for sku, qty in units.items():
        live = sum(ln.live_qty for ln in fulfilment.lines if ln.sku == sku)
        if not 0 < qty <= live:
            raise ValidationError(
                f"fulfilment {fulfilment.id} holds {live} unit(s) of {sku}; cannot reject {qty}",
                field="lines",
            )
        for line in (ln for ln in fulfilment.lines if ln.sku == sku):
            take = min(qty, line.live_qty)
            line.rejected_qty += take
            line.rejection_reason = reason[:120]
            qty -= take
    release_stock(session, fulfilment, ReservationStatus.RELEASED)
    hold_stock(session, fulfilment)


def record_fulfilment_action(
    session: Session,
    fulfilment_id: str,
    action: str,
    *,
    lines: Sequence[tuple[str, int]] = (),
    reason: str = "",
    tracking_number: str | None = None,
    actor: Actor = SYSTEM,
    now: datetime | None = None,
) -> Fulfilment:
    """Move a fulfilment through the local state machine and queue the `fulfilment` event for the hub."""
    fulfilment = get_fulfilment(session, fulfilment_id)
    now = now or utc_now()
    if action not in (*ACTION_TARGETS, REJECT_LINES):
        raise ValidationError(f"unknown fulfilment action {action!r}", field="action")
    if action in (REJECT_LINES, "cancelled_by_store") and not reason.strip():
        raise ValidationError("give a reason (not found, damaged, no capacity...)", field="reason")
    units: dict[str, int] = {}
    moves: list[MovementSpec] = []
    for i, (sku, qty) in enumerate(lines):
        require_quantity(qty, field=f"lines[{i}].qty")
        units[sku] = units.get(sku, 0) + qty
    if units and action != REJECT_LINES:
        raise ValidationError("lines are only given when rejecting lines", field="lines")
    if action == REJECT_LINES:
        if fulfilment.state not in ("assigned", "picking", "picked"):
            raise IllegalTransitionError(
                f"fulfilment {fulfilment_id} is {fulfilment.state}; only assigned, picking or picked lines can be rejected",
                field="fulfilment_id",
            )
        reject_units(session, fulfilment, units or _live_units(fulfilment), reason)
        if all(line.live_qty == 0 for line in fulfilment.lines):
            transition_fulfilment(
                session, fulfilment_id, FulfilmentState.REJECTED, actor=actor, reason=reason, now=now
            )
    else:
        leaving = _live_units(fulfilment) if action in STOCK_LEAVES else {}
        transition_fulfilment(
            session, fulfilment_id, ACTION_TARGETS[action], actor=actor, reason=reason or action, now=now
        )
        if action == "cancelled_by_store":
            release_stock(session, fulfilment, ReservationStatus.RELEASED)
        if leaving:
            release_stock(session, fulfilment, ReservationStatus.CONSUMED)
            moves = [
                MovementSpec(
                    fulfilment.location_code,
                    sku,
                    -qty,
                    STOCK_LEAVES[action],
                    reference=fulfilment.id,
                    device=actor.device,
                    occurred_at=now,
                )
                for sku, qty in sorted(leaving.items())
            ]
    enqueue(
        session,
        "fulfilment",
        {
            "fulfilment_id": fulfilment_id,
            "action": action,
            "lines": [{"sku": sku, "qty": qty} for sku, qty in units.items()],
            "reason": reason[:120],
            "tracking_number": tracking_number,
        },
        occurred_at=now,
        fulfilment_id=fulfilment_id,
    )
    if moves:
        record_store_movements(session, moves, fulfilment_id=fulfilment_id)
    return fulfilment


def _live_units(fulfilment: Fulfilment) -> dict[str, int]:
    units: dict[str, int] = {}
    for line in fulfilment.lines:
        if line.live_qty:
            units[line.sku] = units.get(line.sku, 0) + line.live_qty
    return units
