"""Screen one order's locations: every hard filter as an array step over the network's columns.

Every location holding any of the order's items is considered (about 170 of 200 on the benchmark
network), so the distance and the location filters are computed for all of them at once, in the
documented order, each location keeping the first filter that removed it. The explanation's
entries (the filter, the values that failed, the sentence, why not per SKU) are then made once per
distinct kind, and every location's entry is picked in one step. The distance is
`core.domain.geo.distance_km`'s to the last bits (numpy's sine may round the last bit differently
from the C library's; the arcsine stays in `math`), and the rate broker is handed this distance
for the order's lanes rather than working out its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from math import radians
from typing import Any, NamedTuple

import numpy as np

from core.domain.geo import EARTH_RADIUS_KM
from core.routing.candidates import _NOTHING, Eligible, Line, OrderContext, Screened
from core.routing.columns import LocationColumns, pick
from core.routing.compiled import TYPES, CompiledFence, CompiledRules
from core.routing.kernels import FENCE, Screening, screen_order, unpack_screening
from core.routing.snapshot import NetworkSnapshot

DIAMETER_KM = 2 * EARTH_RADIUS_KM
# Location filters in the documented order; a location's code is 1 + the index of the first it
# fails (the codes `core.routing.kernels.screen_order` gives), fence j of the order's: FENCE + j.
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
_OWN_KEYS = ("excluded", "capacity", "distance")
_OWN_VALUES = np.zeros(FENCE + 1, bool)  # by filter code (fences clipped to FENCE)
_OWN_VALUES[[1 + _LOCATION_FILTERS.index(key) for key in _OWN_KEYS]] = True
_CAPACITY = 1 + _LOCATION_FILTERS.index("capacity")


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
    by_line = [f for f in fences if f.categories]  # fences of some categories: per line
    prepared = [
        _Prepared(line, tuple(f for f in by_line if line.category in f.categories) if by_line else (), rules)
        for line in lines
    ]
    count = len(lines)
    found = unpack_screening(
        *screen_order(
            _stacked([held for held, _ in rows], bool, n),
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
            _whole_fences(whole, cols, n),
            _stacked([atp for _, atp in rows], np.int64, n),
            np.array([p.safety for p in prepared], np.int64).reshape(count, len(TYPES)),
            np.array(
                [(p.line.qty, p.needed, p.top, len(p.fences), p.line.weight_g) for p in prepared], np.int64
            ).reshape(count, 5),
            _fence_first(prepared, cols, count, n),
            len(TYPES),
            _OWN_VALUES,
            cols.origin,
            cols.rank,
            rules.labour_by_type,
        )
    )
    at, km = found.at, found.km
    entry = _Entries(cols, found, ctx, rules, whole, excluded)
    entry.why_not(found, prepared)
    out = Screened(
        pick(cols.codes, at),
        pick(cols.names, at),
        pick(cols.types, at),
        km,
        entry.at.tolist(),
        entry.table,
        found.items.tolist(),
    )
    out.tenths = _tenths(found.km_tenths, found.near, km)
    out.eligible = _eligible(
        found.keep, found.kept_km, found.usable, found.per_kept, store, cols, prepared, network, rules
    )
    return out


def _fence_first(prepared: list[_Prepared], cols: LocationColumns, count: int, n: int) -> np.ndarray:
    """[line, location]: 1 + the first category fence excluding the location from the line, 0: none.

    Without category fences (most rule sets) every order of as many lines shares one array of
    zeros, which screening only reads.
    """
    if not any(p.fences for p in prepared):
        found = _UNFENCED.get((count, n))
        if found is None:
            # Left writeable: numba compiles a loop again for read-only arrays.
            found = _UNFENCED[(count, n)] = np.zeros((count, n), np.int64)
        return found
    found = np.zeros((count, n), np.int64)
    for m, p in enumerate(prepared):
        for j in range(len(p.fences) - 1, -1, -1):
            found[m][cols.fence_mask(p.fences[j])] = j + 1
    return found


def _whole_fences(whole: list[CompiledFence], cols: LocationColumns, n: int) -> np.ndarray:
    """[fence, location]: excluded by the order's fence of whole locations; orders without any (most
    rule sets have none) share one empty array, which screening only reads."""
    if not whole:
        found = _NO_FENCES.get(n)
        if found is None:
            found = _NO_FENCES[n] = np.zeros((0, n), bool)  # writeable, as `_fence_first`'s zeros
        return found
    return np.array([cols.fence_mask(f) for f in whole], bool)


def _tenths(found: np.ndarray, near: np.ndarray, values: np.ndarray) -> list[float]:
    """`[round(x, 1) for x in values.tolist()]` from `kernels.tenths`' two arrays, equal to the last bit."""
    out = found.tolist()
    for k in near.tolist():
        out[k] = round(float(values[k]), 1)
    return out


