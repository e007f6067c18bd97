"""Recording a refund decision and reading it back as a receipt.

Both returns at the counter and units left at the pickup counter end here, as a `returns` row
with its lines, so every refund of an order line is counted in one place; the same transaction
queues it for the hub (`refund_copies`), which counts every store's refunds of an order. The receipt is data (the
PDF is the screen's work): it is built from the stored rows, so a reprint says what was recorded.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from core.domain.errors import NotFoundError, ValidationError
from core.domain.return_desk import ReceiptLine, ReturnReceipt
from core.domain.returns import ReturnQuote, quote_leftovers
from core.services.orders import Actor
from core.services.refund_copies import enqueue_refund
from core.services.sold_orders import line_ids, sold_order
from core.storage.models import Associate, Fulfilment, Location, Product, Return, ReturnLine


def new_return_id(kind: str) -> str:
    return f"{'RET' if kind == 'return' else 'RF'}-{uuid.uuid4().hex[:12].upper()}"


def save_refund(
    session: Session,
    quote: ReturnQuote,
    *,
    kind: str,
    order_id: str | None,
    location: str,
    lines_by_no: Mapping[int, int],
    method: str = "original_tender",
    receipt: bool = True,
    approved_by: str = "",
    tasks: Mapping[int, int] | None = None,
    return_id: str | None = None,
    actor: Actor,
    now: datetime,
) -> Return:
    row = Return(
        id=return_id or new_return_id(kind),
        kind=kind,
        order_id=order_id,
        location_code=location,
        receipt=receipt,
        refund_method=method,
        tender=quote.tender[:24] if method == "original_tender" else "store credit",
        merchandise=quote.merchandise,
        discount=quote.discount,
        fees=quote.fees,
        shipping=quote.shipping,
        total=quote.total,
        approved_by=approved_by,
        actor=actor.user,
        device=actor.device,
        created_at=now,
        lines=[
            ReturnLine(
                order_line_id=lines_by_no.get(q.line_no),
                sku=q.sku,
                qty=q.qty,
                reason=str(q.reason),
                condition=str(q.condition),
                disposition=str(q.disposition),
                unit_price=q.unit_price,
                gross=q.gross,
                discount=q.discount,
                fee=q.fee,
                refund=q.refund,
                task_id=(tasks or {}).get(q.line_no),
            )
            for q in quote.lines
        ],
    )
    if row.total < 0:
        raise ValidationError(f"a refund of {row.total} is negative", field="total")
    session.add(row)
    session.flush()
    enqueue_refund(session, row)
    return row


def record_pickup_refund(
    session: Session,
    fulfilment: Fulfilment,
    left: Sequence[tuple[str, int, str]],
    *,
    actor: Actor,
    now: datetime,
) -> Return | None:
    """Refund units of a pickup the customer did not take: (SKU, units, why) spread over the
    fulfilment's order lines of that SKU, at what they cost less their share of the discount."""
    if not left:
        return None
    order = sold_order(session, fulfilment.order_id)
    numbers = {ln.id: ln.line_no for ln in fulfilment.order.lines}
    units: list[tuple[int, int, str]] = []
    for sku, qty, reason in left:
        rest = qty
        for fl in (ln for ln in fulfilment.lines if ln.sku == sku):
            take = min(rest, fl.live_qty)
            if take:
                units.append((numbers[fl.order_line_id], take, reason))
                rest -= take
        if rest:
            raise ValidationError(
                f"{qty} unit(s) of {sku} are not on fulfilment {fulfilment.id}", field="left"
            )
    quote = quote_leftovers(order, units)
    return save_refund(
        session,
        quote,
        kind="pickup",
        order_id=order.order_id,
        location=fulfilment.location_code,
        lines_by_no=line_ids(session, order.order_id),
        actor=actor,
        now=now,
    )


def return_receipt(session: Session, return_id: str) -> ReturnReceipt:
    row = session.get(Return, return_id)
    if row is None:
        raise NotFoundError(f"no return {return_id}", field="return_id")
    location = session.get(Location, row.location_code)
    names = {p.sku: p.name for p in (session.get(Product, ln.sku) for ln in row.lines) if p is not None}
    return ReturnReceipt(
        row.id,
        row.kind,
        row.location_code,
        location.name if location else row.location_code,
        row.order_id,
        row.created_at,
        row.actor,
        row.device,
        tuple(
            ReceiptLine(
                ln.sku,
                names.get(ln.sku, ln.sku),
                ln.qty,
                ln.reason,
                ln.condition,
                ln.disposition,
                ln.unit_price,
                ln.discount,
                ln.fee,
                ln.refund,
                ln.task_id,
            )
            for ln in row.lines
        ),
        row.merchandise,
        row.discount,
        row.fees,
        row.shipping,
        row.total,
        row.refund_method,
        row.tender,
        row.approved_by,
        row.receipt,
        person.name if (person := session.get(Associate, row.actor)) is not None else "",
    )
