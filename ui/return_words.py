"""How the Returns screens and the receipt say reasons, conditions, where units go, and money.

One table for the screen and the paper, so the words an associate chose are the words the
customer takes home.
"""

from __future__ import annotations

from decimal import Decimal

from core.domain.returns import Condition, Disposition, ReturnReason

REASONS: dict[ReturnReason, str] = {
    ReturnReason.CHANGED_MIND: "Changed mind",
    ReturnReason.WRONG_SIZE: "Wrong size",
    ReturnReason.DEFECTIVE: "Defective",
    ReturnReason.DAMAGED_IN_TRANSIT: "Damaged in transit",
    ReturnReason.WRONG_ITEM: "Wrong item sent",
    ReturnReason.NOT_AS_DESCRIBED: "Not as described",
}
CONDITIONS: dict[Condition, str] = {
    Condition.NEW: "New, unopened",
    Condition.OPENED: "Opened, as new",
    Condition.DAMAGED: "Damaged",
    Condition.UNVERIFIED: "Needs inspection",
}
GOES_TO: dict[Disposition, str] = {
    Disposition.SELLABLE: "back on sale here",
    Disposition.DAMAGED: "to damaged stock",
    Disposition.INSPECTION: "to quarantine for inspection",
}


def _words(table: dict[str, str], value: str) -> str:
    """A stored value in words; a value the table does not know (a pickup leftover's reason) as is."""
    return table.get(value, value.replace("_", " "))


def reason_text(value: str) -> str:
    return _words(REASONS, value)  # type: ignore[arg-type]


def condition_text(value: str) -> str:
    return _words(CONDITIONS, value)  # type: ignore[arg-type]


def goes_to(disposition: str) -> str:
    return _words(GOES_TO, disposition)  # type: ignore[arg-type]


def money(amount: Decimal) -> str:
    """Dollars with thousands separators; a minus sign a reader cannot miss."""
    return f"−${-amount:,.2f}" if amount < 0 else f"${amount:,.2f}"


def tender_text(method: str, tender: str) -> str:
    """Where the refund goes: store credit, or back to what the customer paid with."""
    if method == "store_credit":
        return "Store credit"
    return "To the original payment" if tender == "original payment" else f"To {tender} (original payment)"
