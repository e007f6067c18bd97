"""What the Pickup screens hold: search cards, verification outcomes, handover scans and results.

They live here, not beside the services that build them, because the UI may not import
`core.services` (the import contract counts the SQLAlchemy those bring); the services fill these
plain values and the screens only read them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class PickupCard:
    """One row of the pickup search: enough to recognise the customer and go to the shelf."""

    pickup_id: str
    order_id: str
    customer_name: str
    customer_phone: str
    customer_email: str
    proxy_name: str
    shelf: str
    bags: int
    units: int
    state: str
    ready_at: datetime
    claim_by: datetime
    attempts_left: int
    locked: bool
    score: float = 1.0


@dataclass(frozen=True, slots=True)
class VerifyOutcome:
    ok: bool
    message: str
    attempts_left: int
    locked: bool = False
    pickup_id: str = ""


@dataclass(frozen=True, slots=True)
class HandoverScan:
    pickup_id: str
    code: str
    sku: str | None
    bag: int | None
    message: str
    units_scanned: dict[str, int]
    bags_scanned: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class HandoverResult:
    pickup_id: str
    order_id: str
    state: str
    handed_over: dict[str, int]
    refunded: dict[str, int]
    kept: dict[str, int]
    refund_total: Decimal
    refund_id: str | None
    restock_tasks: tuple[int, ...]
