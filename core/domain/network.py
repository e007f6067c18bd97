"""Locations and products: what the network is made of."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from core.domain.barcodes import validate_barcode
from core.domain.errors import ValidationError
from core.domain.money import parse_money


class ImportKind(StrEnum):
    """What a network CSV file holds (`core.services.csv_import`)."""

    LOCATIONS = "locations"
    PRODUCTS = "products"
    INVENTORY = "inventory"


class LocationType(StrEnum):
    STORE = "store"
    DC = "dc"
    THREE_PL = "3pl"
    DROPSHIP = "dropship"


CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")


def validate_code(value: str, *, field: str) -> str:
    """Location codes and SKUs travel in barcodes, URLs and CSV: keep them plain."""
    if not CODE_PATTERN.match(value):
        raise ValidationError(
            f"{value!r} must be 1-32 letters, digits, '-', '_' or '.', starting with a letter or digit",
            field=field,
        )
    return value


@dataclass(frozen=True, slots=True)
class LocationSpec:
    """A location as a retailer describes it; coordinates may be resolved from the postal code."""

    code: str
    name: str
    type: LocationType
    postal_code: str
    country: str = "US"
    latitude: float | None = None
    longitude: float | None = None
    address: str = ""
    timezone: str | None = None
    ships: bool = True
    pickup: bool = False
    returns: bool = False
    daily_capacity: int = 0
    priority: int = 0
    enabled: bool = True
    allow_negative_stock: bool = False

    def __post_init__(self) -> None:
        validate_code(self.code, field="code")
        if not self.name.strip():
            raise ValidationError("name is empty", field="name")
        if len(self.country) != 2 or not self.country.isalpha() or not self.country.isupper():
            raise ValidationError(f"{self.country!r} is not an ISO 3166 two-letter code", field="country")
        if self.daily_capacity < 0:
            raise ValidationError(f"{self.daily_capacity} is negative", field="daily_capacity")
        if self.type != LocationType.STORE and self.pickup:
            raise ValidationError(f"only stores offer pickup, not a {self.type}", field="pickup")


@dataclass(frozen=True, slots=True)
class ProductSpec:
    sku: str
    name: str
    price: Decimal
    category: str = ""
    barcodes: tuple[str, ...] = ()
    weight_kg: Decimal = Decimal("0")
    length_cm: Decimal = Decimal("0")
    width_cm: Decimal = Decimal("0")
    height_cm: Decimal = Decimal("0")
    returnable_days: int = 30

    def __post_init__(self) -> None:
        validate_code(self.sku, field="sku")
        if not self.name.strip():
            raise ValidationError("name is empty", field="name")
        parse_money(self.price, field="price")
        for i, code in enumerate(self.barcodes):
            validate_barcode(code, field=f"barcodes[{i}]" if len(self.barcodes) > 1 else "barcode")
        for name in ("weight_kg", "length_cm", "width_cm", "height_cm"):
            if getattr(self, name) < 0:
                raise ValidationError(f"{getattr(self, name)} is negative", field=name)
        if self.returnable_days < 0:
            raise ValidationError(f"{self.returnable_days} is negative", field="returnable_days")


@dataclass(frozen=True, slots=True)
class BinSpec:
    """A shelf position; zone, aisle and position give the order of a picking walk."""

    location: str
    code: str
    zone: str = ""
    aisle: int = 0
    position: int = 0


@dataclass(frozen=True, slots=True)
class StockLevel:
    """A counted quantity on the shelf, as an inventory file or a stock take states it."""

    location: str
    sku: str
    on_hand: int
    safety_stock: int | None = None
    bin: str | None = None
