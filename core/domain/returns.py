"""Returns as pure rules: reasons, condition grades and where the units go, the policy that decides
what may come back, and the refund quote (see `core.domain.refunds` for the cents).

The service reads an order into a `SoldOrder` (prices, units the customer holds, units already
returned, when they were delivered) and asks `quote` what a return of some lines would refund; the
same quote is what gets recorded and printed, so the screen, the receipt and the ledger agree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from core.domain.errors import ValidationError
from core.domain.inventory import Bucket
from core.domain.parsing import parse_enum, require_quantity
from core.domain.refunds import fee_cents, from_cents, price_lines


class ReturnReason(StrEnum):
    CHANGED_MIND = "changed_mind"
    WRONG_SIZE = "wrong_size"
    DEFECTIVE = "defective"
    DAMAGED_IN_TRANSIT = "damaged_in_transit"
    WRONG_ITEM = "wrong_item"
    NOT_AS_DESCRIBED = "not_as_described"


RETAILER_FAULT = frozenset(
    {
        ReturnReason.DEFECTIVE,
        ReturnReason.DAMAGED_IN_TRANSIT,
        ReturnReason.WRONG_ITEM,
        ReturnReason.NOT_AS_DESCRIBED,
    }
)


class Condition(StrEnum):
    NEW = "new"  # unopened
    OPENED = "opened"  # opened, as new
    DAMAGED = "damaged"
    UNVERIFIED = "unverified"  # cannot be judged at the counter: needs inspection


class Disposition(StrEnum):
    SELLABLE = "sellable"
    DAMAGED = "damaged"
    INSPECTION = "inspection"


DISPOSITION = {
    Condition.NEW: Disposition.SELLABLE,
    Condition.OPENED: Disposition.SELLABLE,
    Condition.DAMAGED: Disposition.DAMAGED,
    Condition.UNVERIFIED: Disposition.INSPECTION,
}
BUCKET = {
    Disposition.SELLABLE: Bucket.SELLABLE,
    Disposition.DAMAGED: Bucket.DAMAGED,
    Disposition.INSPECTION: Bucket.QUARANTINE,
}


@dataclass(frozen=True, slots=True)
class ReturnPolicy:
    """Restocking fee per reason (a fraction of the refund; never charged when the retailer is at fault)."""

    restocking_fees: Mapping[ReturnReason, Decimal] = field(
        default_factory=lambda: {ReturnReason.CHANGED_MIND: Decimal("0.10")}
    )

    def fee_rate(self, reason: ReturnReason) -> Decimal:
        return Decimal(0) if reason in RETAILER_FAULT else self.restocking_fees.get(reason, Decimal(0))

    @classmethod
    def from_mapping(cls, values: Mapping[str, str]) -> ReturnPolicy:
        """`returns.fee.<reason>` = percent (e.g. "10"); absent keys keep the defaults."""
        fees = dict(cls().restocking_fees)
        for key, text in values.items():
            if not key.startswith("returns.fee."):
                continue
            reason = parse_enum(ReturnReason, key.removeprefix("returns.fee."), field=key)
            try:
                rate = Decimal(text) / 100
            except ArithmeticError:
                raise ValidationError(f"{text!r} is not a percentage", field=key) from None
            if not 0 <= rate <= 1:
                raise ValidationError(f"{text}% is not between 0 and 100", field=key)
            fees[reason] = rate
        return cls(fees)


@dataclass(frozen=True, slots=True)
class SoldLine:
    line_no: int
    sku: str
    name: str
    unit_price: Decimal
    ordered: int
    held: int  # units the customer has (delivered, not refunded at the counter, not still on the shelf)
    returned: int  # units already returned
    refunded_before: int  # units of this line refunded by any means so far (returns and pickup leftovers)
    returnable_days: int  # 0: final sale
    delivered_at: datetime | None  # None: not in the customer's hands yet


@dataclass(frozen=True, slots=True)
class SoldOrder:
    order_id: str
    channel: str
    lines: tuple[SoldLine, ...]
    discount: Decimal = Decimal("0.00")
    shipping: Decimal = Decimal("0.00")
    shipping_refunded: Decimal = Decimal("0.00")
    tender: str = "original payment"

    def line(self, line_no: int) -> SoldLine | None:
        return next((ln for ln in self.lines if ln.line_no == line_no), None)


@dataclass(frozen=True, slots=True)
class Eligibility:
    returnable: int
    why_not: str = ""  # when nothing (more) is returnable


def eligibility(line: SoldLine, now: datetime) -> Eligibility:
    """What of one line may come back today: final sale, the window, units held less returned."""
    if line.returnable_days == 0:
        return Eligibility(0, f"{line.name} is final sale")
    if line.delivered_at is None or line.held == 0:
        return Eligibility(0, f"{line.name} has not been delivered or collected")
    ends = line.delivered_at + timedelta(days=line.returnable_days)
    if now > ends:
        return Eligibility(
            0, f"the {line.returnable_days}-day return window for {line.name} ended on {ends:%Y-%m-%d}"
        )
    left = line.held - line.returned
    if left <= 0:
        return Eligibility(0, f"all {line.held} unit(s) of {line.name} were already returned")
    return Eligibility(left)


@dataclass(frozen=True, slots=True)
class ReturnRequest:
    line_no: int
    qty: int
    reason: ReturnReason
    condition: Condition

    def __post_init__(self) -> None:
        require_quantity(self.qty)
        if self.qty < 0:
            raise ValidationError(f"{self.qty} is negative", field="qty")
        object.__setattr__(self, "reason", parse_enum(ReturnReason, self.reason, field="reason"))
        object.__setattr__(self, "condition", parse_enum(Condition, self.condition, field="condition"))

    @property
    def disposition(self) -> Disposition:
        return DISPOSITION[self.condition]


@dataclass(frozen=True, slots=True)
class QuotedLine:
    line_no: int
    sku: str
    name: str
    qty: int
    reason: str  # a ReturnReason, or a LeftReason for units left at the pickup counter
    condition: str
    disposition: str
    unit_price: Decimal
    gross: Decimal
    discount: Decimal
    fee: Decimal
    refund: Decimal


@dataclass(frozen=True, slots=True)
class ReturnQuote:
    order_id: str
    lines: tuple[QuotedLine, ...]
    merchandise: Decimal
    discount: Decimal
    fees: Decimal
    shipping: Decimal
    total: Decimal
    tender: str


def quote(
    order: SoldOrder, requests: Sequence[ReturnRequest], policy: ReturnPolicy, now: datetime
) -> ReturnQuote:
    """The refund for returning `requests` of `order` now, or an error naming the line and why."""
    if not requests:
        raise ValidationError("choose at least one line to return", field="lines")
    priced = price_lines(
        [ln.unit_price for ln in order.lines], [ln.ordered for ln in order.lines], order.discount
    )
    by_no = {ln.line_no: (ln, p) for ln, p in zip(order.lines, priced, strict=True)}
    seen: set[int] = set()
    out: list[QuotedLine] = []
    retailer_fault = False
    for i, req in enumerate(requests):
        where = f"lines[{i}]"
        if req.line_no not in by_no:
            raise ValidationError(
                f"order {order.order_id} has no line {req.line_no}", field=f"{where}.line_no"
            )
        if req.line_no in seen:
            raise ValidationError(f"line {req.line_no} is listed twice", field=f"{where}.line_no")
        seen.add(req.line_no)
        line, price = by_no[req.line_no]
        allowed = eligibility(line, now)
        if req.qty > allowed.returnable:
            why = allowed.why_not or f"only {allowed.returnable} unit(s) of {line.name} can still be returned"
            raise ValidationError(f"line {req.line_no}: {why}; {req.qty} asked", field=f"{where}.qty")
        gross, discount = price.net_cents(line.refunded_before, req.qty)
        fee = fee_cents(gross - discount, policy.fee_rate(req.reason))
        retailer_fault |= req.reason in RETAILER_FAULT
        out.append(
            QuotedLine(
                line.line_no,
                line.sku,
                line.name,
                req.qty,
                req.reason,
                req.condition,
                req.disposition,
                line.unit_price,
                from_cents(gross),
                from_cents(discount),
                from_cents(fee),
                from_cents(gross - discount - fee),
            )
        )
    returning = {q.line_no: q.qty for q in out}
    whole = all(ln.refunded_before + returning.get(ln.line_no, 0) >= ln.ordered for ln in order.lines)
    shipping = order.shipping - order.shipping_refunded if (whole or retailer_fault) else Decimal("0.00")
    merchandise = sum((q.gross for q in out), Decimal("0.00"))
    discount_total = sum((q.discount for q in out), Decimal("0.00"))
    fees = sum((q.fee for q in out), Decimal("0.00"))
    total = merchandise - discount_total - fees + shipping
    return ReturnQuote(
        order.order_id, tuple(out), merchandise, discount_total, fees, shipping, total, order.tender
    )


def _totals(order: SoldOrder, lines: list[QuotedLine], shipping: Decimal) -> ReturnQuote:
    merchandise = sum((q.gross for q in lines), Decimal("0.00"))
    discount = sum((q.discount for q in lines), Decimal("0.00"))
    fees = sum((q.fee for q in lines), Decimal("0.00"))
    total = merchandise - discount - fees + shipping
    return ReturnQuote(
        order.order_id, tuple(lines), merchandise, discount, fees, shipping, total, order.tender
    )


def quote_leftovers(order: SoldOrder, units: Sequence[tuple[int, int, str]]) -> ReturnQuote:
    """Units a customer did not take at the pickup counter (line number, units, why): refunded at what
    they cost less their share of the discount, with no fee; shipping too when nothing is left."""
    priced = price_lines(
        [ln.unit_price for ln in order.lines], [ln.ordered for ln in order.lines], order.discount
    )
    by_no = {ln.line_no: (ln, p) for ln, p in zip(order.lines, priced, strict=True)}
    out: list[QuotedLine] = []
    taken: dict[int, int] = {}
    for line_no, qty, reason in units:
        line, price = by_no[line_no]
        start = line.refunded_before + taken.get(line_no, 0)
        gross, discount = price.net_cents(start, qty)
        taken[line_no] = taken.get(line_no, 0) + qty
        out.append(
            QuotedLine(
                line_no,
                line.sku,
                line.name,
                qty,
                reason,
                "",
                "",
                line.unit_price,
                from_cents(gross),
                from_cents(discount),
                from_cents(0),
                from_cents(gross - discount),
            )
        )
    whole = all(ln.refunded_before + taken.get(ln.line_no, 0) >= ln.ordered for ln in order.lines)
    return _totals(order, out, order.shipping - order.shipping_refunded if whole else Decimal("0.00"))
