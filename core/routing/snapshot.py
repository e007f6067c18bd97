"""What the planner sees of the world: plain dataclasses the storage layer fills with bulk queries.

Storage builds a `NetworkSnapshot` from three queries: locations (with today's fulfilment count),
stock rows `(location, sku, atp, on_hand, daily_sales)` for the SKUs it cares about (all of them
for simulation, or just one order's SKUs on the hub), and products. Stock is indexed by SKU so an
order only ever touches the locations that hold its items.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal

import numpy as np

from core.domain.geo import lookup_us_postal_code, resolve_place
from core.domain.network import LocationType
from core.domain.orders import DeliveryMethod, OrderRequest
from core.routing.columns import LocationColumns, StockRows
from core.routing.shipping import Address


@dataclass(frozen=True, slots=True)
class LocationSnapshot:
    """One location as routing needs it; `daily_capacity` 0 means no daily limit."""

    code: str
    name: str
    type: LocationType
    postal_code: str
    country: str
    latitude: float
    longitude: float
    timezone: str = "UTC"
    enabled: bool = True
    ships: bool = True
    pickup: bool = False
    daily_capacity: int = 0
    used_capacity_today: int = 0
    priority: int = 0
    region: str = ""

    @property
    def address(self) -> Address:
        return Address(self.postal_code, self.country, self.latitude, self.longitude, self.timezone)


@dataclass(frozen=True, slots=True)
class StockLevel:
    """ATP is already net of the location's own safety stock and reservations (may be <= 0)."""

    atp: int
    on_hand: int = 0
    daily_sales: float = 0.0


@dataclass(frozen=True, slots=True)
class ItemInfo:
    sku: str
    weight_kg: Decimal
    category: str = ""
    price: Decimal = Decimal("0")
    group: str = ""  # lines whose items share a non-empty group ship together when the policy says so
    weight_g: int = field(init=False, repr=False, compare=False)  # whole grams, as routing weighs

    def __post_init__(self) -> None:
        # Every order line is weighed in grams: converted once per product, not once per line.
        object.__setattr__(self, "weight_g", round(self.weight_kg * 1000))


@dataclass(frozen=True, slots=True)
class Destination:
    """Where the parcels go: the customer for ship orders, the pickup store for pickup orders."""

    latitude: float
    longitude: float
    postal_code: str = ""
    country: str = "US"
    region: str = ""  # US state or the retailer's own region code, matched by fences
    timezone: str = "UTC"

    @property
    def address(self) -> Address:
        return self.address_for(residential=True)

    def address_for(self, *, residential: bool) -> Address:
        """The carriers' view: a transfer to a pickup store goes to a business address."""
        return Address(
            self.postal_code, self.country, self.latitude, self.longitude, self.timezone, residential
        )


@dataclass
class NetworkSnapshot:
    """Locations, stock by SKU then location code, and item data; owned and updated by the caller.

    Stock changes go through `set_stock` / `drop_stock`, which keep the screening columns in step;
    locations may be replaced freely (`columns` notices).
    """

    locations: dict[str, LocationSnapshot]
    stock: dict[str, dict[str, StockLevel]]
    items: dict[str, ItemInfo]
    addresses: dict[str, Address] = field(default_factory=dict, repr=False)
    _trig: dict[str, tuple[float, float, float]] = field(default_factory=dict, repr=False)
    _columns: LocationColumns | None = field(default=None, repr=False)
    _stock_rows: StockRows | None = field(default=None, repr=False)

    @classmethod
    def build(
        cls,
        locations: Iterable[LocationSnapshot],
        stock: Iterable[tuple[str, str, int, int, float]],
        items: Iterable[ItemInfo],
    ) -> NetworkSnapshot:
        """From query rows: stock rows are (location, sku, atp, on_hand, daily_sales).

        Rows may be streamed. Equal levels share one immutable `StockLevel`: stock is long-tailed
        (a few thousand distinct levels over millions of positions), so a 200-location,
        50,000-SKU network fits in about 100 MB instead of several hundred.
        """
        by_sku: dict[str, dict[str, StockLevel]] = {}
        shared: dict[tuple[int, int, float], StockLevel] = {}
        for loc, sku, atp, on_hand, sales in stock:
            key = (atp, on_hand, sales)
            level = shared.get(key)
            if level is None:
                level = shared[key] = StockLevel(atp, on_hand, sales)
            held = by_sku.get(sku)
            if held is None:
                held = by_sku[sku] = {}
            held[loc] = level
        return cls({loc.code: loc for loc in locations}, by_sku, {i.sku: i for i in items})

    def address(self, code: str) -> Address:
        found = self.addresses.get(code)
        if found is None:
            found = self.addresses[code] = self.locations[code].address
        return found

    def trig(self, code: str) -> tuple[float, float, float]:
        """(latitude, longitude in radians, cos latitude): the part of a distance that never changes."""
        found = self._trig.get(code)
        if found is None:
            loc = self.locations[code]
            lat = math.radians(loc.latitude)
            found = self._trig[code] = (lat, math.radians(loc.longitude), math.cos(lat))
        return found

    def record_fulfilment(self, code: str, count: int = 1) -> None:
        """Count fulfilments started today so the next order sees the capacity left."""
        loc = self.locations[code]
        changed = self.locations[code] = replace(loc, used_capacity_today=loc.used_capacity_today + count)
        if self._columns is not None:
            self._columns.replace(changed)

    def set_stock(self, code: str, sku: str, level: StockLevel) -> None:
        self.stock.setdefault(sku, {})[code] = level
        if self._stock_rows is not None:
            self._stock_rows.update(sku, code, level)

    def drop_stock(self, code: str, sku: str) -> None:
        """The location no longer has a stock row for the SKU."""
        self.stock.get(sku, {}).pop(code, None)
        if self._stock_rows is not None:
            self._stock_rows.update(sku, code, None)

    def columns(self) -> LocationColumns:
        """The locations as arrays for screening, brought up to date with `locations`."""
        cols = self._columns
        if cols is None or not cols.follows(self.locations):
            cols = self._columns = LocationColumns(self.locations)
            self._stock_rows = StockRows(cols)
        return cols

    def stock_row(self, sku: str) -> np.ndarray:
        """Over `columns()` indices: which locations have a stock row for the SKU, and their ATP
        (`StockRows`)."""
        rows = self._stock_rows
        if rows is None:
            self.columns()
            rows = self._stock_rows
            assert rows is not None
        return rows.row(sku, self.stock.get(sku, {}))


def destination_for(order: OrderRequest, locations: Mapping[str, LocationSnapshot]) -> Destination | None:
    """Resolve where an order goes (offline); None when a pickup store is unknown."""
    d = order.delivery
    if d.method == DeliveryMethod.PICKUP:
        store = locations.get(d.pickup_location or "")
        if store is None:
            return None
        return Destination(
            store.latitude, store.longitude, store.postal_code, store.country, store.region, store.timezone
        )
    place = resolve_place(
        d.postal_code or None, d.country, d.latitude, d.longitude, field="delivery.postal_code"
    )
    region = place.state or ""
    if not region and d.country == "US" and d.postal_code:
        found = lookup_us_postal_code(d.postal_code)
        region = found.state or "" if found else ""
    return Destination(
        place.latitude, place.longitude, d.postal_code, d.country, region or "", place.timezone or "UTC"
    )
