"""Helpers for the tests of returns across the network: a hub whose stock is at the DC, fulfilments
shipped by the hub's own hand (a DC has no tablet), and refund events built through the wire models."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from core.domain.inventory import MovementSpec, Reason
from core.services.allocation import Router
from core.services.hub.fulfilment_updates import FulfilmentUpdate, apply_fulfilment_update
from core.services.inventory import record_movements
from core.services.orders import Actor, get_fulfilment
from core.storage.database import Database
from sync.protocol import RefundEvent
from tests.factories import NOW
from tests.sync.hub_harness import Hub


def dc_only_hub(path: Path) -> Hub:
    """The in-process hub with stock at the DC alone, so a web order is shipped from there."""
    hub = Hub(path, stock=0)
    with hub.db.transaction() as session:
        record_movements(session, [MovementSpec("DC1", f"SKU-{i}", 10, Reason.INITIAL) for i in (1, 2, 3)])
    return hub


def ship_at_hub(database: Database, router: Router, fulfilment_ids: Sequence[str], *, now: datetime) -> None:
    """Walk each fulfilment to `shipped` as its location would report it."""
    for fid in fulfilment_ids:
        for action in ("picking", "picked", "packed", "shipped"):
            with database.transaction() as session:
                source = get_fulfilment(session, fid).location_code
                update = FulfilmentUpdate(fulfilment_id=fid, action=action)
                apply_fulfilment_update(session, router, source, update, actor=Actor(user="dc"), now=now)


def refund_event(
    location: str, order_id: str | None, lines: Sequence[tuple[str, int, str]], *, return_id: str = ""
) -> dict[str, Any]:
    """A refund of (SKU, units, unit price) lines to the original tender, no fees or discount."""
    rows = [
        {
            "sku": sku,
            "qty": qty,
            "reason": "wrong_size",
            "condition": "new",
            "disposition": "sellable",
            "unit_price": price,
            "gross": str(Decimal(price) * qty),
            "discount": "0.00",
            "fee": "0.00",
            "refund": str(Decimal(price) * qty),
        }
        for sku, qty, price in lines
    ]
    total = str(sum((Decimal(r["refund"]) for r in rows), Decimal("0.00")))
    payload = {
        "return_id": return_id or f"RET-{uuid.uuid4().hex[:12].upper()}",
        "kind": "return",
        "order_id": order_id,
        "location": location,
        "refund_method": "original_tender",
        "tender": "original payment",
        "merchandise": total,
        "discount": "0.00",
        "fees": "0.00",
        "shipping": "0.00",
        "total": total,
        "actor": "1001",
        "created_at": NOW.isoformat(),
        "lines": rows,
    }
    return RefundEvent(id=uuid.uuid4(), occurred_at=NOW, payload=payload).model_dump(mode="json")  # type: ignore[arg-type]
