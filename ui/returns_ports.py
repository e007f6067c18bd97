"""What the Returns screens need, handed in by the composition root (`app/store_returns.py` binds it).

Same rule as `ui.ports`: the UI may not import `core.services`, so each entry is a bound call that
returns an `Op` for `ui.ops.OpRunner` (or, for the hub, an awaitable), and the values it answers
with live in `core.domain`. Calls
that write take the signed-in person, so the refund, the stock movements and the audit trail name
who took the return on which tablet.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from core.domain.associates import SignedIn
from core.domain.return_desk import (
    OrderHit,
    ReceiptlessItem,
    ReturnableLine,
    ReturnOutcome,
    ReturnReceipt,
    TaskCard,
    TaskProgress,
)
from core.domain.returns import ReturnQuote, ReturnRequest
from ui.ops import Op


@dataclass(frozen=True, slots=True)
class ReturnsServices:
    find_orders: Callable[[str], Op[list[OrderHit]]]  # a scanned receipt / slip code, or typed words
    returnable: Callable[[str], Op[list[ReturnableLine]]]  # order id
    quote: Callable[[str, Sequence[ReturnRequest]], Op[ReturnQuote]]
    record: Callable[[SignedIn, str, Sequence[ReturnRequest]], Op[ReturnReceipt]]
    product: Callable[[str], Op[tuple[str, str, Decimal] | None]]  # code -> (SKU, name, price); None: unknown
    quote_receiptless: Callable[[Sequence[ReceiptlessItem]], Op[ReturnQuote]]
    # (person, items, manager id, manager PIN): a refusal comes back as an outcome, not an error
    record_receiptless: Callable[[SignedIn, Sequence[ReceiptlessItem], str, str], Op[ReturnOutcome]]
    inspections: Callable[[], Op[list[TaskCard]]]
    resolve_inspection: Callable[[SignedIn, int, int, int], Op[TaskProgress]]  # (task, sellable, damaged)
    documents_dir: Path  # where "Save PDF" writes receipts
    # An order this store did not sell, fetched from the hub and copied here (None: the hub has no
    # such order; raises with words to show when the hub cannot be reached). Runs on the asyncio
    # loop, as the sync client's calls do. None: no hub (the demo), only this store's orders.
    fetch_order: Callable[[str], Awaitable[OrderHit | None]] | None = None
    # Orders of any channel by the customer's name, e-mail or phone, at the hub (nothing copied yet).
    search_hub: Callable[[str], Awaitable[list[OrderHit]]] | None = None
