"""Read models the API answers with: an order with its fulfilments and decisions, network stock.

Kept here rather than in the web layer so the command line and the tablet can show the same
thing; they return plain JSON-ready dicts because that is all their callers need.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from core.routing.decision import expand_stored
from core.services.allocation import decisions_for
from core.services.inventory import network_stock
from core.services.orders import get_order


def order_view(session: Session, order_id: str) -> dict[str, Any]:
    order = get_order(session, order_id)
    return {
        "id": order.id,
        "channel": order.channel,
        "state": order.state,
        "placed_at": order.placed_at.isoformat(),
        "customer": {"name": order.customer_name},
        "delivery": {
            "method": order.delivery_method,
            "postal_code": order.ship_postal_code,
            "pickup_location": order.pickup_location,
            "promise_by": order.promise_by.isoformat() if order.promise_by else None,
        },
        "lines": [{"line_no": ln.line_no, "sku": ln.sku, "qty": ln.qty} for ln in order.lines],
        "fulfilments": [
            {
                "id": f.id,
                "location": f.location_code,
                "state": f.state,
                "carrier": f.carrier,
                "service": f.service,
                "eta": f.eta.isoformat() if f.eta else None,
                "decision_id": str(f.decision_id) if f.decision_id else None,
                "lines": [
                    {
                        "sku": ln.sku,
                        "qty": ln.qty,
                        "rejected_qty": ln.rejected_qty,
                        "reason": ln.rejection_reason,
                    }
                    for ln in f.lines
                ],
            }
            for f in order.fulfilments
        ],
        "decisions": [
            {
                "id": str(d.id),
                "created_at": d.created_at.isoformat(),
                "reason": d.reason,
                "replaces": str(d.replaces_id) if d.replaces_id else None,
                "decision": expand_stored(d.document),
            }
            for d in decisions_for(session, order.id)
        ],
    }


def order_locations(session: Session, order_id: str) -> set[str]:
    """Locations holding a fulfilment of the order (who may read it with a store token)."""
    return {f.location_code for f in get_order(session, order_id).fulfilments}


def stock_view(session: Session, sku: str) -> dict[str, Any]:
    lines = network_stock(session, sku)
    return {
        "sku": sku,
        "total_atp": sum(max(line.atp, 0) for line in lines),
        "locations": [
            {
                "location": line.location,
                "name": line.name,
                "type": line.type,
                "sellable": line.sellable,
                "reserved": line.reserved,
                "safety_stock": line.safety_stock,
                "atp": line.atp,
                "damaged": line.damaged,
                "quarantine": line.quarantine,
                "in_transit": line.in_transit,
            }
            for line in lines
        ],
    }
