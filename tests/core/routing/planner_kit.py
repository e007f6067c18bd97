"""Tiny networks and a distance-priced quoter for planner tests, so costs can be worked out by hand.

Geography: the customer sits at (0, 0); a location at longitude x is `x * KM_PER_DEGREE` km away.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from core.domain.geo import distance_km
from core.domain.network import LocationType
from core.domain.orders import OrderRequest, parse_order
from core.routing.decision import RoutingDecision
from core.routing.planner import Planner
from core.routing.rates import RateBroker, parse_rate_sheet
from core.routing.rules import validate_rule_set
from core.routing.shipping import RateQuote, ShipmentRequest
from core.routing.snapshot import Destination, ItemInfo, LocationSnapshot, NetworkSnapshot

KM_PER_DEGREE = distance_km(0, 0, 0, 1)
PLACED = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # a Monday
HOME = Destination(0.0, 0.0, "10001", "US", "NY")


def at_km(km: float) -> float:
    """The longitude that puts a location `km` from the customer."""
    return km / KM_PER_DEGREE


@dataclass
class DistanceQuoter:
    """$base + $per_km per km + $per_kg per kg, 1 transit day per 500 km; refuses weights over max_kg."""

    base: Decimal = Decimal("5.00")
    per_km: Decimal = Decimal("0.01")
    per_kg: Decimal = Decimal("1.00")
    max_kg: Decimal = Decimal("1000")
    calls: int = 0

    def quote(self, request: ShipmentRequest) -> RateQuote | None:
        self.calls += 1
        if request.weight_kg > self.max_kg:
            return None
        o, d = request.origin, request.destination
        km = Decimal(str(round(distance_km(o.latitude, o.longitude, d.latitude, d.longitude))))
        cost = (self.base + self.per_km * km + self.per_kg * request.weight_kg).quantize(
            Decimal("0.01"), ROUND_HALF_UP
        )
        days = 1 + int(km) // 500
        ship = request.ready_at.date()
        eta = ship + timedelta(days=days)
        meets = request.promise_by is None or eta <= request.promise_by.date()
        return RateQuote("TestPost", "ground", cost, days, ship, eta, meets)


def loc(code: str, km: float, type: str = "store", **kw: Any) -> LocationSnapshot:
    fields: dict[str, Any] = dict(
        code=code,
        name=kw.pop("name", f"Loc {code}"),
        type=LocationType(type),
        postal_code="10001",
        country="US",
        latitude=0.0,
        longitude=at_km(km),
    )
    fields.update(kw)
    return LocationSnapshot(**fields)


def item(sku: str, kg: str = "1", category: str = "", group: str = "", price: str = "10.00") -> ItemInfo:
    return ItemInfo(sku, Decimal(kg), category, Decimal(price), group)


def network(
    locations: list[LocationSnapshot],
    stock: dict[tuple[str, str], int | tuple[int, int, float]],
    items: list[ItemInfo],
) -> NetworkSnapshot:
    """stock maps (location, sku) to ATP or to (ATP, on hand, daily sales)."""
    rows = []
    for (code, sku), v in stock.items():
        atp, on_hand, sales = v if isinstance(v, tuple) else (v, v, 0.0)
        rows.append((code, sku, atp, on_hand, sales))
    return NetworkSnapshot.build(locations, rows, items)


def order(
    *lines: tuple[str, int],
    method: str = "ship",
    channel: str = "web",
    pickup: str | None = None,
    order_id: str = "O-1",
    price: str = "10.00",
    promise_by: datetime | None = None,
    postal_code: str = "10001",
) -> OrderRequest:
    delivery: dict[str, Any] = {
        "method": method,
        "postal_code": postal_code,
        "latitude": 0.0,
        "longitude": 0.0,
    }
    if pickup:
        delivery["pickup_location"] = pickup
    if promise_by:
        delivery["promise_by"] = promise_by.isoformat()
    return parse_order(
        {
            "id": order_id,
            "channel": channel,
            "placed_at": PLACED.isoformat(),
            "customer": {"name": "Ada"},
            "delivery": delivery,
            "lines": [{"sku": sku, "qty": qty, "unit_price": price} for sku, qty in lines],
        }
    )


@dataclass
class TableQuoter:
    """Prices by origin postal code: {postal: (base, transit days)}, plus $per_kg per kg."""

    prices: dict[str, tuple[str, int]]
    per_kg: Decimal = Decimal("0")

    def quote(self, request: ShipmentRequest) -> RateQuote | None:
        found = self.prices.get(request.origin.postal_code)
        if found is None:
            return None
        base, days = found
        ship = request.ready_at.date()
        eta = ship + timedelta(days=days)
        meets = request.promise_by is None or eta <= request.promise_by.date()
        return RateQuote(
            "Table", "std", Decimal(base) + self.per_kg * request.weight_kg, days, ship, eta, meets
        )


def route(
    rules: dict[str, Any], net: NetworkSnapshot, the_order: OrderRequest, quoter: Any = None, **kw: Any
) -> RoutingDecision:
    planner = Planner(validate_rule_set(rules), quoter or DistanceQuoter())
    return planner.route(the_order, net, destination=kw.pop("destination", HOME), **kw)


def steep_sheet() -> RateBroker:
    """Parcels up to 10 kg cost $5, up to 20 kg $50: two light parcels beat one heavy one."""
    service = {
        "code": "GROUND",
        "name": "Ground",
        "transit_days": {"1": 1},
        "tiers": [{"max_kg": "10", "prices": {"1": "5.00"}}, {"max_kg": "20", "prices": {"1": "50.00"}}],
    }
    carrier = {
        "name": "Steep",
        "cutoff": "17:00",
        "distance_bands": [{"zone": "1", "min_km": 0, "max_km": 1000}],
        "services": [service],
    }
    return RateBroker(parse_rate_sheet({"carriers": [carrier]}))
