"""An order of any channel as a store reads it to take units back (`GET /v1/orders/{id}/for-return`).

A customer may return anywhere, so any store may read any order this way; the answer holds only
what a return needs (no routing decisions, no address). "Units returned anywhere" are the refunds
the stores pushed, counted by the same `sold_order` the store's own return rules read, so both
sides agree on what may still come back.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.domain.errors import NotFoundError, ValidationError
from core.domain.return_desk import names_a_customer
from core.services.refund_copies import refund_document
from core.services.returns import find_orders_for_return
from core.services.sold_orders import DELIVERED, sold_order
from core.storage.models import Fulfilment, Order, OrderPayment, Return


def find_order(session: Session, code: str) -> Order:
    """By order id, or by the id of one of its fulfilments (the packing slip's barcode)."""
    order = session.get(Order, code)
    if order is None:
        fulfilment = session.get(Fulfilment, code)
        order = fulfilment.order if fulfilment is not None else None
    if order is None:
        raise NotFoundError(f"no order or fulfilment {code}", field="order_id")
    return order


def search_orders(session: Session, text: str, *, limit: int = 20) -> list[dict[str, Any]]:
    """Orders whose customer's name, e-mail or phone matches, newest first: the counter's search
    for a customer without a receipt or slip, as the store searches its own orders. At least three
    characters of a name or e-mail or a whole phone number, and a few orders only, so the search
    cannot list the network's customers (four digits alone would match many phones)."""
    if len(text.strip()) < 3 or not names_a_customer(text):
        raise ValidationError(
            "type at least 3 characters of a name or e-mail, or a phone number (7 to 11 digits)", field="q"
        )
    return [
        {
            "id": hit.order_id,
            "channel": hit.channel,
            "customer_name": hit.customer_name,
            "placed_at": hit.placed_at.isoformat(),
            "total": str(hit.total),
        }
        for hit in find_orders_for_return(session, text, limit=limit)
    ]


def order_for_return(session: Session, code: str) -> dict[str, Any]:
    order = find_order(session, code)
    sold = sold_order(session, order.id)
    number = {ln.id: ln.line_no for ln in order.lines}
    payment = session.get(OrderPayment, order.id)
    refunds = session.scalars(
        select(Return).where(Return.order_id == order.id).order_by(Return.created_at, Return.id)
    )
    return {
        "id": order.id,
        "channel": order.channel,
        "state": order.state,
        "placed_at": order.placed_at.isoformat(),
        "customer_name": order.customer_name,
        "customer_email": order.customer_email,
        "customer_phone": order.customer_phone,
        "delivery_method": order.delivery_method,
        "total": str(order.total),
        "discount": str(sold.discount),
        "shipping": str(sold.shipping),
        "tender": payment.tender if payment is not None else "",
        "lines": [
            {
                "line_no": ln.line_no,
                "sku": ln.sku,
                "name": ln.name,
                "qty": ln.ordered,
                "unit_price": str(ln.unit_price),
                "returnable_days": ln.returnable_days,
                "delivered": ln.held,
                "delivered_at": ln.delivered_at.isoformat() if ln.delivered_at else None,
                "returned": ln.returned,
            }
            for ln in sold.lines
        ],
        "fulfilments": [
            {
                "id": f.id,
                "location": f.location_code,
                "state": f.state,
                "delivered_at": f.updated_at.isoformat(),
                "lines": [
                    {"line_no": number[fl.order_line_id], "sku": fl.sku, "qty": fl.live_qty}
                    for fl in f.lines
                    if fl.live_qty
                ],
            }
            for f in order.fulfilments
            if f.state in DELIVERED
        ],
        "refunds": [_refund_record(r, number) for r in refunds],
    }


def _refund_record(row: Return, number: dict[int, int]) -> dict[str, Any]:
    """A refund with each line's order line number in the hub's numbering."""
    doc = refund_document(row)
    doc["lines"] = [
        {**line, "line_no": number.get(kept.order_line_id) if kept.order_line_id else None}
        for line, kept in zip(doc["lines"], row.lines, strict=True)
    ]
    return doc
