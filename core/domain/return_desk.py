"""What the Returns screens hold: order hits, returnable lines, receipts, receipt-less items, tasks.

They live here, not beside the services that build them, because the UI may not import
`core.services` (the import contract counts the SQLAlchemy those bring); the services fill these
plain values and the screens only read them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from core.domain.returns import Condition, ReturnReason

TASK_PREFIX = "TASK:"
PHONE_DIGITS = range(7, 12)  # a local number up to one with its country code; barcodes have 12+


def names_a_customer(text: str) -> bool:
    """Words that find a customer (a name, an e-mail, a phone number) rather than a code a scanner
    read: only these are searched across the network, so a product barcode scanned at the returns
    counter by mistake does not list strangers whose phone holds four of its digits."""
    if any(ch.isalpha() or ch == "@" for ch in text):
        return True
    return len([ch for ch in text if ch.isdigit()]) in PHONE_DIGITS


@dataclass(frozen=True, slots=True)
class OrderHit:
    order_id: str
    channel: str
    customer_name: str
    placed_at: datetime
    total: Decimal


@dataclass(frozen=True, slots=True)
class ReturnableLine:
    line_no: int
    sku: str
    name: str
    unit_price: Decimal
    held: int
    returned: int
    returnable: int
    why_not: str


@dataclass(frozen=True, slots=True)
class ReceiptLine:
    sku: str
    name: str
    qty: int
    reason: str
    condition: str
    disposition: str
    unit_price: Decimal
    discount: Decimal
    fee: Decimal
    refund: Decimal
    task_id: int | None


@dataclass(frozen=True, slots=True)
class ReturnReceipt:
    """What the printed return receipt says."""

    return_id: str
    kind: str
    store: str
    store_name: str
    order_id: str | None
    created_at: datetime
    associate: str
    device: str
    lines: tuple[ReceiptLine, ...]
    merchandise: Decimal
    discount: Decimal
    fees: Decimal
    shipping: Decimal
    total: Decimal
    refund_method: str
    tender: str
    approved_by: str
    receipt: bool
    associate_name: str = ""  # the associate's name when the store knows them ("" otherwise)


@dataclass(frozen=True, slots=True)
class ReceiptlessItem:
    sku: str
    qty: int
    reason: ReturnReason | str
    condition: Condition | str


@dataclass(frozen=True, slots=True)
class ReturnOutcome:
    """A return that needed approval: the receipt, or why it was refused (nothing else recorded)."""

    receipt: ReturnReceipt | None
    message: str

    @property
    def ok(self) -> bool:
        return self.receipt is not None


@dataclass(frozen=True, slots=True)
class TaskCard:
    id: int
    kind: str
    sku: str
    name: str
    qty: int
    done_qty: int
    reference: str
    note: str
    created_at: datetime

    @property
    def code(self) -> str:
        """What the task's label barcode says; scanning it completes the task at once."""
        return f"{TASK_PREFIX}{self.id}"


@dataclass(frozen=True, slots=True)
class TaskProgress:
    task_id: int
    sku: str
    done_qty: int
    qty: int
    message: str

    @property
    def done(self) -> bool:
        return self.done_qty >= self.qty
