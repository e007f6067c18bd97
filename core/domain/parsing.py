"""Checks shared by every input path (CSV, JSON, forms) so each names the field it refuses."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import TypeVar

from core.domain.errors import ValidationError

E = TypeVar("E", bound=StrEnum)


def parse_enum(kind: type[E], value: object, *, field: str) -> E:
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(m.value for m in kind)
        raise ValidationError(f"{value!r} is not one of {allowed}", field=field) from None


def require_aware(value: datetime, *, field: str) -> datetime:
    """Times are stored in UTC; a naive time is refused because its zone would be a guess."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(f"{value.isoformat()} has no time zone", field=field)
    return value.astimezone(UTC)


def require_quantity(value: object, *, field: str = "qty", allow_zero: bool = False) -> int:
    """Quantities are whole units; a float like 2.0 is refused too, because it hides a unit error."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{value!r} is not a whole number", field=field)
    if value == 0 and not allow_zero:
        raise ValidationError("quantity is zero", field=field)
    return value
