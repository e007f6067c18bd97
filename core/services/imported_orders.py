"""Orders this store did not sell, copied from the hub so their customer can return them here.

A customer may return anywhere: a web order shipped from a DC or collected at another store is
looked up at the hub (`GET /v1/orders/{id}/for-return`) and its answer stored here as a sold order
(the order and its lines in the hub's numbering, the delivered fulfilments, the network's refunds
as `returns` rows, the payment), so the return rules and the refund arithmetic run on it unchanged
(`core.services.sold_orders`). Copying again adds what is new (fulfilments and refunds by id) and
never duplicates; the order's state stays the store's (the feed may move an order of its own). An
order this store holds as its own copy from the feed with other lines (numbered for this store's
fulfilment) is left as it is. The copied refunds are never pushed back:
only a refund recorded here writes an outbox row.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from core.domain.inventory import utc_now
from core.domain.return_desk import OrderHit
from core.services.orders import Actor, record_state_event
from core.services.refund_copies import stored_refund
from core.services.store_catalog import ensure_location, ensure_products
from core.storage.models import Fulfilment, FulfilmentLine, Order, OrderLine, OrderPayment, Return

HUB = Actor(user="hub")
COPIED = "copied from the hub for a return"


def _new_order(session: Session, doc: Mapping[str, Any], now: datetime) -> Order:
    ensure_products(session, {line["sku"]: line["name"] for line in doc["lines"]})
    order = Order(
        id=doc["id"],
        channel=doc["channel"],
        placed_at=datetime.fromisoformat(doc["placed_at"]),
        customer_name=doc["customer_name"],
        customer_email=doc["customer_email"],
        customer_phone=doc["customer_phone"],
        delivery_method=doc["delivery_method"],
        state=doc["state"],
        total=Decimal(doc["total"]),
        payload_hash="",
        created_at=now,
        updated_at=now,
        lines=[
            OrderLine(
                line_no=line["line_no"],
                sku=line["sku"],
                qty=line["qty"],
                unit_price=Decimal(line["unit_price"]),
            )
            for line in doc["lines"]
        ],
    )
    session.add(order)
    record_state_event(session, "order", order.id, None, order.state, HUB, COPIED, now)
    session.flush()
    return order


def _same_lines(order: Order, doc: Mapping[str, Any]) -> bool:
    mine = [(ln.line_no, ln.sku, ln.qty) for ln in order.lines]
    return mine == [(ln["line_no"], ln["sku"], ln["qty"]) for ln in doc["lines"]]


def _add_fulfilments(session: Session, order: Order, doc: Mapping[str, Any], ids: dict[int, int]) -> None:
    for f in doc["fulfilments"]:
        if session.get(Fulfilment, f["id"]) is not None:
            continue  # delivered is final: a fulfilment copied once does not change
        ensure_location(session, f["location"])
        at = datetime.fromisoformat(f["delivered_at"])
        session.add(
            Fulfilment(
                id=f["id"],
                order_id=order.id,
                location_code=f["location"],
                state=f["state"],
                created_at=at,
                updated_at=at,
                lines=[
                    FulfilmentLine(order_line_id=ids[line["line_no"]], sku=line["sku"], qty=line["qty"])
                    for line in f["lines"]
                ],
            )
        )
        record_state_event(session, "fulfilment", f["id"], None, f["state"], HUB, COPIED, at)


def _add_refunds(session: Session, doc: Mapping[str, Any], ids: dict[int, int]) -> None:
    for refund in doc["refunds"]:
        if session.get(Return, refund["return_id"]) is not None:
            continue  # recorded here, or copied before
        ensure_location(session, refund["location"])
        lines = [ids.get(line["line_no"]) if line.get("line_no") else None for line in refund["lines"]]
        session.add(stored_refund(refund, lines))


def _payment(session: Session, doc: Mapping[str, Any], now: datetime) -> None:
    if doc["tender"] and session.get(OrderPayment, doc["id"]) is None:
        session.add(
            OrderPayment(
                order_id=doc["id"],
                discount=Decimal(doc["discount"]),
                shipping=Decimal(doc["shipping"]),
                tender=doc["tender"],
                recorded_at=now,
            )
        )


def import_order_for_return(
    session: Session, doc: Mapping[str, Any], *, now: datetime | None = None
) -> OrderHit:
    """Store the hub's answer (`sync.protocol.OrderForReturn` as JSON) as a sold order; idempotent."""
    stamp = now or utc_now()
    order = session.get(Order, doc["id"])
    if order is None:
        order = _new_order(session, doc, stamp)
    elif not _same_lines(order, doc):
        return OrderHit(order.id, order.channel, order.customer_name, order.placed_at, order.total)
    ids = {ln.line_no: ln.id for ln in order.lines}
    _add_fulfilments(session, order, doc, ids)
    _add_refunds(session, doc, ids)
    _payment(session, doc, stamp)
    session.flush()
    return OrderHit(order.id, order.channel, order.customer_name, order.placed_at, order.total)
