"""A rate sheet compiled into lookup tables, so quoting does no Decimal arithmetic and no parsing.

Per carrier: postal zone chart as a prefix-pair dictionary, distance bands as sorted bounds, and per
zone the services with their weight-tier bounds (for `bisect`) and every total (base, fuel,
residential) already rounded per tier. Private to `core.routing.rates`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from core.domain.money import round_money
from core.routing.rates.calendar import PickupCalendar
from core.routing.rates.sheet import Carrier, Service, expand_prefixes

_ZERO = Decimal("0.00")
Price = tuple[int, Decimal, tuple[tuple[str, Decimal], ...]]  # (cents for comparing, total, breakdown)


@dataclass(frozen=True, slots=True)
class Option:
    """One service in one zone, with its tier bounds and precomputed prices."""

    carrier: str
    service: str
    rank: int  # position in (carrier, service code) order: the last tie-break, compared as an int
    transit_days: int
    saturday_delivery: bool
    guaranteed: bool
    calendar: PickupCalendar
    bounds: tuple[Decimal, ...]
    prices: tuple[Price, ...]
    residential_prices: tuple[Price, ...]


@dataclass(frozen=True, slots=True)
class CompiledCarrier:
    prefixes: dict[tuple[str, str], str]
    band_mins: tuple[float, ...]
    band_maxes: tuple[float | None, ...]
    band_zones: tuple[str, ...]
    by_zone: dict[str, tuple[Option, ...]]


def _price(base: Decimal, fuel_pct: Decimal, residential: Decimal) -> Price:
    """Fuel is a percentage of the base rate only; the residential fee is a flat add-on."""
    fuel = round_money(base * fuel_pct / 100)
    total = base + fuel + residential
    return int(total * 100), total, (("base", base), ("fuel", fuel), ("residential", residential))


def compile_carrier(carrier: Carrier, ranks: dict[tuple[str, str], int]) -> CompiledCarrier:
    calendars: dict[object, PickupCalendar] = {}
    by_zone: dict[str, list[Option]] = {}
    for service in carrier.services:
        cutoff = service.cutoff or carrier.cutoff
        if cutoff not in calendars:
            calendars[cutoff] = PickupCalendar(carrier.pickup_days, cutoff, carrier.holidays)
        for zone, transit in service.transit_days.items():
            by_zone.setdefault(zone, []).append(
                _option(carrier, service, zone, transit, calendars[cutoff], ranks)
            )
    prefixes = {
        (o, d): row.zone
        for row in carrier.postal_zones
        for o in expand_prefixes(row.origin)
        for d in expand_prefixes(row.destination)
    }
    bands = carrier.distance_bands
    return CompiledCarrier(
        prefixes=prefixes,
        band_mins=tuple(b.min_km for b in bands),
        band_maxes=tuple(b.max_km for b in bands),
        band_zones=tuple(b.zone for b in bands),
        by_zone={zone: tuple(options) for zone, options in by_zone.items()},
    )


def _option(
    carrier: Carrier,
    service: Service,
    zone: str,
    transit: int,
    calendar: PickupCalendar,
    ranks: dict[tuple[str, str], int],
) -> Option:
    pct, fee = carrier.fuel_surcharge_pct, carrier.residential_surcharge
    return Option(
        carrier=carrier.name,
        service=service.code,
        rank=ranks[carrier.name, service.code],
        transit_days=transit,
        saturday_delivery=service.saturday_delivery,
        guaranteed=service.guaranteed,
        calendar=calendar,
        bounds=tuple(t.max_kg for t in service.tiers),
        prices=tuple(_price(t.prices[zone], pct, _ZERO) for t in service.tiers),
        residential_prices=tuple(_price(t.prices[zone], pct, fee) for t in service.tiers),
    )
