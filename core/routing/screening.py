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
from math import radians
from typing import Any

import numpy as np

from core.domain.geo import EARTH_RADIUS_KM
from core.routing.candidates import _NOTHING, Eligible, Line, OrderContext, Screened
from core.routing.columns import LocationColumns, pick
from core.routing.compiled import TYPES, CompiledFence, CompiledRules
from core.routing.kernels import FENCE, screen_lines, screen_locations, tenths
from core.routing.snapshot import NetworkSnapshot

DIAMETER_KM = 2 * EARTH_RADIUS_KM
# Location filters in the documented order; a location's code is 1 + the index of the first it
# fails (the codes `core.routing.kernels.screen_locations` gives), fence j of the order's: FENCE + j.
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
    n = len(cols.codes)
    store = cols.index.get(ctx.pickup_store) if ctx.pickup_store is not None else None
    dest = ctx.destination
    fences = tuple(f for f in rules.fences if f.applies_to_order(ctx.channel, dest.region, dest.postal_code))
    whole = [f for f in fences if not f.categories]  # fences of whole locations; the rest are per line
    max_km = rules.max_km.get(ctx.method)
    at, km_array, failed = screen_locations(
        np.array([held for held, _ in rows], bool).reshape(len(rows), n),
        -1 if store is None else store,
        cols.lat,
        cols.cos_lat,
        cols.lon,
        radians(dest.latitude),
        dest.longitude,
        DIAMETER_KM,
        np.array([code in excluded for code in cols.codes], bool) if excluded else _NONE_EXCLUDED,
        rules.skip_disabled,
        cols.enabled,
        cols.pickup,
        rules.transfer_to_pickup,
        rules.allowed_by_method.get(ctx.method, _NONE_ALLOWED),
        cols.type,
        cols.ships,
        rules.require_capacity,
        cols.capacity,
        cols.used,
        float("inf") if max_km is None else max_km,
        np.array([cols.fence_mask(f) for f in whole], bool).reshape(len(whole), n),
    )
    km = km_array.tolist()
    out = _excluded(cols, at, km, failed, ctx, rules, whole, excluded)
    out.tenths = _tenths(km_array, km)
    passing = np.flatnonzero(failed == 0)
    prepared = [
        _Prepared(line, tuple(f for f in fences if line.category in f.categories), rules) for line in lines
    ]
    out.eligible = _line_filter(
        out, passing, at[passing], km_array, store, cols, rows, prepared, network, rules
    )
    return out


def _tenths(km: np.ndarray, values: list[float]) -> list[float]:
    """`[round(x, 1) for x in values]` (`values` is `km` as a list), equal to the last bit."""
    found, near = tenths(km)
    out = found.tolist()
    for k in near.tolist():
        out[k] = round(values[k], 1)
    return out


