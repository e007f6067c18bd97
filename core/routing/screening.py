"""Screen one order's locations: every hard filter as an array step over the network's columns.

Every location holding any of the order's items is considered (about 170 of 200 on the benchmark
network), so the distance and the location filters are computed for all of them at once, in the
documented order, each location keeping the first filter that removed it. Only the locations a
filter removed, and the lines a location cannot give, are then written out one by one with the
values that failed. The distance is `core.domain.geo.distance_km`'s to the last bits (numpy's sine
may round the last bit differently from the C library's; the arcsine stays in `math`), and the
rate broker is handed this distance for the order's lanes rather than working out its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from math import asin, cos, radians
from typing import Any

import numpy as np

from core.domain.geo import EARTH_RADIUS_KM
from core.routing.candidates import _NOTHING, Eligible, Line, OrderContext, Screened
from core.routing.columns import LocationColumns
from core.routing.compiled import TYPES, CompiledFence, CompiledRules
from core.routing.snapshot import NetworkSnapshot

DIAMETER_KM = 2 * EARTH_RADIUS_KM
# Location filters in the documented order; a location's code is 1 + the index of the first it fails.
_LOCATION_FILTERS = (
    "excluded",
    "disabled",
    "no_pickup",
    "pickup_store",
    "location_type",
    "not_shipping",
    "capacity",
    "distance",
)
# Filters whose exclusions carry each location's own values (the others' are shared by a type).
_OWN_VALUES = tuple(1 + _LOCATION_FILTERS.index(key) for key in ("excluded", "capacity", "distance"))
_FENCE = len(_LOCATION_FILTERS) + 1  # fence j of the order's location fences: _FENCE + j


def screen(
    lines: list[Line],
    network: NetworkSnapshot,
    ctx: OrderContext,
    rules: CompiledRules,
    excluded: Mapping[str, str],
) -> Screened:
    """Every location holding any of the lines' SKUs (plus the pickup store), filtered, sorted by code."""
    cols = network.columns()
    rows = [network.stock_row(line.sku) for line in lines]
    considered = np.zeros(len(cols.codes), bool)
    for held, _ in rows:
        considered |= held
    store = cols.index.get(ctx.pickup_store) if ctx.pickup_store is not None else None
    if store is not None:
        considered[store] = True
    at = np.flatnonzero(considered)
    dest = ctx.destination
    fences = tuple(f for f in rules.fences if f.applies_to_order(ctx.channel, dest.region, dest.postal_code))
    lat2 = radians(dest.latitude)
    a = (
        np.sin((lat2 - cols.lat[at]) / 2) ** 2
        + cols.cos_lat[at] * cos(lat2) * np.sin(np.radians(dest.longitude - cols.lon[at]) / 2) ** 2
    )
    km = [DIAMETER_KM * asin(h) for h in np.minimum(1.0, np.sqrt(a)).tolist()]
    whole = [f for f in fences if not f.categories]  # fences of whole locations; the rest are per line
    failed = _location_filters(cols, at, km, ctx, rules, whole, excluded)
    out = _excluded(cols, at, km, failed, ctx, rules, whole, excluded)
    passing = np.flatnonzero(failed == 0)
    prepared = [
        _Prepared(line, tuple(f for f in fences if line.category in f.categories), rules) for line in lines
    ]
    out.eligible = _line_filter(out, passing, at[passing], store, cols, rows, prepared, network, rules)
    return out


def _location_filters(
    cols: LocationColumns,
    at: np.ndarray,
    km: list[float],
    ctx: OrderContext,
    rules: CompiledRules,
    fences: list[CompiledFence],
    excluded: Mapping[str, str],
) -> np.ndarray:
    """Per considered location 0, or 1 + the index of the first filter that removes it."""
    failed = np.zeros(len(at), np.intp)

    def fail(code: int, removed: np.ndarray) -> None:
        failed[(failed == 0) & removed] = code

    is_store = at == cols.index.get(ctx.pickup_store, -1) if ctx.pickup_store is not None else None
    if excluded:
        fail(1, np.array([cols.codes[i] in excluded for i in at.tolist()], bool))
    if rules.skip_disabled:
        fail(2, ~cols.enabled[at])
    if is_store is not None:
        fail(3, is_store & ~cols.pickup[at])
        if not rules.transfer_to_pickup:
            fail(4, ~is_store)
    allowed = rules.allowed_by_method.get(ctx.method)
    fail(5, ~allowed[cols.type[at]] if allowed is not None else np.ones(len(at), bool))
    shipping = cols.ships[at]
    fail(6, ~(shipping | is_store) if is_store is not None else ~shipping)
    if rules.require_capacity:
        capacity = cols.capacity[at]
        fail(7, (capacity > 0) & (capacity <= cols.used[at]))
    max_km = rules.max_km.get(ctx.method)
    if max_km is not None:
        fail(8, np.array(km) > max_km)
    for j, fence in enumerate(fences):
        fail(_FENCE + j, cols.fence_mask(fence)[at])
    return failed


