"""An order as refunds see it: what each line cost, what the customer holds, what came back already.

Read from the database into the pure `SoldOrder` of `core.domain.returns`, so the return policy
and the refund arithmetic never touch SQL. Units "held" by the customer are those of delivered
fulfilments (shipped or collected), less units refunded at the pickup counter and units still
kept on the store's shelf for a later visit. Every refund so far (returns and pickup leftovers)
counts in `refunded_before`, which positions the next refund's cents (see `core.domain.refunds`).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.domain.returns import SoldLine, SoldOrder
from core.services.orders import get_order
from core.storage.models import (
    Fulfilment,
    OrderPayment,
    Pickup,
    Product,
    Return,
    ReturnLine,
)

DELIVERED = ("shipped", "collected")
ZERO = Decimal("0.00")


def _refunded(
    session: Session, order_id: str
) -> tuple[dict[int, int], dict[int, int], dict[int, int], Decimal]:
    """Units refunded per order line: by returns, at the pickup counter, in all; and shipping refunded."""
    returned: dict[int, int] = defaultdict(int)
    at_pickup: dict[int, int] = defaultdict(int)
    total: dict[int, int] = defaultdict(int)
    rows = session.execute(
        select(ReturnLine.order_line_id, Return.kind, func.sum(ReturnLine.qty))
        .join(Return, Return.id == ReturnLine.return_id)
        .where(Return.order_id == order_id, ReturnLine.order_line_id.is_not(None))
        .group_by(ReturnLine.order_line_id, Return.kind)
    )
    for line_id, kind, qty in rows:
        (returned if kind == "return" else at_pickup)[line_id] += int(qty)
        total[line_id] += int(qty)
    shipping = session.scalar(select(func.sum(Return.shipping)).where(Return.order_id == order_id))
    return returned, at_pickup, total, Decimal(shipping or 0).quantize(Decimal("0.01"))


def _on_shelf(session: Session, fulfilments: list[Fulfilment]) -> dict[int, int]:
    """Units still kept on a pickup shelf, per order line (a pickup line is per SKU of a fulfilment)."""
    out: dict[int, int] = defaultdict(int)
    for fulfilment in fulfilments:
        pickup = session.get(Pickup, fulfilment.id)
        if pickup is None:
            continue
        for pl in pickup.lines:
            left = pl.held_qty
            for fl in (ln for ln in fulfilment.lines if ln.sku == pl.sku):
                take = min(left, fl.live_qty)
                out[fl.order_line_id] += take
                left -= take
    return out


def sold_order(session: Session, order_id: str) -> SoldOrder:
    order = get_order(session, order_id)
    delivered: dict[int, int] = defaultdict(int)
    delivered_at = {}
    done = [f for f in order.fulfilments if f.state in DELIVERED]
    for fulfilment in done:
        for fl in fulfilment.lines:
            delivered[fl.order_line_id] += fl.live_qty
            at = delivered_at.get(fl.order_line_id)
            delivered_at[fl.order_line_id] = max(at, fulfilment.updated_at) if at else fulfilment.updated_at
    returned, at_pickup, refunded, shipping_refunded = _refunded(session, order_id)
    shelf = _on_shelf(session, done)
    products = {
        p.sku: p
        for p in session.scalars(select(Product).where(Product.sku.in_({ln.sku for ln in order.lines})))
    }
    lines = tuple(
        SoldLine(
            line_no=ln.line_no,
            sku=ln.sku,
            name=products[ln.sku].name,
            unit_price=ln.unit_price,
            ordered=ln.qty,
            held=max(0, delivered[ln.id] - at_pickup[ln.id] - shelf[ln.id]),
            returned=returned[ln.id],
            refunded_before=refunded[ln.id],
            returnable_days=products[ln.sku].returnable_days,
            delivered_at=delivered_at.get(ln.id),
        )
        for ln in order.lines
    )
    payment = session.get(OrderPayment, order_id)
    return SoldOrder(
        order_id=order.id,
        channel=order.channel,
        lines=lines,
        discount=payment.discount if payment else ZERO,
        shipping=payment.shipping if payment else ZERO,
        shipping_refunded=shipping_refunded,
        tender=payment.tender if payment else "original payment",
    )


def line_ids(session: Session, order_id: str) -> dict[int, int]:
    """Order line number → order line id."""
    return {ln.line_no: ln.id for ln in get_order(session, order_id).lines}
