"""The inventory ledger's vocabulary: buckets, reasons, movements and available-to-promise.

Stock is never a counter someone overwrites: each change is an immutable movement and balances are
their sum, so two offline stores that each sell one unit subtract two.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum

from core.domain.network import validate_code
from core.domain.parsing import parse_enum, require_aware, require_quantity


class Bucket(StrEnum):
    SELLABLE = "sellable"
    DAMAGED = "damaged"
    QUARANTINE = "quarantine"
    IN_TRANSIT = "in_transit"


class Reason(StrEnum):
    """Why stock moved; reports and the sync protocol group movements by it."""

    RECEIPT = "receipt"
    SALE = "sale"
    SHIPMENT = "shipment"
    PICKUP = "pickup"
    RETURN = "return"
    ADJUSTMENT = "adjustment"
    COUNT = "count"
    DAMAGE = "damage"
    TRANSFER_OUT = "transfer_out"
    TRANSFER_IN = "transfer_in"
    FEED = "feed"
    INITIAL = "initial"
    SNAPSHOT = "snapshot"  # a store's copy brought to the hub's balance after a re-snapshot; never pushed


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class MovementSpec:
    """One stock change as it happened somewhere; its id is made there, so retries are recognisable."""

    location: str
    sku: str
    qty: int
    reason: Reason
    bucket: Bucket = Bucket.SELLABLE
    reference: str = ""
    device: str = ""
    occurred_at: datetime = field(default_factory=utc_now)
    id: uuid.UUID = field(default_factory=uuid.uuid4)

    def __post_init__(self) -> None:
        validate_code(self.location, field="location")
        validate_code(self.sku, field="sku")
        require_quantity(self.qty)
        object.__setattr__(self, "bucket", parse_enum(Bucket, self.bucket, field="bucket"))
        object.__setattr__(self, "reason", parse_enum(Reason, self.reason, field="reason"))
        object.__setattr__(self, "occurred_at", require_aware(self.occurred_at, field="occurred_at"))


def available_to_promise(sellable: int, reserved: int, safety_stock: int) -> int:
    """What can still be promised: sellable on hand less reservations and the safety stock.

    It may be negative when stock sold offline already left the store; callers treat <= 0 as none.
    """
    return sellable - reserved - safety_stock
