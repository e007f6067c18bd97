"""The rate sheet as data: carriers, their zone charts, services and weight tiers.

A retailer edits rate sheets (carriers change prices and surcharges several times a year), so the
sheet is a validated document rather than code. Every check lives here, once, so a JSON file, a CSV
bundle and a form all refuse the same mistakes with the same field path. Cross-field checks raise
`SubPathError` so the error can point below the model that found it (e.g. `tiers[2].prices`).
"""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal, InvalidOperation
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from core.domain.errors import ValidationError
from core.domain.money import parse_money

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class SubPathError(ValueError):
    """A cross-field problem found by a model, located at `path` below that model."""

    def __init__(self, path: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.path = path


def _money(value: object) -> Decimal:
    try:
        return parse_money(value, field="")
    except ValidationError as exc:
        raise ValueError(exc.message) from None


def _decimal(value: object) -> object:
    """Floats go through their shortest text form so 0.1 kg means 0.1, not 0.1000000000000000055."""
    if isinstance(value, bool):
        raise ValueError("expected a number, not true/false")
    if isinstance(value, float):
        try:
            return Decimal(str(value))
        except InvalidOperation:
            raise ValueError(f"{value!r} is not a number") from None
    return value


def _text_id(value: object) -> object:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _weekday(value: object) -> object:
    return value.strip().lower()[:3] if isinstance(value, str) else value


Money = Annotated[Decimal, BeforeValidator(_money)]
Kg = Annotated[Decimal, BeforeValidator(_decimal), Field(gt=0, le=10000, allow_inf_nan=False)]
Percent = Annotated[Decimal, BeforeValidator(_decimal), Field(ge=0, le=100, allow_inf_nan=False)]
ZoneId = Annotated[
    str,
    BeforeValidator(_text_id),
    StringConstraints(strip_whitespace=True, min_length=1, max_length=20, pattern=r"^[A-Za-z0-9_-]+$"),
]
Code = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")
]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
PrefixRange = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\d{3}(-\d{3})?$")]
Weekday = Annotated[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"], BeforeValidator(_weekday)]


def expand_prefixes(spec: str) -> list[str]:
    """'100' or the inclusive range '100-119' as a list of 3-digit ZIP prefixes."""
    low, _, high = spec.partition("-")
    return [f"{n:03d}" for n in range(int(low), int(high or low) + 1)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DistanceBand(_Model):
    """Great-circle km from origin to destination: min_km inclusive, max_km exclusive (None = no limit)."""

    zone: ZoneId
    min_km: float = Field(ge=0, allow_inf_nan=False)
    max_km: float | None = Field(default=None, gt=0, allow_inf_nan=False)

    @model_validator(mode="after")
    def _ordered(self) -> DistanceBand:
        if self.max_km is not None and self.max_km <= self.min_km:
            raise SubPathError(("max_km",), f"{self.max_km:g} must be above min_km {self.min_km:g}")
        return self


class PostalZone(_Model):
    """A zone-chart row: 3-digit US ZIP prefixes (or inclusive ranges like '100-119') to a zone."""

    origin: PrefixRange
    destination: PrefixRange
    zone: ZoneId

    @model_validator(mode="after")
    def _ranges(self) -> PostalZone:
        for name in ("origin", "destination"):
            low, _, high = getattr(self, name).partition("-")
            if high and high < low:
                raise SubPathError((name,), f"range {low}-{high} runs backwards")
        return self


class Tier(_Model):
    """Base price per zone for parcels up to and including max_kg."""

    max_kg: Kg
    prices: dict[ZoneId, Money] = Field(min_length=1)


class Service(_Model):
    """A carrier product; the zones it has transit days for are the zones it serves."""

    code: Code
    name: Name
    guaranteed: bool = False
    saturday_delivery: bool = False
    cutoff: time | None = None  # overrides the carrier's cut-off (e.g. same-day couriers close earlier)
    transit_days: dict[ZoneId, Annotated[int, Field(ge=0, le=30, strict=True)]] = Field(min_length=1)
    tiers: list[Tier] = Field(min_length=1)

    @field_validator("cutoff")
    @classmethod
    def _local_cutoff(cls, value: time | None) -> time | None:
        if value is not None and value.tzinfo is not None:
            raise ValueError("a cut-off is a local time at the origin; remove the time zone")
        return value

    @field_validator("tiers")
    @classmethod
    def _increasing(cls, tiers: list[Tier]) -> list[Tier]:
        for i in range(1, len(tiers)):
            if tiers[i].max_kg <= tiers[i - 1].max_kg:
                raise ValueError(
                    f"upper bounds must increase (tiers[{i}] is {tiers[i].max_kg} kg "
                    f"after {tiers[i - 1].max_kg} kg)"
                )
        return tiers

    @model_validator(mode="after")
    def _priced_where_served(self) -> Service:
        served = set(self.transit_days)
        for i, tier in enumerate(self.tiers):
            missing = sorted(served - set(tier.prices))
            if missing:
                raise SubPathError(
                    ("tiers", i, "prices"), f"no price for zone {missing[0]!r} up to {tier.max_kg} kg"
                )
            extra = sorted(set(tier.prices) - served)
            if extra:
                raise SubPathError(("tiers", i, "prices"), f"zone {extra[0]!r} has no transit_days")
        return self


class Carrier(_Model):
    """Surcharges, pickup calendar and zone chart shared by all of a carrier's services."""

    name: Name
    fuel_surcharge_pct: Percent = Decimal(0)
    residential_surcharge: Money = Decimal("0.00")
    pickup_days: list[Weekday] = Field(default_factory=lambda: ["mon", "tue", "wed", "thu", "fri"])
    cutoff: time
    holidays: list[date] = Field(default_factory=list)
    distance_bands: list[DistanceBand] = Field(default_factory=list)
    postal_zones: list[PostalZone] = Field(default_factory=list)
    services: list[Service] = Field(min_length=1)

    @field_validator("cutoff")
    @classmethod
    def _local_cutoff(cls, value: time) -> time:
        if value.tzinfo is not None:
            raise ValueError("a cut-off is a local time at the origin; remove the time zone")
        return value

    @field_validator("pickup_days")
    @classmethod
    def _some_unique_days(cls, days: list[str]) -> list[str]:
        if not days:
            raise ValueError("at least one pickup day is needed")
        if len(set(days)) != len(days):
            raise ValueError("a weekday is listed twice")
        return days

    @field_validator("holidays")
    @classmethod
    def _unique_holidays(cls, days: list[date]) -> list[date]:
        if len(set(days)) != len(days):
            raise ValueError("a holiday is listed twice")
        return days

    @model_validator(mode="after")
    def _zones_consistent(self) -> Carrier:
        if not self.distance_bands and not self.postal_zones:
            raise SubPathError(("distance_bands",), "define distance bands or postal_zones")
        for i in range(1, len(self.distance_bands)):
            before, band = self.distance_bands[i - 1], self.distance_bands[i]
            if before.max_km is None or band.min_km < before.max_km:
                raise SubPathError(
                    ("distance_bands", i, "min_km"),
                    "bands must be in increasing order and must not overlap the band before",
                )
        seen: dict[tuple[str, str], int] = {}
        for i, row in enumerate(self.postal_zones):
            for o in expand_prefixes(row.origin):
                for d in expand_prefixes(row.destination):
                    if (o, d) in seen:
                        raise SubPathError(
                            ("postal_zones", i),
                            f"origin {o} to destination {d} is already in postal_zones[{seen[o, d]}]",
                        )
                    seen[o, d] = i
        defined = {b.zone for b in self.distance_bands} | {p.zone for p in self.postal_zones}
        codes: set[str] = set()
        for j, service in enumerate(self.services):
            if service.code in codes:
                raise SubPathError(("services", j, "code"), f"service {service.code!r} is listed twice")
            codes.add(service.code)
            unknown = sorted(set(service.transit_days) - defined)
            if unknown:
                raise SubPathError(
                    ("services", j, "transit_days"),
                    f"zone {unknown[0]!r} is not defined by distance_bands or postal_zones",
                )
        return self


class RateSheet(_Model):
    """Every carrier the broker may choose from; one sheet is one version of the retailer's contracts."""

    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = "USD"
    carriers: list[Carrier] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_carriers(self) -> RateSheet:
        names: set[str] = set()
        for i, carrier in enumerate(self.carriers):
            if carrier.name in names:
                raise SubPathError(("carriers", i, "name"), f"carrier {carrier.name!r} is listed twice")
            names.add(carrier.name)
        return self
