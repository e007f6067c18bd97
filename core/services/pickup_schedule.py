"""What time does to pickups: reminders, the unclaimed timeout, and orders cancelled while on the shelf.

Run by a timer (the app) or a command, always with the clock passed in (`now`), so tests move time
by hand. Each run is idempotent: a reminder is sent once per configured day, a pickup is cancelled
once. An unclaimed order is cancelled through `store_ops` (the hub cancels the whole order and
releases it everywhere), its units move from sellable to quarantine with a restock task — they are
sold nowhere until someone scans them back onto the shelf — and the customer is told, with the
refund to their original tender recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from core.domain.inventory import Bucket, Reason
from core.domain.lifecycle import OrderState
from core.domain.pickup import PickupSettings, PickupState
from core.services import audit
from core.services.notifications import queue_email
from core.services.orders import SYSTEM, Actor, get_fulfilment, get_order
from core.services.pickup import advance_order, close, open_pickups, pickup_settings, store_name
from core.services.refund_records import record_pickup_refund
from core.services.store_ops import record_fulfilment_action
from core.services.store_tasks import RESTOCK, open_task
from core.storage.models import Pickup


@dataclass
class ScheduleReport:
    reminders: list[str] = field(default_factory=list)
    unclaimed: list[str] = field(default_factory=list)
    cancelled_elsewhere: list[str] = field(default_factory=list)
    restock_tasks: list[int] = field(default_factory=list)


def _due_reminders(pickup: Pickup, config: PickupSettings, now: datetime) -> int:
    return sum(1 for day in config.reminder_days if now >= pickup.ready_at + timedelta(days=day))


def _remind(session: Session, pickup: Pickup, now: datetime) -> None:
    order = get_order(session, pickup.order_id)
    store = store_name(session, pickup.location_code)
    body = (
        f"Hello {order.customer_name},\n\nyour order {order.id} is still waiting for you at {store}, until "
        f"{pickup.claim_by:%A %d %B %Y}. Bring the pickup code from our first e-mail, or a photo ID.\n"
    )
    queue_email(
        session,
        "pickup_reminder",
        order.customer_email,
        f"Reminder: order {order.id} is waiting for you",
        body,
        order_id=order.id,
        pickup_id=pickup.id,
        now=now,
    )


def _units(pickup: Pickup, *, held: bool) -> dict[str, int]:
    return {
        ln.sku: (ln.held_qty if held else ln.qty) for ln in pickup.lines if (ln.held_qty if held else ln.qty)
    }


def _unclaimed(
    session: Session, pickup: Pickup, config: PickupSettings, actor: Actor, now: datetime
) -> list[int]:
    fulfilment = get_fulfilment(session, pickup.id)
    held = pickup.state == PickupState.HELD
    units = _units(pickup, held=held)
    reason = f"not collected within {config.unclaimed_days} days"
    if not held:
        record_fulfilment_action(
            session, pickup.id, "cancelled_by_store", reason=reason, actor=actor, now=now
        )
        advance_order(session, fulfilment.order, OrderState.CANCELLED, actor, reason, now)
    refund = record_pickup_refund(
        session, fulfilment, [(s, q, "unclaimed") for s, q in sorted(units.items())], actor=actor, now=now
    )
    tasks = open_task(
        session,
        RESTOCK,
        pickup.location_code,
        units,
        reference=pickup.id,
        note=f"unclaimed order {pickup.order_id}",
        hold=None if held else Bucket.SELLABLE,
        reason=Reason.RETURN if held else Reason.ADJUSTMENT,
        actor=actor,
        now=now,
    )
    for line in pickup.lines:
        line.refunded_qty += units.get(line.sku, 0)
        line.held_qty = 0
    close(session, pickup, PickupState.UNCLAIMED, now)
    order = fulfilment.order
    amount = f"{refund.total} will be refunded to your {refund.tender}" if refund else "Nothing was charged"
    body = (
        f"Hello {order.customer_name},\n\nyour order {order.id} was not collected from "
        f"{store_name(session, pickup.location_code)} by {pickup.claim_by:%A %d %B %Y} and has been cancelled. "
        f"{amount}.\n"
    )
    queue_email(
        session,
        "pickup_cancelled",
        order.customer_email,
        f"Order {order.id} was cancelled",
        body,
        order_id=order.id,
        pickup_id=pickup.id,
        now=now,
    )
    audit.record(session, actor, "pickup.unclaimed", pickup.id, reason, now=now)
    return [t.id for t in tasks]


def _cancelled_elsewhere(session: Session, pickup: Pickup, actor: Actor, now: datetime) -> list[int]:
    """The hub cancelled the order while its bag sat on the shelf: the bag goes back via a restock task."""
    tasks = open_task(
        session,
        RESTOCK,
        pickup.location_code,
        _units(pickup, held=False),
        reference=pickup.id,
        note=f"order {pickup.order_id} cancelled while on the pickup shelf",
        hold=Bucket.SELLABLE,
        actor=actor,
        now=now,
    )
    close(session, pickup, PickupState.CANCELLED, now)
    audit.record(session, actor, "pickup.cancelled", pickup.id, "cancelled by the hub while staged", now=now)
    return [t.id for t in tasks]


def run_pickup_schedule(
    session: Session, *, location: str, now: datetime, actor: Actor = SYSTEM
) -> ScheduleReport:
    """Send due reminders, cancel what was not collected in time, restock what the hub cancelled."""
    config = pickup_settings(session)
    report = ScheduleReport()
    for pickup in open_pickups(session, location):
        fulfilment = get_fulfilment(session, pickup.id)
        if pickup.state == PickupState.READY and fulfilment.state in ("cancelled", "rejected"):
            report.restock_tasks += _cancelled_elsewhere(session, pickup, actor, now)
            report.cancelled_elsewhere.append(pickup.id)
        elif now >= pickup.claim_by:
            report.restock_tasks += _unclaimed(session, pickup, config, actor, now)
            report.unclaimed.append(pickup.id)
        elif _due_reminders(pickup, config, now) > pickup.reminders_sent:
            pickup.reminders_sent = _due_reminders(pickup, config, now)
            _remind(session, pickup, now)
            audit.record(
                session, actor, "pickup.reminded", pickup.id, f"reminder {pickup.reminders_sent}", now=now
            )
            report.reminders.append(pickup.id)
    session.flush()
    return report
