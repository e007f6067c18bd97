"""Hard filters: which locations may take which lines of one order, and why the others may not.

Each location gets the first filter that removed it with the values that failed, because "why not
Northside?" needs an answer a person can check ("at daily capacity 40/40"), not a score.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from math import asin, cos, radians, sin, sqrt
from typing import Any

from core.domain.geo import EARTH_RADIUS_KM
from core.domain.network import LocationType
from core.routing.compiled import CompiledFence, CompiledRules
from core.routing.snapshot import Destination, LocationSnapshot, NetworkSnapshot, StockLevel


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

    A plain slotted class rather than a dataclass: one is made for every location holding any of
    the order's items, most of them excluded, so construction must be cheap.
    """

    __slots__ = (
        "capacity",
        "distance_km",
        "excluded_by",
        "labour",
        "loc",
        "overstock",
        "pickup_here",
        "priority",
        "template",
        "text",
        "unavailable",
        "unit_cost",
        "usable",
        "values",
        "weight_g",
    )

    def __init__(self, loc: LocationSnapshot, distance_km: float, pickup_here: bool = False) -> None:
        self.loc, self.distance_km, self.pickup_here = loc, distance_km, pickup_here
        self.excluded_by: str | None = None
        self.template = (
            ""  # the rule set's reason template for `excluded_by`, filled from `values` when shown
        )
        self.text: str | None = None  # a reason already written out (line-level exclusions)
        self.values: dict[str, Any] = _NOTHING
        self.usable: dict[int, int] = _NOTHING  # line index -> units it may give (<= qty)
        self.unit_cost: dict[int, int] = _NOTHING  # line index -> ticks per unit
        self.overstock: dict[int, int] = _NOTHING  # line index -> ticks per unit (<= 0)
        self.unavailable: dict[str, str] = _NOTHING  # sku -> why it cannot come from here
        self.labour = 0  # ticks per unit
        self.priority = 0  # ticks per shipment
        self.capacity = 0  # ticks per shipment
        self.weight_g = 0  # what it would send alone: every usable unit

    @property
    def code(self) -> str:
        return self.loc.code

    @property
    def eligible(self) -> bool:
        return self.excluded_by is None

    @property
    def reason(self) -> str:
        """Formatted only when someone reads it: most orders exclude dozens of far-away locations."""
        return self.text if self.text is not None else self.template.format(**self.values)

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


def _location_filter(
    loc: LocationSnapshot,
    c: Candidate,
    ctx: OrderContext,
    rules: CompiledRules,
    fences: tuple[CompiledFence, ...],
    excluded: Mapping[str, str],
    memo: dict[tuple[object, ...], tuple[dict[str, Any], str]],
) -> Candidate | None:
    """The first location-level filter that removes `loc`, in the documented order, or None."""
    code, method = loc.code, ctx.method
    if code in excluded:
        return c.exclude("excluded", rules, why=excluded[code])
    if rules.skip_disabled and not loc.enabled:
        return _same(c, rules, memo, "disabled")
    if ctx.pickup_store is not None:
        if code == ctx.pickup_store:
            if not loc.pickup:
                return _same(c, rules, memo, "no_pickup")
        elif not rules.transfer_to_pickup:
            return _same(c, rules, memo, "pickup_store", pickup_store=ctx.pickup_store)
    if loc.type not in rules.allowed_types.get(method, ()):
        return _same(c, rules, memo, "location_type", type=str(loc.type), method=method)
    if not c.pickup_here and not loc.ships:
        return _same(c, rules, memo, "not_shipping")
    if rules.require_capacity and 0 < loc.daily_capacity <= loc.used_capacity_today:
        return c.exclude("capacity", rules, used=loc.used_capacity_today, capacity=loc.daily_capacity)
    max_km = rules.max_km.get(method)
    if max_km is not None and c.distance_km > max_km:
        return c.exclude("distance", rules, distance_km=round(c.distance_km, 1), max_km=max_km)
    for fence in fences:
        if not fence.categories and fence.excludes(code, loc.type):
            return _same(c, rules, memo, "fence", fence=fence.name)
    return None


def _same(
    c: Candidate,
    rules: CompiledRules,
    memo: dict[tuple[object, ...], tuple[dict[str, Any], str]],
    key: str,
    **values: Any,
) -> Candidate:
    """An exclusion many locations of one order share (wrong type, not the pickup store): its
    values and sentence are made once per order instead of once per location."""
    memo_key = (key, *values.values())
    found = memo.get(memo_key)
    if found is None:
        found = memo[memo_key] = (values, rules.reasons[key].format(**values))
    c.excluded_by, (c.values, c.text) = key, found
    return c


