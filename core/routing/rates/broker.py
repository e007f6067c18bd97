"""The rate broker: the cheapest carrier service that meets the promise, priced from a rate sheet.

The planner calls `quote` for every candidate location of every order, so everything that does not
depend on the request is done once in `RateBroker.__init__` (`core.routing.rates.compiled`), and
calendar answers are cached in `PickupCalendar`. Only the winner is turned into a `RateQuote`. The
planner's own path, sharing quotes between origins and orders, is `lanes`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.domain.errors import ValidationError
from core.domain.geo import distance_km
from core.routing.rates.compiled import Option, Price, compile_carrier
from core.routing.rates.sheet import RateSheet
from core.routing.shipping import Address, Place, RateQuote, ShipmentRequest

if TYPE_CHECKING:
    from core.routing.rates.lanes import LaneQuoter, LaneTable


def _us_prefix(postal_code: str) -> str | None:
    head = postal_code[:3]
    return head if len(head) == 3 and head.isdigit() else None


class RateBroker:
    """A `ShippingQuoter` over one rate sheet.

    With `guaranteed_only`, a service that does not guarantee its transit time never counts as
    meeting a promise (it can still be returned as the fastest fallback).
    """

    def __init__(self, sheet: RateSheet, *, guaranteed_only: bool = False) -> None:
        self.sheet = sheet
        self.guaranteed_only = guaranteed_only
        order = sorted((c.name, s.code) for c in sheet.carriers for s in c.services)
        ranks = {key: i for i, key in enumerate(order)}
        self._carriers = tuple(compile_carrier(c, ranks) for c in sheet.carriers)
        self._zones: dict[str, ZoneInfo] = {}
        self._lane_table: LaneTable | None = None
        self._origins: dict[str, frozenset[str]] = {}  # destination ZIP3 -> charted origin ZIP3s

    def quote(self, request: ShipmentRequest) -> RateQuote | None:
        """The cheapest service meeting the promise, else the fastest; None if no service carries it."""
        return best_quote(self._priced(request))

    def lanes(self, destination: Address, ready_at: datetime, promise_by: datetime | None) -> LaneQuoter:
        """Quotes from many origins to one destination, cached across orders (see `lanes`)."""
        return self.lane_table().view(self, destination, ready_at, promise_by)

    def lane_table(self) -> LaneTable:
        """The quotes shared by every `lanes` view of this broker, made on first use."""
        if self._lane_table is None:
            from core.routing.rates.lanes import LaneTable  # lanes builds on this module

            self._lane_table = LaneTable(self)
        return self._lane_table

    def quotes(self, request: ShipmentRequest) -> list[RateQuote]:
        """Every service that can carry the parcel, best first (explanations show the runners-up)."""
        found = [_to_quote(o, p, s, e, m) for o, p, s, e, m in self._priced(request)]
        found.sort(key=lambda q: (not q.meets_promise, q.cost, q.eta, q.carrier, q.service))
        if found and not found[0].meets_promise:
            found.sort(key=lambda q: (q.eta, q.cost, q.carrier, q.service))
        return found

    def _priced(self, request: ShipmentRequest) -> Iterator[tuple[Option, Price, date, date, bool]]:
        """Yield (option, price, ship date, eta, meets promise) for every service that can carry it."""
        weight = _check_weight(request.weight_kg)
        origin, destination = request.origin, request.destination
        local_ready = self.local_ready(origin, request.ready_at)
        promise = self.promise_date(destination, request.promise_by)
        zones = self.zones(origin, destination)
        return self.priced_in(zones, weight, local_ready, promise, destination.residential)

    def local_ready(self, origin: Place, ready_at: datetime) -> datetime:
        """When the parcel is ready, on the origin's clock (cut-offs are local times)."""
        return self.local_ready_in(origin.timezone, ready_at)

    def local_ready_in(self, timezone: str, ready_at: datetime) -> datetime:
        """`ready_at` on the clock of an origin in `timezone`."""
        return _aware(ready_at, "ready_at").astimezone(self._zone(timezone, "origin"))

    def promise_date(self, destination: Address, promise_by: datetime | None) -> date | None:
        """The promised delivery day, on the destination's calendar."""
        return None if promise_by is None else self.promise_local(destination, promise_by).date()

    def promise_local(self, destination: Address, promise_by: datetime) -> datetime:
        """`promise_by` on the destination's clock."""
        due = _aware(promise_by, "promise_by")
        return due.astimezone(self._zone(destination.timezone, "destination"))

    def zones(self, origin: Place, destination: Address, km: float | None = None) -> tuple[str | None, ...]:
        """Per carrier, the zone of this origin-destination pair (None: the carrier does not serve it).

        Everything a quote depends on besides weight, dates and the residential flag: two pairs with
        the same zones are priced alike, which is what lets `lanes` share quotes between origins.
        `km`, when given, must be `distance_km(origin, destination)` exactly (the planner has it).
        """
        pair: tuple[str, str] | None = None
        if origin.country == "US" and destination.country == "US":
            o, d = _us_prefix(origin.postal_code), _us_prefix(destination.postal_code)
            pair = (o, d) if o and d else None
        out: list[str | None] = []
        for carrier in self._carriers:
            zone = carrier.prefixes.get(pair) if pair is not None and carrier.prefixes else None
            if zone is None and carrier.band_mins:
                if km is None:
                    km = distance_km(
                        origin.latitude, origin.longitude, destination.latitude, destination.longitude
                    )
                i = bisect_right(carrier.band_mins, km) - 1
                if i >= 0:
                    upper = carrier.band_maxes[i]
                    if upper is None or km < upper:
                        zone = carrier.band_zones[i]
            out.append(zone)
        return tuple(out)

    def priced_in(
        self,
        zones: tuple[str | None, ...],
        weight: Decimal,
        local_ready: datetime,
        promise: date | None,
        residential: bool,
    ) -> Iterator[tuple[Option, Price, date, date, bool]]:
        """Every service able to carry `weight` in these zones, priced, with its dates."""
        for carrier, zone in zip(self._carriers, zones, strict=True):
            if zone is None:
                continue
            for option in carrier.by_zone.get(zone, ()):
                tier = bisect_left(option.bounds, weight)
                if tier == len(option.bounds):
                    continue
                ship = option.calendar.ship_date(local_ready)
                if ship is None:
                    continue
                eta = option.calendar.eta(ship, option.transit_days, option.saturday_delivery)
                meets = promise is None or (
                    eta <= promise and (option.guaranteed or not self.guaranteed_only)
                )
                price = option.residential_prices[tier] if residential else option.prices[tier]
                yield option, price, ship, eta, meets

    @property
    def band_edges(self) -> tuple[float, ...]:
        """Every distance-band bound (km), sorted: a distance matters only by which of them it passes."""
        edges = {e for c in self._carriers for e in (*c.band_mins, *c.band_maxes) if e is not None}
        return tuple(sorted(edges))

    def postal_origins(self, destination: Address) -> frozenset[str]:
        """The origin ZIP3s some carrier's zone chart pairs with this destination (US only)."""
        d = _us_prefix(destination.postal_code) if destination.country == "US" else None
        if d is None:
            return frozenset()
        found = self._origins.get(d)
        if found is None:
            found = self._origins[d] = frozenset(o for c in self._carriers for o, dd in c.prefixes if dd == d)
        return found

    @property
    def cutoffs(self) -> tuple[time, ...]:
        """Every distinct cut-off, sorted: a ready time matters only by which of them it is past."""
        return tuple(
            sorted({o.calendar.cutoff for c in self._carriers for os in c.by_zone.values() for o in os})
        )

    @property
    def weight_bounds(self) -> tuple[Decimal, ...]:
        """Every tier bound (kg), sorted: a weight matters only by which of them it is under."""
        return tuple(
            sorted({b for c in self._carriers for os in c.by_zone.values() for o in os for b in o.bounds})
        )

    def _zone(self, name: str, where: str) -> ZoneInfo:
        try:
            return self._zones[name]
        except KeyError:
            pass
        try:
            zone = ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, TypeError):
            raise ValidationError(f"unknown time zone {name!r}", field=f"{where}.timezone") from None
        self._zones[name] = zone
        return zone


