"""The seam between the planner and the rate broker.

The planner asks "what would it cost to send this weight from here to there by the promise date?"
many times per order; anything that answers `ShippingQuoter.quote` can price shipments.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol


class Place(Protocol):
    """Where a parcel leaves from, as far as its lane goes: an `Address`, or a location that has one."""

    @property
    def postal_code(self) -> str: ...
    @property
    def country(self) -> str: ...
    @property
    def latitude(self) -> float: ...
    @property
    def longitude(self) -> float: ...
    @property
    def timezone(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Address:
    postal_code: str
    country: str
    latitude: float
    longitude: float
    timezone: str = "UTC"
    residential: bool = False


@dataclass(frozen=True, slots=True)
class ShipmentRequest:
    origin: Address
    destination: Address
    weight_kg: Decimal
    ready_at: datetime  # timezone-aware: when the parcel can be handed to a carrier
    promise_by: datetime | None = None  # timezone-aware delivery promise, None = no promise


@dataclass(frozen=True, slots=True)
class RateQuote:
    carrier: str
    service: str
    cost: Decimal  # total including surcharges, 2 decimal places
    transit_days: int
    ship_date: date
    eta: date
    meets_promise: bool
    breakdown: tuple[tuple[str, Decimal], ...] = ()  # ("base", 7.10), ("fuel", 0.85), ...


class ShippingQuoter(Protocol):
    def quote(self, request: ShipmentRequest) -> RateQuote | None:
        """The cheapest service meeting the promise (or the fastest when none can), None if no carrier serves it."""
        ...
