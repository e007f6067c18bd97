"""Hard filters: which locations may take which lines of one order, and why the others may not.

Each location gets the first filter that removed it with the values that failed, because "why not
Northside?" needs an answer a person can check ("at daily capacity 40/40"), not a score. The
screening itself runs over numpy columns (`core.routing.screening`); this module holds what it
produces.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.routing.compiled import CompiledRules
from core.routing.snapshot import Destination, LocationSnapshot


@dataclass(frozen=True, slots=True)
class Line:
    """An order line with what routing needs of its product; `unit_value` is in ticks."""

    index: int
    sku: str
    qty: int
    unit_value: int
    weight_g: int
    category: str
    group: str


_NOTHING: dict[Any, Any] = {}  # shared by excluded candidates, never written to


class Candidate:
    """A location considered for an order: either excluded (with why) or what it can give and cost.

    A plain slotted class rather than a dataclass: one is made for every location passing the
    filters of every order, so construction must be cheap. Excluded locations are only columns of
    `Screened`.
    """

    __slots__ = (
        "bonus",
        "capacity",
        "column",
        "distance_km",
        "excluded_by",
        "items",
        "labour",
        "loc",
        "overstock",
        "pickup_here",
        "priority",
        "template",
        "unavailable",
        "unit_cost",
        "units",
        "usable",
        "values",
        "weight_g",
    )

    def __init__(
        self,
        loc: LocationSnapshot,
        distance_km: float,
        pickup_here: bool,
        column: int,
        usable: dict[int, int],
        unavailable: dict[str, str],
        weight_g: int,
        units: int,
        items: int,
        labour: int,
        unit_cost: dict[int, int],
        overstock: dict[int, int],
    ) -> None:
        self.loc, self.distance_km, self.pickup_here = loc, distance_km, pickup_here
        self.column = column  # its position in the order's `Screened` columns
        self.usable = usable  # line index -> units it may give (<= qty)
        self.unavailable = unavailable  # sku -> why it cannot come from here
        self.weight_g = weight_g  # what it would send alone: every usable unit
        self.units = units  # how many units that is
        self.items = items  # how many lines it could supply in full
        self.excluded_by: str | None = None  # set only when no carrier takes its parcel
        self.template = ""  # the rule set's reason template for `excluded_by`
        self.values: dict[str, Any] = _NOTHING
        self.unit_cost = unit_cost  # line index -> ticks per unit
        self.overstock = overstock  # line index -> ticks per unit (<= 0)
        self.bonus = 0  # the overstock bonus sending every usable unit (ticks, <= 0)
        self.labour = labour  # ticks per unit
        self.priority = 0  # ticks per shipment
        self.capacity = 0  # ticks per shipment

    @property
    def code(self) -> str:
        return self.loc.code

    @property
    def eligible(self) -> bool:
        return self.excluded_by is None

    @property
    def reason(self) -> str:
        return self.template.format(**self.values)

    def exclude(self, key: str, rules: CompiledRules, **values: Any) -> Candidate:
        self.excluded_by = key
        self.values = values
        self.template = rules.reasons[key]
        return self


@dataclass(frozen=True, slots=True)
class OrderContext:
    method: str
    channel: str
    destination: Destination
    pickup_store: str | None


@dataclass(slots=True)
class Screened:
    """One order's screening: every considered location as columns, sorted by code, and the eligible
    ones as candidates (`c.column` is a candidate's position in the columns).

    An excluded location keeps the first filter that removed it (`excluded_by`), the values that
    failed and the sentence; a location missing some lines keeps why per SKU (`unavailable`).
    """

    locs: list[LocationSnapshot]
    codes: list[str]
    names: list[str]
    types: list[str]
    km: list[float]
    excluded_by: list[str | None]
    values: list[dict[str, Any]]
    reason: list[str]
    unavailable: list[dict[str, str]]
    items: list[int]  # lines it could supply in full
    eligible: list[Candidate]

    def drop(self, c: Candidate) -> None:
        """Record an exclusion made after screening (no carrier takes the parcel)."""
        k = c.column
        self.excluded_by[k], self.values[k], self.reason[k] = c.excluded_by, c.values, c.reason
