"""Warnings for rules that are valid but can never do what their author meant.

Only what the rule set and the list of locations can tell: stock and orders change by the minute,
so nothing here guesses about them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from core.domain.network import LocationType
from core.domain.orders import DeliveryMethod
from core.routing.rules import RuleSet


class _Location(Protocol):
    """Anything with these fields: `LocationSnapshot`, or `LocationSpec` from the catalogue."""

    code: str
    type: LocationType
    enabled: bool


def lint_rule_set(rule_set: RuleSet, locations: Iterable[_Location]) -> list[str]:
    locs = list(locations)
    f, c, s = rule_set.filters, rule_set.costs, rule_set.split
    present = {loc.type for loc in locs if loc.enabled}
    codes = {loc.code for loc in locs}
    out: list[str] = []
    for method in DeliveryMethod:
        allowed = f.allowed_location_types.get(method, [])
        path = f"filters.allowed_location_types.{method}"
        if not allowed:
            out.append(f"{path}: no location type is allowed, so {method} orders can never be routed")
        elif locs and not present.intersection(allowed):
            names = ", ".join(map(str, allowed))
            out.append(
                f"{path}: no enabled location is of type {names}, so {method} orders can never be routed"
            )
        if f.max_distance_km.get(method) == 0:
            out.append(
                f"filters.max_distance_km.{method}: 0 km lets only a location at the destination itself "
                f"take {method} orders"
            )
    pickup = f.allowed_location_types.get(DeliveryMethod.PICKUP, [])
    if pickup and LocationType.STORE not in pickup:
        out.append("filters.allowed_location_types.pickup: has no store, and only stores offer pickup")
    elif not f.allow_transfer_to_pickup_store and set(pickup) - {LocationType.STORE}:
        out.append(
            "filters.allowed_location_types.pickup: non-store types only matter with "
            "allow_transfer_to_pickup_store"
        )
    for i, fence in enumerate(f.fences):
        path = f"filters.fences[{i}]"
        if set(fence.exclude_location_types) >= set(LocationType) or (
            codes and codes <= set(fence.exclude_locations)
        ):
            out.append(f"{path}: '{fence.name}' excludes every location whenever it applies")
        unknown = sorted(set(fence.exclude_locations) - codes) if codes else []
        if unknown:
            out.append(f"{path}: '{fence.name}' names unknown locations {', '.join(unknown)}")
    bss = f.brokering_safety_stock
    for loc_type in sorted(set(bss.by_location_type) - present) if locs else []:
        out.append(
            f"filters.brokering_safety_stock.by_location_type.{loc_type}: no enabled location has this type"
        )
    if c.overstock_bonus_per_day and not c.overstock_max_days:
        out.append("costs.overstock_max_days: 0 days caps the overstock bonus at nothing")
    if s.max_shipments == 1 and s.min_shipment_value:
        out.append("split.min_shipment_value: has no effect when max_shipments is 1 (never split)")
    if s.max_shipments == 1 and s.split_line_units:
        out.append("split.split_line_units: has no effect when max_shipments is 1 (never split)")
    return out
