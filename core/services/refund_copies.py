"""A refund record as it travels between databases.

The store's `returns` row becomes a `refund` sync event (written in the transaction of the refund,
like every store change), and such a record is stored again as a `returns` row wherever the order
is read for a return: at the hub, which counts every store's refunds, and in a store that copies an
order from the hub. Counting refunds in one table on every side keeps one rule for "units already
returned" and for positioning the next refund's cents (`core.services.sold_orders`).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from core.services.outbox import enqueue
from core.storage.models import Return, ReturnLine

REFUND_EVENTS = uuid.UUID("6f1c2f0e-4d0a-5b8e-9a51-2c6f3b7d9e10")
TOTALS = ("merchandise", "discount", "fees", "shipping", "total")
LINE_AMOUNTS = ("unit_price", "gross", "discount", "fee", "refund")


def refund_event_id(return_id: str) -> uuid.UUID:
    """A refund's event id follows from its return id, so one refund can only ever be one event."""
    return uuid.uuid5(REFUND_EVENTS, return_id)


def refund_document(row: Return) -> dict[str, Any]:
    """The wire payload of a refund (`sync.protocol.RefundPayload` field for field)."""
    return {
        "return_id": row.id,
        "kind": row.kind,
        "order_id": row.order_id,
        "location": row.location_code,
        "receipt": row.receipt,
        "refund_method": row.refund_method,
        "tender": row.tender,
        **{name: str(getattr(row, name)) for name in TOTALS},
        "approved_by": row.approved_by,
        "actor": row.actor,
        "device": row.device,
        "created_at": row.created_at.isoformat(),
        "lines": [
            {
                "sku": ln.sku,
                "qty": ln.qty,
                "reason": ln.reason,
                "condition": ln.condition,
                "disposition": ln.disposition,
                **{name: str(getattr(ln, name)) for name in LINE_AMOUNTS},
            }
            for ln in row.lines
        ],
    }


def enqueue_refund(session: Session, row: Return) -> None:
    """Queue the refund for the hub in the caller's transaction (the one that records it)."""
    enqueue(
        session,
        "refund",
        refund_document(row),
        event_id=refund_event_id(row.id),
        occurred_at=row.created_at,
    )


def stored_refund(document: Mapping[str, Any], order_line_ids: Sequence[int | None]) -> Return:
    """A refund recorded elsewhere as a `returns` row; `order_line_ids[i]` is the order line of
    `document["lines"][i]` in this database. Inspection tasks stay with the store that opened them."""
    return Return(
        id=document["return_id"],
        kind=document["kind"],
        order_id=document["order_id"],
        location_code=document["location"],
        receipt=document["receipt"],
        refund_method=document["refund_method"],
        tender=document["tender"],
        **{name: Decimal(str(document[name])) for name in TOTALS},
        approved_by=document["approved_by"],
        actor=document["actor"],
        device=document["device"],
        created_at=datetime.fromisoformat(str(document["created_at"])),
        lines=[
            ReturnLine(
                order_line_id=line_id,
                sku=line["sku"],
                qty=int(line["qty"]),
                reason=line["reason"],
                condition=line["condition"],
                disposition=line["disposition"],
                **{name: Decimal(str(line[name])) for name in LINE_AMOUNTS},
            )
            for line, line_id in zip(document["lines"], order_line_ids, strict=True)
        ],
    )
