"""A routing rule set as a versioned document: hard filters, weighted costs, tie-breaks, split policy.

Retailers edit these in forms, so every field has a safe default and `validate_rule_set` names the
exact field that is wrong. The planner never reads these models in its hot path: it compiles them
once (`core.routing.compiled`).
"""

from __future__ import annotations

import string
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

import pydantic
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from core.domain.errors import ValidationError
from core.domain.network import LocationType
from core.domain.orders import Channel, DeliveryMethod, field_path

Money = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=4)]
_ALL_TYPES = [LocationType.STORE, LocationType.DC, LocationType.THREE_PL, LocationType.DROPSHIP]


class _Doc(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TieBreak(StrEnum):
    FEWEST_SHIPMENTS = "fewest_shipments"
    SHORTEST_DISTANCE = "shortest_distance"
    LOWEST_PRIORITY = "lowest_priority"
    LOCATION_CODE = "location_code"


# The placeholders each reason template may use; the planner fills exactly these.
REASON_FIELDS: dict[str, tuple[str, ...]] = {
    "excluded": ("why",),
    "disabled": (),
    "location_type": ("type", "method"),
    "not_shipping": (),
    "no_pickup": (),
    "pickup_store": ("pickup_store",),
    "capacity": ("used", "capacity"),
    "distance": ("distance_km", "max_km"),
    "fence": ("fence",),
    "stock": ("sku", "atp", "safety", "usable", "needed"),
    "no_carrier": ("weight_kg", "destination"),
}

DEFAULT_REASONS: dict[str, str] = {
    "excluded": "excluded for this order ({why})",
    "disabled": "paused (disabled)",
    "location_type": "a {type} location does not fulfil {method} orders",
    "not_shipping": "does not ship orders",
    "no_pickup": "does not offer pickup",
    "pickup_store": "pickup orders are fulfilled at {pickup_store} only",
    "capacity": "at daily capacity {used}/{capacity}",
    "distance": "{distance_km:,.0f} km > max {max_km:,.0f} km",
    "fence": "fenced off by rule '{fence}'",
    "stock": "{sku}: ATP {atp} less brokering safety stock {safety} leaves {usable}, {needed} needed",
    "no_carrier": "no carrier serves {weight_kg} kg from here to {destination}",
}

_SAMPLE = {
    "why": "x",
    "type": "store",
    "method": "ship",
    "pickup_store": "S1",
    "used": 1,
    "capacity": 2,
    "distance_km": 1.5,
    "max_km": 2.5,
    "fence": "f",
    "sku": "A",
    "atp": 1,
    "safety": 0,
    "usable": 1,
    "needed": 2,
    "weight_kg": Decimal("1.5"),
    "destination": "10001",
}


class BrokeringSafetyStock(_Doc):
    """Units held back from routing on top of each location's own safety stock (already out of ATP).

    When several values apply to a line the largest wins, so a stricter category rule is never
    undone by a looser location-type rule.
    """

    units: Annotated[int, Field(ge=0)] = 0
    by_location_type: dict[LocationType, Annotated[int, Field(ge=0)]] = {}
    by_category: dict[str, Annotated[int, Field(ge=0)]] = {}


class Fence(_Doc):
    """Exclude locations or location types when every given condition holds (an empty list = any)."""

    name: Annotated[str, Field(min_length=1, max_length=80)]
    exclude_locations: list[str] = []
    exclude_location_types: list[LocationType] = []
    channels: list[Channel] = []
    categories: list[str] = []
    regions: list[str] = []
    postal_prefixes: list[str] = []

    @model_validator(mode="after")
    def _excludes_something(self) -> Fence:
        if not self.exclude_locations and not self.exclude_location_types:
            raise ValueError("a fence must exclude some locations or location types")
        return self


class Filters(_Doc):
    allowed_location_types: dict[DeliveryMethod, list[LocationType]] = {
        DeliveryMethod.SHIP: _ALL_TYPES,
        DeliveryMethod.PICKUP: [LocationType.STORE],
    }
    skip_disabled: bool = True
    require_capacity: bool = True
    brokering_safety_stock: BrokeringSafetyStock = BrokeringSafetyStock()
    max_distance_km: dict[DeliveryMethod, Annotated[float, Field(ge=0)]] = {}
    fences: list[Fence] = []
    allow_transfer_to_pickup_store: bool = False
    reasons: dict[str, str] = {}

    @field_validator("reasons")
    @classmethod
    def _templates(cls, value: dict[str, str]) -> dict[str, str]:
        for key, template in value.items():
            if key not in REASON_FIELDS:
                raise ValueError(f"unknown filter {key!r}; known: {', '.join(REASON_FIELDS)}")
            allowed = REASON_FIELDS[key]
            for _, name, _, _ in string.Formatter().parse(template):
                if name is not None and name not in allowed:
                    raise ValueError(f"{key}: unknown placeholder {{{name}}}; allowed: {', '.join(allowed)}")
            try:
                template.format(**_SAMPLE)
            except (ValueError, IndexError) as exc:
                raise ValueError(f"{key}: bad template: {exc}") from None
        return value

    def reason_template(self, key: str) -> str:
        return self.reasons.get(key, DEFAULT_REASONS[key])


class Costs(_Doc):
    """Every cost is money (Decimal) so a manager can read a plan's total as a price.

    Priority: lower numbers are preferred; a location pays `priority_cost` per priority point
    (negative priorities count as 0). Labour, overstock and promise-miss are per unit / shipment.
    """

    shipping_weight: Annotated[Decimal, Field(ge=0, le=100, max_digits=8, decimal_places=4)] = Decimal(1)
    shipment_penalty: Money = Decimal("0")
    priority_cost: Money = Decimal("0")
    labour_per_unit: dict[LocationType, Money] = {}
    capacity_penalty: Money = Decimal("0")
    overstock_bonus_per_day: Money = Decimal("0")
    overstock_max_days: Annotated[int, Field(ge=0, le=3650)] = 0
    promise_miss_penalty: Money = Decimal("0")
    tie_breaks: list[TieBreak] = [
        TieBreak.FEWEST_SHIPMENTS,
        TieBreak.SHORTEST_DISTANCE,
        TieBreak.LOCATION_CODE,
    ]

    @field_validator("tie_breaks")
    @classmethod
    def _unique(cls, value: list[TieBreak]) -> list[TieBreak]:
        if len(set(value)) != len(value):
            raise ValueError("a tie-break is listed twice")
        return value


class SplitPolicy(_Doc):
    """How far an order may be split; `max_shipments` 1 means never split."""

    max_shipments: Annotated[int, Field(ge=1, le=20)] = 3
    split_line_units: bool = False
    keep_groups_together: bool = True
    min_shipment_value: Money = Decimal("0")


class SearchLimits(_Doc):
    """Exact search is used while lines × eligible locations stays within `exact_max_size`."""

    exact_max_size: Annotated[int, Field(ge=1)] = 2000
    max_nodes: Annotated[int, Field(ge=100)] = 20_000


class RuleSet(_Doc):
    id: Annotated[str, Field(min_length=1, max_length=64)] = "default"
    version: Annotated[int, Field(ge=1)] = 1
    description: str = ""
    filters: Filters = Filters()
    costs: Costs = Costs()
    split: SplitPolicy = SplitPolicy()
    search: SearchLimits = SearchLimits()


def default_rule_set() -> RuleSet:
    """Ship from anywhere, prefer one shipment, weigh shipping and a little labour."""
    return RuleSet(
        description="Lowest total cost; a second shipment must save more than $5.",
        costs=Costs(
            shipment_penalty=Decimal("5.00"),
            labour_per_unit={LocationType.STORE: Decimal("0.50"), LocationType.DC: Decimal("0.25")},
            promise_miss_penalty=Decimal("10.00"),
        ),
    )


_FRIENDLY = {
    "greater_than_equal": "must be >= {ge}",
    "greater_than": "must be > {gt}",
    "less_than_equal": "must be <= {le}",
    "extra_forbidden": "is not a known field",
    "missing": "is required",
    "enum": "must be one of {expected}",
    "decimal_max_places": "must have at most {decimal_places} decimal places",
}


def validate_rule_set(data: dict[str, Any] | str | bytes) -> RuleSet:
    """A RuleSet, or a ValidationError naming the first wrong field ("costs.shipping_weight")."""
    try:
        if isinstance(data, (str, bytes)):
            return RuleSet.model_validate_json(data)
        return RuleSet.model_validate(data)
    except pydantic.ValidationError as exc:
        first = exc.errors()[0]
        template = _FRIENDLY.get(first["type"])
        ctx = {
            k: int(v) if isinstance(v, float) and v.is_integer() else v
            for k, v in first.get("ctx", {}).items()
        }
        message = template.format(**ctx) if template else first["msg"]
        message = message.removeprefix("Value error, ")
        raise ValidationError(message, field=field_path(first["loc"]) or None) from exc