_NONE_EXCLUDED = np.zeros(0, bool)
_NONE_ALLOWED = np.zeros(len(TYPES), bool)  # a delivery method the rule set has no types for


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
    table: list[tuple[str | None, dict[str, Any], str] | None] = [None] * (max(found, default=-1) + 1)
    for kind in found:
        table[kind] = _shared(kind // n, TYPES[kind % n], ctx, rules, fences)
    filled = pick(table, kinds)  # (filter, values, sentence) of each location
    keys, values, reasons = map(list, zip(*filled, strict=True)) if filled else ([], [], [])
    locs = pick(cols.locs, at)
    out = Screened(
        locs,
        pick(cols.codes, at),
        pick(cols.names, at),
        pick(cols.types, at),
        km,
        keys,
        values,
        reasons,
        [_NOTHING] * len(locs),
        [0] * len(locs),
    )
    if any(kind // n in _OWN_VALUES for kind in found):
        for k in np.flatnonzero(np.isin(failed, _OWN_VALUES)).tolist():
            key, loc = _LOCATION_FILTERS[failed[k] - 1], locs[k]
            if key == "excluded":
                own: dict[str, Any] = {"why": excluded[loc.code]}
            elif key == "capacity":
                own = {"used": loc.used_capacity_today, "capacity": loc.daily_capacity}
            else:
                own = {"distance_km": round(km[k], 1), "max_km": rules.max_km[ctx.method]}
            out.excluded_by[k], out.values[k] = key, own
            out.reason[k] = rules.reasons[key].format(**own)
    return out


def _shared(
    why: int, loc_type: str, ctx: OrderContext, rules: CompiledRules, fences: list[CompiledFence]
) -> tuple[str | None, dict[str, Any], str]:
    """(filter, values, sentence) of an exclusion every location of a type shares in this order."""
    if not why:
        return None, _NOTHING, ""  # passed: the line filter decides
    if why >= FENCE:
        key, values = "fence", {"fence": fences[why - FENCE].name}
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
        # above any safety stock, `top` is the radix of stock states
        self.safety, self.top = rules.safety_row(line.category)
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
    km: np.ndarray,
    store: int | None,
    cols: LocationColumns,
    rows: list[tuple[np.ndarray, np.ndarray]],
    prepared: list[_Prepared],
    network: NetworkSnapshot,
    rules: CompiledRules,
) -> Eligible:
    """Stock after brokering safety stock and category fences, line by line; costs per unit.

    The locations at columns `passing` (network indices `at`) passed every location filter; `km`
    is every considered location's distance. A line a location cannot give is written into its
    `unavailable` with the failing values; a location giving none is excluded by the first line's
    failure; the others are the eligible ones.
    """
    types = cols.type[at]
    lines, n = len(prepared), len(cols.codes)
    fence_first = np.zeros((lines, n), np.int64)  # 1 + the first category fence of the line, 0: none
    for m, p in enumerate(prepared):
        for j in range(len(p.fences) - 1, -1, -1):
            fence_first[m][cols.fence_mask(p.fences[j])] = j + 1
    given, state, items, low, group = screen_lines(
        at,
        np.array([atp for _, atp in rows], np.int64).reshape(lines, n),
        np.array([p.safety for p in prepared], np.int64).reshape(lines, len(TYPES)),
        cols.type,
        np.array([(p.line.qty, p.needed, p.top, len(p.fences)) for p in prepared], np.int64).reshape(
            lines, 4
        ),
        fence_first,
    )
    counted = np.zeros(len(out.locs), np.intp)
    counted[passing] = items
    out.items = counted.tolist()
    able = given.any(axis=0) if prepared else np.ones(len(at), bool)
    if prepared:
        _why_not(out, passing, state, group, prepared, low.tolist())
    keep = np.flatnonzero(able)
    kept, held_by = passing[keep].tolist(), at[keep]
    usable, kept_km = given[:, keep], km[passing[keep]]
    made = Eligible(
        {p.line.index: m for m, p in enumerate(prepared)},
        kept,
        pick(cols.locs, held_by),
        kept_km.tolist(),
        (held_by == store).tolist() if store is not None else [False] * len(keep),
        usable,
        (np.array([p.line.weight_g for p in prepared], np.int64) @ usable).tolist()
        if prepared
        else [0] * len(keep),
        usable.sum(axis=0),
        items[keep].tolist(),
        rules.labour_by_type[types[keep]],
        np.zeros(usable.shape, np.int64),
        cols.origin[held_by],
        codes=pick(cols.codes, held_by),
        dist=np.rint(kept_km * 10).astype(np.int64).tolist(),  # both round the same float half to even
        prio=cols.rank[held_by].tolist(),
    )
    if rules.overstock_per_day and rules.overstock_max_days:
        _overstock(made, prepared, network, rules)
    if rules.priority_cost:
        made.priority = rules.priority_cost * cols.rank[held_by]
    if rules.capacity_penalty:
        made.capacity = np.array(
            [
                round(rules.capacity_penalty * (loc.used_capacity_today + 1) / loc.daily_capacity)
                if loc.daily_capacity > 0
                else 0
                for loc in made.locs
            ],
            np.int64,
        )
    return made


def _why_not(
    out: Screened,
    passing: np.ndarray,
    state: np.ndarray,
    group: np.ndarray,
    prepared: list[_Prepared],
    low: list[int],
) -> None:
    """Per location missing some lines, why per SKU; a location giving none is excluded by the first.

    Locations whose lines fail alike (`group`: the same fence, or the same ATP and safety stock)
    get the same sentences, so each distinct combination is written once and its entries shared.
    """
    missing = np.flatnonzero(group >= 0)
    if not len(missing):
        return
    firsts = group[missing]
    made = {k: _why_not_entry(state[:, k].tolist(), prepared, low) for k in np.unique(firsts).tolist()}
    unavailable, excluded_by, values, reason = out.unavailable, out.excluded_by, out.values, out.reason
    for column, k in zip(passing[missing].tolist(), firsts.tolist(), strict=True):
        unavailable[column], excluded = made[k]
        if excluded is not None:
            excluded_by[column], values[column], reason[column] = excluded


def _why_not_entry(
    states: list[int], prepared: list[_Prepared], low: list[int]
) -> tuple[dict[str, str], tuple[str, dict[str, Any], str] | None]:
    """The `unavailable` sentences of one combination of line states, and the exclusion if it gives none."""
    unavailable, first, able = {}, None, False
    for why, p, least in zip(states, prepared, low, strict=True):
        if not why:
            able = True
            continue
        if why <= len(p.fences):
            values, text = p.fence_text[why - 1]
            first = first or ("fence", values)
        else:
            atp, safety = divmod(why - len(p.fences) - 1, p.top)
            atp += least
            values, text = p.short.get((atp, safety)) or p.shortage(
                atp, safety, min(atp - safety, p.line.qty)
            )
            first = first or ("stock", values)
        unavailable[p.line.sku] = text
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
