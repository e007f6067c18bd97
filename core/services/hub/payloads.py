"""Feed payloads as plain JSON, in the shapes `sync.protocol` defines (core cannot import sync).

The hub's pull route validates every payload against the protocol models before answering, and
the tests pull everything they emit, so a drift between these builders and the protocol fails.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.storage.models import (
    Fulfilment,
    Location,
    Product,
    RoutingDecisionRecord,
    StockPosition,
)

FULFILMENT_ASSIGNED = "fulfilment_assigned"
FULFILMENT_CANCELLED = "fulfilment_cancelled"
LINES_REROUTED = "lines_rerouted"
EVENT_ANSWER = "event_answer"
STOCK = "stock"
CATALOG = "catalog"


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def explanation(session: Session, fulfilment: Fulfilment) -> str:
    """Why this store: the stored decision's first sentence (no re-rendering needed)."""
    if fulfilment.decision_id is None:
        return ""
    record = session.get(RoutingDecisionRecord, fulfilment.decision_id)
    if record is None:
        return ""
    summary = str(record.document.get("explanation", {}).get("summary", ""))
    return f"{summary} ({record.reason})" if record.reason and record.reason != "new order" else summary


def fulfilment_assigned(session: Session, fulfilment: Fulfilment) -> dict[str, Any]:
    order = fulfilment.order
    names = dict(
        session.execute(
            select(Product.sku, Product.name).where(Product.sku.in_({ln.sku for ln in fulfilment.lines}))
        ).all()
    )
    prices = {ln.id: ln.unit_price for ln in order.lines}
    return {
        "fulfilment_id": fulfilment.id,
        "order_id": order.id,
        "location": fulfilment.location_code,
        "state": fulfilment.state,
        "customer_name": order.customer_name,
        "customer_phone": order.customer_phone,
        "customer_email": order.customer_email,
        "delivery_method": order.delivery_method,
        "ship_postal_code": order.ship_postal_code if order.delivery_method == "ship" else "",
        "ship_country": order.ship_country if order.delivery_method == "ship" else "",
        "promise_by": _iso(order.promise_by),
        "lines": [
            {
                "sku": ln.sku,
                "qty": ln.live_qty,
                "name": names.get(ln.sku, ln.sku),
                "unit_price": str(prices[ln.order_line_id]),
            }
            for ln in fulfilment.lines
            if ln.live_qty
        ],
        "carrier": fulfilment.carrier,
        "service": fulfilment.service,
        "eta": _iso(fulfilment.eta),
        "explanation": explanation(session, fulfilment),
        "created_at": _iso(fulfilment.created_at),
    }


def fulfilment_cancelled(fulfilment: Fulfilment, reason: str) -> dict[str, Any]:
    return {"fulfilment_id": fulfilment.id, "order_id": fulfilment.order_id, "reason": reason}


def lines_rerouted(
    fulfilment: Fulfilment,
    units: dict[str, int],
    moved_to: Sequence[tuple[str, Sequence[tuple[str, int]]]],
    reason: str,
    *,
    remaining: dict[str, int],
    event_id: uuid.UUID | None = None,
) -> dict[str, Any]:
    """`remaining`: the fulfilment's live units after the change; `event_id`: the store's own
    `reject_lines` event this answers (None when the hub moved the units on its own)."""
    lines = [{"sku": sku, "qty": qty} for sku, qty in sorted(units.items())]
    what = ", ".join(f"{sku} × {qty}" for sku, qty in sorted(units.items()))
    if moved_to:
        where = "; ".join(loc + " (" + ", ".join(f"{s} × {q}" for s, q in ls) + ")" for loc, ls in moved_to)
        text = f"{what} taken off fulfilment {fulfilment.id} ({reason}) and routed to {where}."
    else:
        text = f"{what} taken off fulfilment {fulfilment.id} ({reason}); no other location could take them."
    return {
        "fulfilment_id": fulfilment.id,
        "order_id": fulfilment.order_id,
        "lines": lines,
        "fulfilment_state": fulfilment.state,
        "moved_to": [
            {"location": loc, "lines": [{"sku": s, "qty": q} for s, q in ls]} for loc, ls in moved_to
        ],
        "reason": reason,
        "text": text,
        "event_id": str(event_id) if event_id else None,
        "remaining": [{"sku": sku, "qty": qty} for sku, qty in sorted(remaining.items()) if qty > 0],
    }


def event_answer(
    event_id: uuid.UUID, reason: str, field: str | None, fulfilment_id: str | None
) -> dict[str, Any]:
    return {
        "event_id": str(event_id),
        "status": "rejected",
        "reason": reason,
        "field": field,
        "fulfilment_id": fulfilment_id,
    }


def stock(location: str, positions: Iterable[StockPosition], *, complete: bool) -> dict[str, Any]:
    return {
        "location": location,
        "complete": complete,
        "balances": [
            {
                "sku": p.sku,
                "sellable": p.sellable,
                "damaged": p.damaged,
                "quarantine": p.quarantine,
                "in_transit": p.in_transit,
                "reserved": p.reserved,
                "safety_stock": p.safety_stock,
                "bin": p.bin_code,
            }
            for p in positions
        ],
    }


def catalog(products: Iterable[Product], locations: Iterable[Location]) -> dict[str, Any]:
    return {
        "complete": True,
        "products": [
            {
                "sku": p.sku,
                "name": p.name,
                "category": p.category,
                "price": str(p.price),
                "barcodes": [b.barcode for b in p.barcodes],
                "weight_kg": str(p.weight_kg),
                "returnable_days": p.returnable_days,
                "length_cm": str(p.length_cm),
                "width_cm": str(p.width_cm),
                "height_cm": str(p.height_cm),
            }
            for p in products
        ],
        "locations": [
            {
                "code": loc.code,
                "name": loc.name,
                "type": loc.type,
                "timezone": loc.timezone,
                "pickup": loc.pickup,
                "returns": loc.returns,
                "ships": loc.ships,
                "address": loc.address,
                "postal_code": loc.postal_code,
                "latitude": loc.latitude,
                "longitude": loc.longitude,
            }
            for loc in locations
        ],
    }
