"""Money is Decimal with two places; floats never touch prices or refunds."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from core.domain.errors import ValidationError

CENT = Decimal("0.01")


def parse_money(value: object, *, field: str, allow_negative: bool = False) -> Decimal:
    """A Decimal amount from text or Decimal; floats are refused because they are already rounded."""
    if isinstance(value, float):
        raise ValidationError(f"{value!r} is a float; give money as text or Decimal", field=field)
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError(f"{value!r} is not an amount of money", field=field) from None
    if not amount.is_finite():
        raise ValidationError(f"{value!r} is not an amount of money", field=field)
    if amount != amount.quantize(CENT):
        raise ValidationError(f"{value} has more than two decimal places", field=field)
    if amount < 0 and not allow_negative:
        raise ValidationError(f"{value} is negative", field=field)
    return amount.quantize(CENT)


def round_money(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)