def _stacked(rows: list[np.ndarray], dtype: type, n: int) -> np.ndarray:
    """The lines' rows over the network's locations as one [line, location] array; an order of one
    line (nearly half of them) reads its row where it is kept."""
    if len(rows) == 1:
        return rows[0].reshape(1, n)
    return np.array(rows, dtype).reshape(len(rows), n)


_NONE_EXCLUDED = np.zeros(0, bool)
_UNFENCED: dict[tuple[int, int], np.ndarray] = {}  # (lines, locations) -> zeros, never written to
_NO_FENCES: dict[int, np.ndarray] = {}  # locations -> no rows, never written to
_NONE_ALLOWED = np.zeros(len(TYPES), bool)  # a delivery method the rule set has no types for
_PASSED = (None, _NOTHING, "", _NOTHING)  # (filter, values, sentence, why not per SKU)


class _Entries:
    """The explanation's entries of the considered locations, as a table and each one's row in it.

    Most entries repeat within an order (every store but the pickup store, every location of a type
    the delivery method does not use, every location short of the same lines alike), so each
    distinct one is made once, and each location holds its row in the table (`Screened.entry`).
    Capacity, distance and re-routing exclusions carry each location's own values.
    """

    __slots__ = ("at", "table")

    def __init__(
        self,
        cols: LocationColumns,
        found: Screening,
        ctx: OrderContext,
        rules: CompiledRules,
        fences: list[CompiledFence],
        excluded: Mapping[str, str],
    ) -> None:
        n, at, failed, owned, self.at = len(TYPES), found.at, found.failed, found.owned, found.kind_at
        self.table = [
            _shared(kind // n, TYPES[kind % n], ctx, rules, fences) for kind in found.kinds.tolist()
        ]
        if not len(owned):
            return
        full = failed[owned] == _CAPACITY
        if np.logical_or.reduce(full):
            self._at_capacity(owned[full], at, cols, rules)
        for k in owned[~full].tolist():  # the exclusions that carry each location's own values
            key, loc = _LOCATION_FILTERS[failed[k] - 1], cols.locs[at[k]]
            if key == "excluded":
                own: dict[str, Any] = {"why": excluded[loc.code]}
            else:
                own = {"distance_km": round(float(found.km[k]), 1), "max_km": rules.max_km[ctx.method]}
            self.at[k] = len(self.table)
            self.table.append((key, own, rules.reasons[key].format(**own), _NOTHING))

    def _at_capacity(
        self, ks: np.ndarray, at: np.ndarray, cols: LocationColumns, rules: CompiledRules
    ) -> None:
        """Locations at daily capacity, one entry per (used, capacity) pair.

        As a day fills up, an order meets dozens of full stores (46 late in the benchmark's day),
        most of them with the same figures: an entry each was most of the order's screening.
        """
        rows, made, where = at[ks], {}, []
        for pair in zip(cols.used[rows].tolist(), cols.capacity[rows].tolist(), strict=True):
            found = made.get(pair)
            if found is None:
                found = made[pair] = len(self.table)
                own = {"used": pair[0], "capacity": pair[1]}
                self.table.append(("capacity", own, rules.reasons["capacity"].format(**own), _NOTHING))
            where.append(found)
        self.at[ks] = where

    def why_not(self, found: Screening, prepared: list[_Prepared]) -> None:
        """Per passing location missing some lines, why per SKU; one giving none is excluded by the first.

        Locations whose lines fail alike (the same fence, or the same ATP and safety stock) share
        one entry: made from the states of the first location of each group (`first_states`), each
        location in `missing` pointing at its group's (`alike_as`); `low` is per line the least ATP
        the states count from.
        """
        missing = found.missing
        if not len(missing):
            return
        start, least = len(self.table), found.low.tolist()
        if len(prepared) == 1:  # nearly half the orders: each group's entry is its one failure's
            p, low, sku = prepared[0], least[0], prepared[0].line.sku
            for state in found.first_states[0].tolist():
                key, values, sentence = p.say(state, low)  # groups differ in state: each said once
                self.table.append((key, values, sentence, {sku: sentence}))
        else:
            self.table += [
                _why_not_entry(column, prepared, least) for column in found.first_states.T.tolist()
            ]
        self.at[missing] = found.alike_as + start


def _shared(
    why: int, loc_type: str, ctx: OrderContext, rules: CompiledRules, fences: list[CompiledFence]
) -> tuple[str | None, dict[str, Any], str, dict[str, str]]:
    """The entry of an exclusion every location of a type shares in this order.

    Kept across orders under everything it is made of (entries are never written to once made):
    every order repeats a few of them (its pickup store, the types its method does not use).
    """
    if not why:
        return _PASSED  # passed: the line filter decides
    fence = fences[why - FENCE].name if why >= FENCE else None
    kept = (rules, why, loc_type, ctx.method, ctx.pickup_store, fence)
    found = _SHARED.get(kept)
    if found is not None:
        return found
    if fence is not None:
        key, values = "fence", {"fence": fence}
    else:
        key = _LOCATION_FILTERS[why - 1]
        if key in _OWN_KEYS:
            return _PASSED  # a placeholder: `_Entries` gives each such location its own entry
        if key == "pickup_store":
            values = {"pickup_store": ctx.pickup_store}
        elif key == "location_type":
            values = {"type": str(loc_type), "method": ctx.method}
        else:
            values = {}
    if len(_SHARED) >= _MAX_SHARED:
        _SHARED.clear()
    found = _SHARED[kept] = (key, values, rules.reasons[key].format(**values), _NOTHING)
    return found


_SHARED: dict[tuple[object, ...], tuple[str | None, dict[str, Any], str, dict[str, str]]] = {}
_MAX_SHARED = 10_000  # a few per pickup store and delivery method: never reached in practice


class _Prepared:
    """What the line filter needs of one line, looked up once per order instead of per location."""

    __slots__ = ("fences", "line", "needed", "rules", "safety", "said", "top")

    def __init__(self, line: Line, fences: tuple[CompiledFence, ...], rules: CompiledRules) -> None:
        self.line, self.fences, self.rules = line, fences, rules
        self.needed = 1 if rules.split_units else line.qty
        # above any safety stock, `top` is the radix of stock states
        self.safety, self.top = rules.safety_row(line.category)
        self.said: dict[int, Said] = {}  # line state -> its `say`

    def say(self, state: int, low: int) -> Said:
        """The line's failure in a line state (`screen_lines`' coding, `low` the line's least ATP).

        Made once per order and state: many locations short of a line repeat one.
        """
        fences, line, reasons = len(self.fences), self.line, self.rules.reasons
        if state <= fences:
            values: dict[str, Any] = {"fence": self.fences[state - 1].name}
            key, sentence = "fence", f"{line.sku}: " + reasons["fence"].format(**values)
        else:
            atp, safety = divmod(state - fences - 1, self.top)
            atp += low
            values = {
                "sku": line.sku,
                "atp": atp,
                "safety": safety,
                "usable": max(min(atp - safety, line.qty), 0),
                "needed": self.needed,
            }
            key, sentence = "stock", reasons["stock"].format(**values)
        found = self.said[state] = Said(key, values, sentence)
        return found


class Said(NamedTuple):
    """One line's failure: the filter, the values that failed and the sentence."""

    key: str
    values: dict[str, Any]
    sentence: str


def _eligible(
    column: np.ndarray,
    km: np.ndarray,
    usable: np.ndarray,
    per_kept: np.ndarray,
    store: int | None,
    cols: LocationColumns,
    prepared: list[_Prepared],
    network: NetworkSnapshot,
    rules: CompiledRules,
) -> Eligible:
    """The locations giving some line, with what each may give and its costs per unit and shipment.

    They are at `column` among the considered locations, `km` away; `usable` and `per_kept` are
    `kernels.screen_order`'s for them.
    """
    weight_g, units, dist, held_by, origin, rank, labour = per_kept
    made = Eligible(
        {p.line.index: m for m, p in enumerate(prepared)},
        column,
        pick(cols.locs, held_by),
        held_by == store if store is not None else np.zeros(len(column), bool),
        usable,
        weight_g,
        units,
        labour,
        np.zeros(usable.shape, np.int64),
        origin,
        codes=pick(cols.codes, held_by),
        dist=dist,
        prio=rank,
        distances=km,
        origin_zones=cols.origin_zones,
    )
    if rules.overstock_per_day and rules.overstock_max_days:
        _overstock(made, prepared, network, rules)
    if rules.priority_cost:
        made.priority = rules.priority_cost * rank
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


def _why_not_entry(
    states: list[int], prepared: list[_Prepared], low: list[int]
) -> tuple[str | None, dict[str, Any], str, dict[str, str]]:
    """The entry of one combination of line states: excluded by the first failure if it gives none."""
    unavailable: dict[str, str] = {}
    first, failing = None, 0
    for state, p, least in zip(states, prepared, low, strict=True):
        if state:
            said = p.said.get(state) or p.say(state, least)
            unavailable[p.line.sku] = said.sentence
            failing += 1
            if first is None:
                first = said
    if first is None or failing < len(states):
        return None, _NOTHING, "", unavailable
    return first.key, first.values, "; ".join(unavailable.values()), unavailable


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
