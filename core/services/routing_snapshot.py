"""Reading what the planner needs for one order out of the database, in a handful of bulk queries.

Only the order's SKUs are read; capacity used today is counted in each location's own time zone,
and the daily sales rate behind "days of supply" comes from the last four weeks of the ledger.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.domain.geo import lookup_us_postal_code
from core.domain.inventory import Reason
from core.domain.network import LocationType
from core.routing.snapshot import ItemInfo, LocationSnapshot, NetworkSnapshot
from core.services.lookups import chunked
from core.services.orders import LIVE_FULFILMENT_STATES
from core.storage.models import Fulfilment, Location, Movement, Product, StockPosition

SALES_WINDOW_DAYS = 28
OUTBOUND = (Reason.SALE.value, Reason.SHIPMENT.value, Reason.PICKUP.value)


@lru_cache(maxsize=4096)
def _region(postal_code: str, country: str) -> str:
    place = lookup_us_postal_code(postal_code) if country == "US" else None
    return (place.state or "") if place else ""


def _local_midnight(now: datetime, timezone: str) -> datetime:
    local = now.astimezone(ZoneInfo(timezone))
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def used_today(session: Session, locations: list[Location], now: datetime) -> dict[str, int]:
    """Live fulfilments each location was given since its own local midnight (its capacity used)."""
    since = now - timedelta(hours=26)  # covers every zone's "today"; the exact cut is per location below
    midnight = {loc.code: _local_midnight(now, loc.timezone) for loc in locations}
    rows = session.execute(
        select(Fulfilment.location_code, Fulfilment.created_at).where(
            Fulfilment.created_at >= since, Fulfilment.state.in_(LIVE_FULFILMENT_STATES)
        )
    )
    used: dict[str, int] = {}
    for code, created in rows:
        if code in midnight and created >= midnight[code]:
            used[code] = used.get(code, 0) + 1
    return used


def location_snapshots(session: Session, now: datetime) -> list[LocationSnapshot]:
    locations = list(session.scalars(select(Location).order_by(Location.code)))
    used = used_today(session, locations, now)
    return [
        LocationSnapshot(
            code=loc.code,
            name=loc.name,
            type=LocationType(loc.type),
            postal_code=loc.postal_code,
            country=loc.country,
            latitude=loc.latitude,
            longitude=loc.longitude,
            timezone=loc.timezone,
            enabled=loc.enabled,
            ships=loc.ships,
            pickup=loc.pickup,
            daily_capacity=loc.daily_capacity,
            used_capacity_today=used.get(loc.code, 0),
            priority=loc.priority,
            region=_region(loc.postal_code, loc.country),
        )
        for loc in locations
    ]


def _daily_sales(session: Session, skus: list[str], now: datetime) -> dict[tuple[str, str], float]:
    since = now - timedelta(days=SALES_WINDOW_DAYS)
    sales: dict[tuple[str, str], float] = {}
    for chunk in chunked(skus):
        query = (
            select(Movement.location_code, Movement.sku, func.sum(Movement.qty))
            .where(Movement.sku.in_(chunk), Movement.occurred_at >= since, Movement.reason.in_(OUTBOUND))
            .group_by(Movement.location_code, Movement.sku)
        )
        for loc, sku, total in session.execute(query):
            sales[(loc, sku)] = -int(total) / SALES_WINDOW_DAYS
    return sales


def network_snapshot(session: Session, skus: Iterable[str], now: datetime) -> NetworkSnapshot:
    """Locations, stock and item data for the given SKUs, as of `now`."""
    wanted = sorted(set(skus))
    sales = _daily_sales(session, wanted, now)
    stock = []
    items = []
    for chunk in chunked(wanted):
        for p in session.scalars(select(StockPosition).where(StockPosition.sku.in_(chunk))):
            key = (p.location_code, p.sku)
            stock.append((p.location_code, p.sku, p.atp, p.sellable, sales.get(key, 0.0)))
        items += [
            ItemInfo(p.sku, p.weight_kg, p.category, p.price)
            for p in session.scalars(select(Product).where(Product.sku.in_(chunk)))
        ]
    return NetworkSnapshot.build(location_snapshots(session, now), stock, items)