def best_quote(priced: Iterator[tuple[Option, Price, date, date, bool]]) -> RateQuote | None:
    """The cheapest option meeting the promise, else the one arriving first; ties by price then rank."""
    best: tuple[tuple[object, ...], Option, Price, date, date] | None = None
    best_meets = False
    for option, price, ship, eta, meets in priced:
        if meets:
            key: tuple[object, ...] = (price[0], eta, option.rank)
            if not best_meets or best is None or key < best[0]:
                best, best_meets = (key, option, price, ship, eta), True
        elif not best_meets:
            key = (eta, price[0], option.rank)
            if best is None or key < best[0]:
                best = (key, option, price, ship, eta)
    if best is None:
        return None
    _, option, price, ship, eta = best
    return _to_quote(option, price, ship, eta, best_meets)


def _to_quote(option: Option, price: Price, ship: date, eta: date, meets: bool) -> RateQuote:
    return RateQuote(
        carrier=option.carrier,
        service=option.service,
        cost=price[1],
        transit_days=option.transit_days,
        ship_date=ship,
        eta=eta,
        meets_promise=meets,
        breakdown=price[2],
    )


def _check_weight(weight: object) -> Decimal:
    """Zero is allowed (a product without a recorded weight still ships at the lightest tier)."""
    if isinstance(weight, Decimal):
        try:
            if weight >= 0 and weight.is_finite():
                return weight
        except InvalidOperation:
            pass
    elif isinstance(weight, int) and not isinstance(weight, bool) and weight >= 0:
        return Decimal(weight)
    raise ValidationError(f"{weight!r} is not a weight in kg (give a Decimal, 0 or more)", field="weight_kg")


def _aware(value: datetime, field: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(f"{value.isoformat()} has no time zone", field=field)
    return value
