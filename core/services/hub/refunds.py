"""Refunds the stores recorded, kept by the hub so every store sees what came back anywhere.

A refund is a fact by the time it arrives (the money was handed back at a counter), so it is
recorded as a `returns` row like the store's own, counted against the hub's order lines. Each line
goes to the order line of its SKU with room for all its units: a store's copy of an order may
number its lines differently (a store holds only its own fulfilment's lines), the SKU does not
change. A refund for more units than an order line ever had, for another store, or for an unknown
order or product is refused (the store's review list shows it); nothing of it is kept.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.domain.errors import NotFoundError, ValidationError
from core.services.hub.access import PermissionDeniedError
from core.services.refund_copies import stored_refund
from core.storage.models import Order, Product, Return, ReturnLine


@dataclass(frozen=True, slots=True)
class StoreRefund:
    """A `refund` event's payload as JSON (`sync.protocol.RefundPayload`, already validated)."""

    document: Mapping[str, Any]


def _refunded(session: Session, order_id: str) -> dict[int, int]:
    rows = session.execute(
        select(ReturnLine.order_line_id, func.sum(ReturnLine.qty))
        .join(Return, Return.id == ReturnLine.return_id)
        .where(Return.order_id == order_id, ReturnLine.order_line_id.is_not(None))
        .group_by(ReturnLine.order_line_id)
    )
    out: dict[int, int] = defaultdict(int)
    out.update({line_id: int(qty) for line_id, qty in rows})
    return out


def _order_lines(session: Session, order_id: str, lines: list[Mapping[str, Any]]) -> list[int | None]:
    order = session.get(Order, order_id, with_for_update=True)  # two stores' refunds queue here
    if order is None:
        raise NotFoundError(f"no order {order_id}", field="order_id")
    refunded = _refunded(session, order_id)
    chosen: list[int | None] = []
    for i, line in enumerate(lines):
        sku, qty = line["sku"], int(line["qty"])
        same = [ol for ol in order.lines if ol.sku == sku]
        if not same:
            raise ValidationError(f"order {order_id} has no line of {sku}", field=f"lines[{i}].sku")
        room = next((ol for ol in same if ol.qty - refunded[ol.id] >= qty), None)
        if room is None:
            left = max(ol.qty - refunded[ol.id] for ol in same)
            raise ValidationError(
                f"{qty} unit(s) of {sku} refunded, but order {order_id} has {left} left to refund",
                field=f"lines[{i}].qty",
            )
        refunded[room.id] += qty
        chosen.append(room.id)
    return chosen


def apply_refund(session: Session, source: str, refund: StoreRefund) -> None:
    """Keep one store's refund, counted against the order's lines (raises naming the field)."""
    doc = refund.document
    if doc["location"] != source:
        raise PermissionDeniedError(
            f"a refund recorded at {doc['location']} cannot come from {source}", field="location"
        )
    if session.get(Return, doc["return_id"]) is not None:
        raise ValidationError(f"refund {doc['return_id']} is already recorded", field="return_id")
    lines = list(doc["lines"])
    if doc["order_id"] is not None:
        line_ids = _order_lines(session, doc["order_id"], lines)
    else:
        skus = {line["sku"] for line in lines}
        known = set(session.scalars(select(Product.sku).where(Product.sku.in_(skus))))
        for i, line in enumerate(lines):
            if line["sku"] not in known:
                raise NotFoundError(f"unknown product {line['sku']}", field=f"lines[{i}].sku")
        line_ids = [None] * len(lines)
    session.add(stored_refund(doc, line_ids))
    session.flush()