def screen(
    lines: list[Line],
    network: NetworkSnapshot,
    ctx: OrderContext,
    rules: CompiledRules,
    excluded: Mapping[str, str],
) -> list[Candidate]:
    """Every location holding any of the lines' SKUs (plus the pickup store), filtered, sorted by code.

    `distance_km` is computed exactly as `core.domain.geo.distance_km(location, destination)`, so
    the rate broker may reuse it instead of computing it again.
    """
    held = [network.stock.get(line.sku, _NOTHING) for line in lines]
    codes: set[str] = set()
    for stock in held:
        codes.update(stock)
    if ctx.pickup_store is not None:
        codes.add(ctx.pickup_store)
    dest = ctx.destination
    fences = tuple(f for f in rules.fences if f.applies_to_order(ctx.channel, dest.region, dest.postal_code))
    line_fences = [f for f in fences if f.categories]
    prepared = [
        _Prepared(line, stock, tuple(f for f in line_fences if line.category in f.categories), rules)
        for line, stock in zip(lines, held, strict=True)
    ]
    out = []
    memo: dict[tuple[object, ...], tuple[dict[str, Any], str]] = {}
    locations, trig = network.locations, network.trig
    lat2, lon2 = radians(dest.latitude), dest.longitude
    cos2 = cos(lat2)
    for code in sorted(codes):
        loc = locations.get(code)
        if loc is None:
            continue  # stock rows for a location storage no longer knows: nothing to route to
        lat1, _, cos1 = trig(code)
        a = sin((lat2 - lat1) / 2) ** 2 + cos1 * cos2 * sin(radians(lon2 - loc.longitude) / 2) ** 2
        c = Candidate(loc, 2 * EARTH_RADIUS_KM * asin(min(1.0, sqrt(a))), code == ctx.pickup_store)
        out.append(c)
        if _location_filter(loc, c, ctx, rules, fences, excluded, memo) is None:
            _line_filter(c, prepared, rules)
    return out


class _Prepared:
    """What the line filter needs of one line, looked up once per order instead of per location."""

    __slots__ = ("fences", "held", "line", "needed", "rules", "safety", "short")

    def __init__(
        self,
        line: Line,
        held: Mapping[str, StockLevel],
        fences: tuple[CompiledFence, ...],
        rules: CompiledRules,
    ) -> None:
        self.line, self.held, self.fences, self.rules = line, held, fences, rules
        self.needed = 1 if rules.split_units else line.qty
        self.safety = {t: rules.safety_stock(t, line.category) for t in LocationType}
        self.short: dict[tuple[int, int], tuple[dict[str, Any], str]] = {}

    def shortage(self, atp: int, safety: int, usable: int) -> tuple[dict[str, Any], str]:
        """The "not enough stock" values and sentence; most locations short of a line repeat one."""
        found = self.short.get((atp, safety))
        if found is None:
            values = {
                "sku": self.line.sku,
                "atp": atp,
                "safety": safety,
                "usable": max(usable, 0),
                "needed": self.needed,
            }
            found = self.short[atp, safety] = (values, self.rules.reasons["stock"].format(**values))
        return found


def _line_filter(c: Candidate, prepared: list[_Prepared], rules: CompiledRules) -> None:
    """Stock after brokering safety stock and category fences, line by line; costs per unit."""
    loc = c.loc
    code, ltype = loc.code, loc.type
    labour = c.labour = rules.labour.get(ltype, 0)
    overstock = bool(rules.overstock_per_day and rules.overstock_max_days)
    usable_at: dict[int, int] = {}
    unit_cost: dict[int, int] = {}
    bonuses: dict[int, int] = {}
    unavailable: dict[str, str] = {}
    first: tuple[str, dict[str, Any]] | None = None
    weight = 0
    for p in prepared:
        line, held, needed, qty = p.line, p.held, p.needed, p.line.qty
        if p.fences:
            fence = next((f for f in p.fences if f.excludes(code, ltype)), None)
            if fence is not None:
                values: dict[str, Any] = {"fence": fence.name}
                unavailable[line.sku] = f"{line.sku}: " + rules.reasons["fence"].format(**values)
                first = first or ("fence", values)
                continue
        level = held.get(code)
        atp = level.atp if level is not None else 0
        safety = p.safety.get(ltype)
        if safety is None:
            safety = rules.safety_stock(ltype, line.category)
        usable = atp - safety
        if usable > qty:
            usable = qty
        if usable < needed:
            found = p.short.get((atp, safety)) or p.shortage(atp, safety, usable)
            unavailable[line.sku] = found[1]
            if first is None:
                first = ("stock", found[0])
            continue
        index = line.index
        usable_at[index] = usable
        weight += usable * line.weight_g
        if overstock and level is not None:
            bonus = rules.overstock_ticks(level.on_hand, level.daily_sales)
            bonuses[index] = bonus
            unit_cost[index] = labour + bonus
        else:
            bonuses[index] = 0
            unit_cost[index] = labour
    c.usable, c.unit_cost, c.overstock, c.unavailable = usable_at, unit_cost, bonuses, unavailable
    c.weight_g = weight
    if not usable_at and first is not None:
        c.excluded_by, c.values = first
        c.text = "; ".join(unavailable.values())
        return
    if rules.priority_cost and loc.priority > 0:
        c.priority = rules.priority_cost * loc.priority
    if rules.capacity_penalty and loc.daily_capacity > 0:
        c.capacity = round(rules.capacity_penalty * (loc.used_capacity_today + 1) / loc.daily_capacity)
