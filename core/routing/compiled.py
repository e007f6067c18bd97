"""A rule set turned into plain lookups once, so routing an order never touches pydantic.

Money becomes integer ticks (1/10,000 of a currency unit): sums are exact, ties are real ties, and
integer arithmetic is the fastest thing Python has.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np

from core.domain.money import round_money
from core.domain.network import LocationType
from core.routing.rules import REASON_FIELDS, RuleSet, TieBreak

TICKS = 10_000
TYPES: tuple[LocationType, ...] = tuple(LocationType)  # the order of per-type arrays


def to_ticks(amount: Decimal | float) -> int:
    return round(amount * TICKS)


def from_ticks(ticks: int) -> Decimal:
    return round_money(Decimal(ticks) / TICKS)


@dataclass(frozen=True, slots=True)
class CompiledFence:
    name: str
    locations: frozenset[str]
    types: frozenset[str]
    channels: frozenset[str]
    categories: frozenset[str]
    regions: frozenset[str]
    postal_prefixes: tuple[str, ...]

    def applies_to_order(self, channel: str, region: str, postal_code: str) -> bool:
        """The order-level conditions; categories are checked per line."""
        if self.channels and channel not in self.channels:
            return False
        if self.regions and region not in self.regions:
            return False
        return not self.postal_prefixes or postal_code.startswith(self.postal_prefixes)

    def excludes(self, code: str, loc_type: str) -> bool:
        return code in self.locations or loc_type in self.types


@dataclass(frozen=True, slots=True, eq=False)
class CompiledRules:
    """Per-type figures are arrays over TYPES (read-only), indexed by the network columns' type, so
    an order reads them without building anything; compiled rules compare by identity."""

    rule_set_id: str
    version: int
    allowed_by_method: dict[str, np.ndarray]  # which location types may fulfil a delivery method
    skip_disabled: bool
    require_capacity: bool
    safety_units: int
    safety_by_type: dict[str, int]
    safety_by_category: dict[str, int]
    max_km: dict[str, float]
    fences: tuple[CompiledFence, ...]
    transfer_to_pickup: bool
    reasons: dict[str, str]
    shipping_weight: Decimal
    shipment_penalty: int
    priority_cost: int
    labour_by_type: np.ndarray  # ticks per unit picked
    capacity_penalty: int
    overstock_per_day: float
    overstock_max_days: int
    promise_miss: int
    tie_breaks: tuple[str, ...]
    max_shipments: int
    split_units: bool
    keep_groups: bool
    min_shipment_value: int
    exact_max_size: int
    max_nodes: int
    _safety_rows: dict[str, tuple[tuple[int, ...], int]] = field(
        default_factory=dict, repr=False
    )  # per category, on first use

    def safety_row(self, category: str) -> tuple[tuple[int, ...], int]:
        """`safety_stock` of each location type for a category, over TYPES, and 1 + its largest
        value: a tuple, as screening puts it in each line's figures."""
        found = self._safety_rows.get(category)
        if found is None:
            row = tuple(self.safety_stock(t, category) for t in TYPES)
            found = self._safety_rows[category] = (row, max(row) + 1)
        return found

    def safety_stock(self, loc_type: str, category: str) -> int:
        """The largest brokering safety stock that applies (see BrokeringSafetyStock)."""
        return max(
            self.safety_units, self.safety_by_type.get(loc_type, 0), self.safety_by_category.get(category, 0)
        )

    def overstock_ticks(self, on_hand: int, daily_sales: float) -> int:
        """Bonus per unit (as a negative cost) for a location sitting on many days of supply."""
        if not self.overstock_per_day or not self.overstock_max_days:
            return 0
        days = on_hand / daily_sales if daily_sales > 0 else float(self.overstock_max_days)
        return -round(self.overstock_per_day * min(max(days, 0.0), self.overstock_max_days))


def _fixed(values: list[Any], dtype: type) -> np.ndarray:
    """An array shared by every order: written once, so made read-only."""
    out = np.array(values, dtype)
    out.flags.writeable = False
    return out


def compile_rules(rules: RuleSet) -> CompiledRules:
    f, c, s = rules.filters, rules.costs, rules.split
    bss = f.brokering_safety_stock
    ties = tuple(str(t) for t in c.tie_breaks)
    if TieBreak.LOCATION_CODE not in ties:
        ties += (TieBreak.LOCATION_CODE.value,)  # always end on something unique: determinism
    return CompiledRules(
        rule_set_id=rules.id,
        version=rules.version,
        allowed_by_method={
            str(m): _fixed([t in ts for t in TYPES], bool) for m, ts in f.allowed_location_types.items()
        },
        skip_disabled=f.skip_disabled,
        require_capacity=f.require_capacity,
        safety_units=bss.units,
        safety_by_type={str(k): v for k, v in bss.by_location_type.items()},
        safety_by_category=dict(bss.by_category),
        max_km={str(k): v for k, v in f.max_distance_km.items()},
        fences=tuple(
            CompiledFence(
                fe.name,
                frozenset(fe.exclude_locations),
                frozenset(map(str, fe.exclude_location_types)),
                frozenset(map(str, fe.channels)),
                frozenset(fe.categories),
                frozenset(fe.regions),
                tuple(fe.postal_prefixes),
            )
            for fe in f.fences
        ),
        transfer_to_pickup=f.allow_transfer_to_pickup_store,
        reasons={key: f.reason_template(key) for key in REASON_FIELDS},
        shipping_weight=c.shipping_weight,
        shipment_penalty=to_ticks(c.shipment_penalty),
        priority_cost=to_ticks(c.priority_cost),
        labour_by_type=_fixed([to_ticks(c.labour_per_unit.get(t, 0)) for t in TYPES], np.int64),
        capacity_penalty=to_ticks(c.capacity_penalty),
        overstock_per_day=float(c.overstock_bonus_per_day * TICKS),
        overstock_max_days=c.overstock_max_days,
        promise_miss=to_ticks(c.promise_miss_penalty),
        tie_breaks=ties,
        max_shipments=s.max_shipments,
        split_units=s.split_line_units,
        keep_groups=s.keep_groups_together,
        min_shipment_value=to_ticks(s.min_shipment_value),
        exact_max_size=rules.search.exact_max_size,
        max_nodes=rules.search.max_nodes,
    )
