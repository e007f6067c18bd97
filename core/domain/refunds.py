"""Refund arithmetic in whole cents: discount proration and per-unit shares that always add up.

An order-level discount is spread over the lines in proportion to their value by the largest
remainder method, so the parts are whole cents that sum exactly to the discount. Inside a line the
share is spread over its units the same way (the first units carry the odd cents), and a refund
of units `start .. start+count-1` takes the difference of two cumulative sums. So however a
customer splits a return, the refunds add up to what one full return would have paid, cent for
cent, and never to more than was paid.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from core.domain.errors import ValidationError
from core.domain.money import CENT


def to_cents(amount: Decimal) -> int:
    cents = amount / CENT
    if cents != cents.to_integral_value():
        raise ValidationError(f"{amount} is not a whole number of cents", field="amount")
    return int(cents)


def from_cents(cents: int) -> Decimal:
    return (Decimal(cents) * CENT).quantize(CENT)


def allocate(total: int, weights: Sequence[int]) -> list[int]:
    """Split `total` cents in proportion to `weights` (largest remainder, earlier index wins ties)."""
    if total < 0 or any(w < 0 for w in weights):
        raise ValidationError("amounts to allocate are not negative", field="amount")
    whole = sum(weights)
    if whole == 0:
        if total:
            raise ValidationError(
                f"cannot spread {from_cents(total)} over lines worth nothing", field="discount"
            )
        return [0] * len(weights)
    shares = [total * w // whole for w in weights]
    remainders = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
    for i in remainders[: total - sum(shares)]:
        shares[i] += 1
    return shares


def cumulative_share(share: int, units: int, k: int) -> int:
    """Cents of a line's `share` carried by its first `k` of `units` units."""
    if units <= 0:
        return 0
    base, odd = divmod(share, units)
    k = max(0, min(k, units))
    return k * base + min(k, odd)


@dataclass(frozen=True, slots=True)
class PricedLine:
    """One order line as refunds see it: the price paid per unit before the order discount, how many
    units were ordered, and the line's part of the order discount (cents)."""

    unit_price: Decimal
    ordered: int
    discount_share: int  # cents

    def net_cents(self, start: int, count: int) -> tuple[int, int]:
        """(gross cents, discount cents) of units `start .. start+count-1` of this line."""
        if start < 0 or count < 0 or start + count > self.ordered:
            raise ValidationError(
                f"units {start + 1}..{start + count} do not exist on a line of {self.ordered}", field="qty"
            )
        gross = to_cents(self.unit_price) * count
        discount = cumulative_share(self.discount_share, self.ordered, start + count) - cumulative_share(
            self.discount_share, self.ordered, start
        )
        return gross, discount


def price_lines(
    unit_prices: Sequence[Decimal], ordered: Sequence[int], discount: Decimal
) -> list[PricedLine]:
    """Lines with their share of the order discount, which may not exceed the goods' value."""
    values = [to_cents(p) * q for p, q in zip(unit_prices, ordered, strict=True)]
    total = to_cents(discount)
    if total > sum(values):
        raise ValidationError(
            f"a discount of {discount} is more than the goods are worth ({from_cents(sum(values))})",
            field="discount",
        )
    shares = allocate(total, values)
    return [PricedLine(p, q, s) for p, q, s in zip(unit_prices, ordered, shares, strict=True)]


def fee_cents(net: int, rate: Decimal) -> int:
    """A restocking fee: `rate` of the net refund, rounded half up to the cent, never above it."""
    if rate < 0 or rate > 1:
        raise ValidationError(f"a restocking fee of {rate:%} is not between 0 and 100%", field="fee")
    fee = int((Decimal(net) * rate).quantize(Decimal(1), rounding="ROUND_HALF_UP"))
    return min(max(fee, 0), net)
