"""Returns at the counter: find the order, see what may come back, quote, record with instant re-inventory.

A return is recorded in one transaction: the refund (`returns` rows), and the stock by the
condition each unit came back in — sellable units are `return` movements into this store's
sellable stock at once (queued for the hub by `store_ops`, so the network can sell them after the
next sync), damaged units go to the damaged bucket, units that need a closer look to quarantine
with an inspection task. Anything wrong (a line past its window, more units than are returnable)
raises before the first write, so nothing is recorded. A return without a receipt is refunded as
store credit only, after a manager approves it with their PIN; a wrong PIN is returned as a
refusal (so the manager's failed-PIN count commits), not raised.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from core.domain.associates import Role
from core.domain.errors import NotFoundError, ValidationError
from core.domain.inventory import MovementSpec, Reason, utc_now
from core.domain.return_desk import OrderHit, ReturnableLine, ReturnReceipt
from core.domain.returns import (
    BUCKET,
    Disposition,
    QuotedLine,
    ReturnPolicy,
    ReturnQuote,
    ReturnRequest,
    eligibility,
    quote,
)
from core.services import audit
from core.services.associates import require_role
from core.services.orders import SYSTEM, Actor, get_order
from core.services.outbox import SyncKey, get_setting, settings
from core.services.refund_records import new_return_id, return_receipt, save_refund
from core.services.sold_orders import line_ids, sold_order
from core.services.store_ops import record_store_movements
from core.services.store_tasks import INSPECTION, open_task
from core.storage.models import Fulfilment, Location, Order


def return_policy(session: Session) -> ReturnPolicy:
    return ReturnPolicy.from_mapping(settings(session))


def return_location(session: Session, location: str | None) -> str:
    code = location or get_setting(session, SyncKey.LOCATION)
    row = session.get(Location, code) if code else None
    if row is None:
        raise NotFoundError(f"unknown store {code or '(not enrolled)'}", field="location")
    if not row.returns:
        raise ValidationError(f"{row.code} does not take returns", field="location")
    return row.code


def find_orders_for_return(session: Session, text: str, *, limit: int = 20) -> list[OrderHit]:
    """A receipt or packing-slip barcode (order or fulfilment id), else the customer's name, e-mail or phone."""
    code = text.strip()
    if len(code) < 2:
        raise ValidationError("scan the receipt or type at least 2 characters", field="query")
    exact = session.get(Order, code)
    if exact is None:
        fulfilment = session.get(Fulfilment, code)
        exact = fulfilment.order if fulfilment is not None else None
    if exact is not None:
        rows = [exact]
    else:
        digits = "".join(ch for ch in code if ch.isdigit())
        like = f"%{code.lower()}%"
        conditions = [func.lower(Order.customer_name).like(like), func.lower(Order.customer_email).like(like)]
        if len(digits) >= 4:
            conditions.append(Order.customer_phone.like(f"%{digits[-4:]}%"))
        rows = list(
            session.scalars(
                select(Order).where(or_(*conditions)).order_by(Order.placed_at.desc()).limit(limit)
            )
        )
    return [OrderHit(o.id, o.channel, o.customer_name, o.placed_at, o.total) for o in rows]


def returnable_lines(session: Session, order_id: str, *, now: datetime | None = None) -> list[ReturnableLine]:
    """Every line of the order with what may still come back today, and why not when nothing may."""
    order = sold_order(session, order_id)
    stamp = now or utc_now()
    out = []
    for line in order.lines:
        allowed = eligibility(line, stamp)
        out.append(
            ReturnableLine(
                line.line_no,
                line.sku,
                line.name,
                line.unit_price,
                line.held,
                line.returned,
                allowed.returnable,
                allowed.why_not,
            )
        )
    return out


def quote_return(
    session: Session, order_id: str, requests: Sequence[ReturnRequest], *, now: datetime | None = None
) -> ReturnQuote:
    """What a return would refund, line by line; raises (naming the line) when it is not allowed."""
    return quote(sold_order(session, order_id), requests, return_policy(session), now or utc_now())


def restock_returned(
    session: Session, location: str, return_id: str, lines: Sequence[QuotedLine], actor: Actor, now: datetime
) -> dict[int, int]:
    """Units back into this store's stock by condition; inspection lines get a task. Returns tasks by line."""
    moves = [
        MovementSpec(
            location,
            q.sku,
            q.qty,
            Reason.RETURN,
            BUCKET[Disposition(q.disposition)],
            reference=return_id,
            device=actor.device,
            occurred_at=now,
        )
        for q in lines
        if q.disposition != Disposition.INSPECTION
    ]
    if moves:
        record_store_movements(session, moves)
    tasks: dict[int, int] = {}
    for q in lines:
        if q.disposition == Disposition.INSPECTION:
            [task] = open_task(
                session,
                INSPECTION,
                location,
                {q.sku: q.qty},
                reference=return_id,
                note=f"{q.reason}: {q.name}",
                reason=Reason.RETURN,
                actor=actor,
                now=now,
            )
            tasks[q.line_no] = task.id
    return tasks


def record_return(
    session: Session,
    order_id: str,
    requests: Sequence[ReturnRequest],
    *,
    location: str | None = None,
    actor: Actor = SYSTEM,
    now: datetime | None = None,
) -> ReturnReceipt:
    """Take units of an order back; refund to the original tender (recorded, not charged)."""
    require_role(session, actor, Role.ASSOCIATE)
    stamp = now or utc_now()
    store = return_location(session, location)
    session.get(Order, order_id, with_for_update=True)  # two tablets returning the same line queue here
    get_order(session, order_id)
    offer = quote_return(session, order_id, requests, now=stamp)
    return_id = new_return_id("return")
    tasks = restock_returned(session, store, return_id, offer.lines, actor, stamp)
    save_refund(
        session,
        offer,
        kind="return",
        order_id=order_id,
        location=store,
        lines_by_no=line_ids(session, order_id),
        tasks=tasks,
        return_id=return_id,
        actor=actor,
        now=stamp,
    )
    audit.record(
        session,
        actor,
        "return.recorded",
        order_id,
        f"{return_id}: {offer.total} to {offer.tender}",
        now=stamp,
    )
    return return_receipt(session, return_id)