def _excluded(
    cols: LocationColumns,
    at: np.ndarray,
    km: list[float],
    failed: np.ndarray,
    ctx: OrderContext,
    rules: CompiledRules,
    fences: list[CompiledFence],
    excluded: Mapping[str, str],
) -> Screened:
    """The columns, with the filter that removed each location, its values and sentence.

    Most exclusions repeat within an order (every store but the pickup store, every location of a
    type the delivery method does not use): their values and sentence are made once per filter
    and location type. Capacity, distance and re-routing exclusions carry each location's own.
    """
    n = len(TYPES)
    kinds = failed * n + cols.type[at]
    found = set(kinds.tolist())
    table = np.empty((3, max(found, default=-1) + 1), object)  # (filter, values, sentence) per kind
    for kind in found:
        table[:, kind] = _shared(kind // n, TYPES[kind % n], ctx, rules, fences)
    filled = table[:, kinds].tolist()
    locs = cols.loc_col[at].tolist()
    out = Screened(
        locs,
        cols.code_col[at].tolist(),
        cols.name_col[at].tolist(),
        cols.type_col[at].tolist(),
        km,
        *filled,
        [_NOTHING] * len(locs),
        [0] * len(locs),
    )
    if any(kind // n in _OWN_VALUES for kind in found):
        for k in np.flatnonzero(np.isin(failed, _OWN_VALUES)).tolist():
            key, loc = _LOCATION_FILTERS[failed[k] - 1], locs[k]
            if key == "excluded":
                values: dict[str, Any] = {"why": excluded[loc.code]}
            elif key == "capacity":
                values = {"used": loc.used_capacity_today, "capacity": loc.daily_capacity}
            else:
                values = {"distance_km": round(km[k], 1), "max_km": rules.max_km[ctx.method]}
            out.excluded_by[k], out.values[k] = key, values
            out.reason[k] = rules.reasons[key].format(**values)
    return out


def _shared(
    why: int, loc_type: str, ctx: OrderContext, rules: CompiledRules, fences: list[CompiledFence]
) -> tuple[str | None, dict[str, Any], str]:
    """(filter, values, sentence) of an exclusion every location of a type shares in this order."""
    if not why:
        return None, _NOTHING, ""  # passed: the line filter decides
    if why >= _FENCE:
        key, values = "fence", {"fence": fences[why - _FENCE].name}
    else:
        key = _LOCATION_FILTERS[why - 1]
        if key in ("excluded", "capacity", "distance"):
            return key, _NOTHING, ""  # each location's own values: filled in by the caller
        if key == "pickup_store":
            values = {"pickup_store": ctx.pickup_store}
        elif key == "location_type":
            values = {"type": str(loc_type), "method": ctx.method}
        else:
            values = {}
    return key, values, rules.reasons[key].format(**values)


class _Prepared:
    """What the line filter needs of one line, looked up once per order instead of per location."""

    __slots__ = ("fence_text", "fences", "line", "needed", "rules", "safety", "short", "top")

    def __init__(self, line: Line, fences: tuple[CompiledFence, ...], rules: CompiledRules) -> None:
        self.line, self.fences, self.rules = line, fences, rules
        self.needed = 1 if rules.split_units else line.qty
        self.safety = rules.safety_row(line.category)
        self.top = int(self.safety.max()) + 1  # above any safety stock: the radix of stock states
        self.short: dict[tuple[int, int], tuple[dict[str, Any], str]] = {}
        self.fence_text = [
            ({"fence": f.name}, f"{line.sku}: " + rules.reasons["fence"].format(fence=f.name)) for f in fences
        ]

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


def _line_filter(
    out: Screened,
    passing: np.ndarray,
    at: np.ndarray,
    store: int | None,
    cols: LocationColumns,
    rows: list[tuple[np.ndarray, np.ndarray]],
    prepared: list[_Prepared],
    network: NetworkSnapshot,
    rules: CompiledRules,
) -> Eligible:
    """Stock after brokering safety stock and category fences, line by line; costs per unit.

    The locations at columns `passing` (network indices `at`) passed every location filter. A line
    a location cannot give is written into its `unavailable` with the failing values; a location
    giving none is excluded by the first line's failure; the others are the eligible ones.
    """
    types = cols.type[at]
    given = np.zeros((len(prepared), len(at)), np.int64)  # units each may give of each line, 0: none
    state = np.zeros((len(prepared), len(at)), np.int64)  # why not: 0 it may, 1 + j fence j, else stock
    items = np.zeros(len(at), np.intp)
    stock_codes = []  # per line (least ATP, 1 + most safety stock): a stock state is decoded with them
    for m, (p, (_, atp)) in enumerate(zip(prepared, rows, strict=True)):
        held, safety = atp[at], p.safety[types]
        usable = np.minimum(held - safety, p.line.qty)
        ok = usable >= p.needed
        if p.fences:
            first = np.full(len(at), -1, np.intp)
            for j in range(len(p.fences) - 1, -1, -1):
                first[cols.fence_mask(p.fences[j])[at]] = j
            ok &= first < 0
            state[m] = first + 1
        # Short of stock: one state per (ATP, safety stock), which is all its sentence depends on.
        short = ~ok & (state[m] == 0)
        short_held = held[short]
        low = min(int(short_held.min()), 0) if len(short_held) else 0
        stock_codes.append((low, p.top))
        state[m][short] = len(p.fences) + 1 + (short_held - low) * p.top + safety[short]
        given[m] = np.where(ok, usable, 0)
        items += ok & (usable >= p.line.qty)
    counted = np.zeros(len(out.locs), np.intp)
    counted[passing] = items
    out.items = counted.tolist()
    able = given.any(axis=0) if prepared else np.ones(len(at), bool)
    if prepared:
        _why_not(out, passing, state, given, able, prepared, stock_codes)
    keep = np.flatnonzero(able)
    kept = passing[keep].tolist()
    usable = given[:, keep]
    made = Eligible(
        {p.line.index: m for m, p in enumerate(prepared)},
        kept,
        [out.locs[c] for c in kept],
        [out.km[c] for c in kept],
        (at[keep] == store).tolist() if store is not None else [False] * len(keep),
        usable,
        (np.array([p.line.weight_g for p in prepared], np.int64) @ usable).tolist()
        if prepared
        else [0] * len(keep),
        usable.sum(axis=0).tolist(),
        items[keep].tolist(),
        rules.labour_by_type[types[keep]],
        np.zeros(usable.shape, np.int64),
        cols.origin[at[keep]],
    )
    if rules.overstock_per_day and rules.overstock_max_days:
        _overstock(made, prepared, network, rules)
    if rules.priority_cost:
        made.priority = [rules.priority_cost * max(loc.priority, 0) for loc in made.locs]
    if rules.capacity_penalty:
        made.capacity = [
            round(rules.capacity_penalty * (loc.used_capacity_today + 1) / loc.daily_capacity)
            if loc.daily_capacity > 0
            else 0
            for loc in made.locs
        ]
    return made


def _why_not(
    out: Screened,
    passing: np.ndarray,
    state: np.ndarray,
    given: np.ndarray,
    able: np.ndarray,
    prepared: list[_Prepared],
    stock_codes: list[tuple[int, int]],
) -> None:
    """Per location missing some lines, why per SKU; a location giving none is excluded by the first.

    Locations whose lines fail alike (the same fence, or the same ATP and safety stock) get the same
    sentences, so each distinct combination is written once and its entries shared.
    """
    missing = np.flatnonzero(~given.all(axis=0))
    if not len(missing):
        return
    keys = zip(*(row.tolist() for row in state[:, missing]), able[missing].tolist(), strict=True)
    made: dict[tuple[int, ...], tuple[dict[str, str], tuple[str, dict[str, Any], str] | None]] = {}
    unavailable, excluded_by, values, reason = out.unavailable, out.excluded_by, out.values, out.reason
    for column, key in zip(passing[missing].tolist(), keys, strict=True):
        entry = made.get(key)
        if entry is None:
            entry = made[key] = _why_not_entry(key, prepared, stock_codes)
        unavailable[column], excluded = entry
        if excluded is not None:
            excluded_by[column], values[column], reason[column] = excluded


def _why_not_entry(
    key: tuple[int, ...], prepared: list[_Prepared], stock_codes: list[tuple[int, int]]
) -> tuple[dict[str, str], tuple[str, dict[str, Any], str] | None]:
    """The `unavailable` sentences of one combination of line states, and the exclusion if it gives none."""
    unavailable, first = {}, None
    for why, p, (low, top) in zip(key[:-1], prepared, stock_codes, strict=True):
        if not why:
            continue
        if why <= len(p.fences):
            values, text = p.fence_text[why - 1]
            first = first or ("fence", values)
        else:
            atp, safety = divmod(why - len(p.fences) - 1, top)
            atp += low
            values, text = p.short.get((atp, safety)) or p.shortage(
                atp, safety, min(atp - safety, p.line.qty)
            )
            first = first or ("stock", values)
        unavailable[p.line.sku] = text
    able = key[-1]
    return unavailable, None if able or first is None else (*first, "; ".join(unavailable.values()))


def _overstock(
    made: Eligible, prepared: list[_Prepared], network: NetworkSnapshot, rules: CompiledRules
) -> None:
    """Per usable line the bonus for the location's days of supply, folded into its unit cost."""
    for m, p in enumerate(prepared):
        held = network.stock.get(p.line.sku, _NOTHING)
        for k in np.flatnonzero(made.usable[m]).tolist():
            level = held.get(made.locs[k].code)
            bonus = rules.overstock_ticks(level.on_hand, level.daily_sales) if level is not None else 0
            made.overstock[m, k] = bonus
            made.bonus[k] += bonus * int(made.usable[m, k])
