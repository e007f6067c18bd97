"""The order as every channel sends it (DESIGN.md "Order JSON"), validated at the door.

Pydantic gives field paths for free; `parse_order` turns its report into one `ValidationError`
naming the first failing field the way a person would write it (`lines[2].qty`).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, NoReturn

import pydantic
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from core.domain.errors import ValidationError


class Channel(StrEnum):
    WEB = "web"
    MOBILE = "mobile"
    MARKETPLACE = "marketplace"
    PHONE = "phone"
    STORE = "store"


class DeliveryMethod(StrEnum):
    SHIP = "ship"
    PICKUP = "pickup"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Customer(_Strict):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    email: Annotated[str, Field(max_length=254, pattern=r"^$|^[^@\s]+@[^@\s]+\.[^@\s]+$")] = ""
    phone: Annotated[str, Field(max_length=40)] = ""


class Delivery(_Strict):
    method: DeliveryMethod
    postal_code: Annotated[str, Field(max_length=16)] = ""
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] = "US"
    latitude: Annotated[float, Field(ge=-90, le=90)] | None = None
    longitude: Annotated[float, Field(ge=-180, le=180)] | None = None
    pickup_location: str | None = None
    promise_by: AwareDatetime | None = None

    @model_validator(mode="after")
    def _destination(self) -> Delivery:
        if self.method == DeliveryMethod.PICKUP and not self.pickup_location:
            raise ValueError("a pickup order needs delivery.pickup_location")
        if self.method == DeliveryMethod.SHIP and not self.postal_code and self.latitude is None:
            raise ValueError("a ship order needs delivery.postal_code or latitude/longitude")
        return self


class OrderLine(_Strict):
    sku: Annotated[str, Field(min_length=1, max_length=32)]
    qty: Annotated[int, Field(strict=True, gt=0, le=10_000)]
    unit_price: Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]


class OrderRequest(_Strict):
    id: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")]
    channel: Channel
    placed_at: AwareDatetime
    customer: Customer
    delivery: Delivery
    lines: Annotated[list[OrderLine], Field(min_length=1, max_length=200)]

    @property
    def total(self) -> Decimal:
        return sum((line.unit_price * line.qty for line in self.lines), Decimal("0"))

    @property
    def promise_by(self) -> datetime | None:
        return self.delivery.promise_by


def field_path(loc: tuple[int | str, ...]) -> str:
    """('lines', 2, 'qty') -> 'lines[2].qty'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def raise_first_error(exc: pydantic.ValidationError) -> NoReturn:
    """Re-raise pydantic's report as our error, naming the first field and keeping the rest."""
    first = exc.errors()[0]
    message = first["msg"].removeprefix("Value error, ")
    raise ValidationError(message, field=field_path(first["loc"]) or None) from exc


def parse_order(data: dict[str, Any] | str | bytes) -> OrderRequest:
    try:
        if isinstance(data, (str, bytes)):
            return OrderRequest.model_validate_json(data)
        return OrderRequest.model_validate(data)
    except pydantic.ValidationError as exc:
        raise_first_error(exc)
