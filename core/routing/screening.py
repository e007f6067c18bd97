"""Screen one order's locations: every hard filter as an array step over the network's columns.

Every location holding any of the order's items is considered (about 170 of 200 on the benchmark
network), so the distance and the location filters are computed for all of them at once, in the
documented order, each location keeping the first filter that removed it. The explanation's
entries (the filter, the values that failed, the sentence, why not per SKU) are then made once per
distinct kind, each location's row among them numbered in the same compiled call. The distance is
`core.domain.geo.distance_km`'s to the last bits (numpy's sine may round the last bit differently
from the C library's; the arcsine stays in `math`), and the rate broker is handed this distance
for the order's lanes rather than working out its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import repeat
from math import radians
from operator import itemgetter
from struct import Struct
from typing import Any

import numpy as np

from core.domain.geo import EARTH_RADIUS_KM
from core.routing.candidate_columns import Entry
from core.routing.candidates import _NOTHING, Eligible, Line, OrderContext, Screened
from core.routing.columns import LocationColumns, Picked, pick
from core.routing.compiled import TYPES, CompiledFence, CompiledRules
from core.routing.rules import DEFAULT_REASONS
from core.routing.screening_kernel import (
    FENCE,
    KEPT_ROWS,
    LINE_FIGURES,
    Screening,
    screen_order,
    unpack_screening,
)
from core.routing.sentences import filled
from core.routing.snapshot import NetworkSnapshot

DIAMETER_KM = 2 * EARTH_RADIUS_KM
# Location filters in the documented order; a location's code is 1 + the index of the first it
# fails (the codes `core.routing.screening_kernel.screen_order` gives), fence j of the order's: FENCE + j.
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


def screen(
    lines: list[Line],
    network: NetworkSnapshot,
    ctx: OrderContext,
    rules: CompiledRules,
    excluded: Mapping[str, str],
) -> Screened:
    """Every location holding any of the lines' SKUs (plus the pickup store), filtered, sorted by code."""
    cols = network.columns()
    n = len(cols.codes)
    store = cols.index.get(ctx.pickup_store) if ctx.pickup_store is not None else None
    dest = ctx.destination
    # fences of whole locations, and of some categories (per line); most rule sets have none
    whole, by_line = _order_fences(rules.fences, ctx) if rules.fences else ((), ())
    max_km = rules.max_km.get(ctx.method)
    prepared = [
        _Prepared(line, tuple(f for f in by_line if line.category in f.categories) if by_line else (), rules)
        for line in lines
    ]
    count = len(lines)
    found = unpack_screening(
        screen_order(
            _stock([network.stock_row(line.sku) for line in lines], n),
            -1 if store is None else store,
            cols.place,
            cols.figures,
            radians(dest.latitude),
            dest.longitude,
            DIAMETER_KM,
            np.array([code in excluded for code in cols.codes], bool) if excluded else _NONE_EXCLUDED,
            rules.skip_disabled,
            rules.transfer_to_pickup,
            rules.require_capacity,
            rules.allowed_by_method.get(ctx.method, _NONE_ALLOWED),
            float("inf") if max_km is None else max_km,
            _whole_fences(whole, cols, n),
            _per_line(prepared),
            _fence_first(prepared, cols, count, n) if by_line else _unfenced(count, n),
            rules.labour_by_type,
        )
    )
    at = found.at
    out = Screened(
        pick(cols.codes, at),
        pick(cols.names, at),
        pick(cols.types, at),
        found.km,
        found.entry,
        _entries(found, cols, ctx, rules, whole, excluded, prepared),
        found.items,
    )
    out.tenths, out.at = found.tenths, at
    out.eligible = _eligible(found, store, cols, prepared, network, rules)
    return out


def _per_line(prepared: list[_Prepared]) -> np.ndarray:
    """[line]: what `screen_order` reads of each line (`_Prepared.figures`), read-only.

    Made over the lines' packed bytes: `np.array` of nested tuples looks at each value's type
    first, at three times the cost for an order's few dozen values.
    """
    if len(prepared) == 1:
        return np.ndarray((1, _WIDTH), np.int64, prepared[0].figures)
    return np.ndarray((len(prepared), _WIDTH), np.int64, b"".join([p.figures for p in prepared]))


def _stock(rows: list[np.ndarray], n: int) -> np.ndarray:
    """The lines' `StockRows` as one [line, 2, location] array; an order of one line (nearly half
    of them) reads its row where it is kept."""
    if len(rows) == 1:
        return rows[0]
    return np.concatenate(rows) if rows else np.zeros((0, 2, n), np.int32)


def _order_fences(
    fences: tuple[CompiledFence, ...], ctx: OrderContext
) -> tuple[tuple[CompiledFence, ...], tuple[CompiledFence, ...]]:
    """The fences applying to the order: those of whole locations, and those of some categories."""
    dest = ctx.destination
    found = [f for f in fences if f.applies_to_order(ctx.channel, dest.region, dest.postal_code)]
    return tuple(f for f in found if not f.categories), tuple(f for f in found if f.categories)


def _fence_first(prepared: list[_Prepared], cols: LocationColumns, count: int, n: int) -> np.ndarray:
    """[line, location]: 1 + the first category fence excluding the location from the line, 0: none."""
    if not any(p.fences for p in prepared):
        return _unfenced(count, n)
    found = np.zeros((count, n), np.int64)
    for m, p in enumerate(prepared):
        for j in range(len(p.fences) - 1, -1, -1):
            found[m][cols.fence_mask(p.fences[j])] = j + 1
    return found


def _unfenced(count: int, n: int) -> np.ndarray:
    """`_fence_first` of lines no category fence applies to (most rule sets have none): every order
    of as many lines shares one array of zeros, which screening only reads."""
    found = _UNFENCED.get((count, n))
    if found is None:
        # Left writeable: numba compiles a loop again for read-only arrays.
        found = _UNFENCED[(count, n)] = np.zeros((count, n), np.int64)
    return found


def _whole_fences(whole: tuple[CompiledFence, ...], cols: LocationColumns, n: int) -> np.ndarray:
    """[fence, location]: excluded by the order's fence of whole locations; orders without any (most
    rule sets have none) share one empty array, which screening only reads."""
    if not whole:
        found = _NO_FENCES.get(n)
        if found is None:
            found = _NO_FENCES[n] = np.zeros((0, n), bool)  # writeable, as `_fence_first`'s zeros
        return found
    return np.array([cols.fence_mask(f) for f in whole], bool)


_NONE_EXCLUDED = np.zeros(0, bool)
_UNFENCED: dict[tuple[int, int], np.ndarray] = {}  # (lines, locations) -> zeros, never written to
_NO_FENCES: dict[int, np.ndarray] = {}  # locations -> no rows, never written to
_NONE_ALLOWED = np.zeros(len(TYPES), bool)  # a delivery method the rule set has no types for
_PASSED = (None, _NOTHING, "", _NOTHING)  # (filter, values, sentence, why not per SKU)


def _entries(
    found: Screening,
    cols: LocationColumns,
    ctx: OrderContext,
    rules: CompiledRules,
    fences: tuple[CompiledFence, ...],
    excluded: Mapping[str, str],
    prepared: list[_Prepared],
) -> list[Entry]:
    """The explanation's distinct entries of the considered locations, in the rows `found.entry`
    gives them.

    Most entries repeat within an order (every store but the pickup store, every location of a type
    the delivery method does not use, every location short of the same lines alike), so each
    distinct one is made once: the kinds shared by a type, then those carrying a location's own
    values (capacity, distance and re-routing exclusions), then why not per SKU for each group of
    passing locations whose lines fail alike.
    """
    n = len(TYPES)
    table = [_shared(kind // n, TYPES[kind % n], ctx, rules, fences) for kind in found.kinds]
    for k, why in zip(found.own_at, found.own_filter, strict=True):
        key, i = _LOCATION_FILTERS[why - 1], int(found.at[k])
        if key == "capacity":
            own: dict[str, Any] = {"used": int(cols.used[i]), "capacity": int(cols.capacity[i])}
        elif key == "excluded":
            own = {"why": excluded[cols.codes[i]]}
        else:
            own = {"distance_km": round(float(found.km[k]), 1), "max_km": rules.max_km[ctx.method]}
        table.append((key, own, rules.reasons[key].format(**own), _NOTHING))
    if found.group_ends:
        table += _why_not(found, prepared)
    return table


def _why_not(found: Screening, prepared: list[_Prepared]) -> list[Entry]:
    """Per group of passing locations missing some lines alike, why per SKU; a group giving none is
    excluded by its first failure.

    Each distinct failing (line, state) is said once (`screening_kernel.said_by_group`), and each group's
    entry gathers its lines' sentences, made in C loops: an order has a dozen groups, and a step
    of Python per group was as much as the rest of screening's Python.
    """
    said = [
        prepared[m].say(state, found.low[m])
        for m, state in zip(found.said_line, found.said_state, strict=True)
    ]
    named = [
        (prepared[m].line.sku, sentence) for m, (_, _, sentence) in zip(found.said_line, said, strict=True)
    ]
    lines = list(map(named.__getitem__, found.said_at))
    if len(lines) == len(found.group_ends):  # a line per group (every group of a one-line order)
        unavailable = [{sku: sentence} for sku, sentence in lines]
    else:
        unavailable = list(
            map(dict, map(lines.__getitem__, map(slice, found.group_starts, found.group_ends)))
        )
    out: list[Entry] = list(zip(repeat(None), repeat(_NOTHING), repeat(""), unavailable))
    for g in found.failing:
        key, values, _ = said[found.said_at[found.group_starts[g]]]
        lacking = unavailable[g]
        out[g] = (key, values, "; ".join(lacking.values()), lacking)
    return out


def _shared(
    why: int, loc_type: str, ctx: OrderContext, rules: CompiledRules, fences: tuple[CompiledFence, ...]
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
            return _PASSED  # a placeholder: `_entries` gives each such location its own entry
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

    __slots__ = ("fences", "figures", "line", "needed", "rules", "top")

    def __init__(self, line: Line, fences: tuple[CompiledFence, ...], rules: CompiledRules) -> None:
        self.line, self.fences, self.rules = line, fences, rules
        self.needed = 1 if rules.split_units else line.qty
        # above any safety stock, `top` is the radix of stock states
        safety, self.top = rules.safety_row(line.category)
        # what `screening_kernel.screen_order` reads of the line (`LINE_FIGURES`, then the safety
        # stock by type), as the bytes of its int64 row (`_per_line`)
        self.figures = _FIGURES.pack(line.qty, self.needed, self.top, len(fences), line.weight_g, *safety)

    def say(self, state: int, low: int) -> Said:
        """The line's failure in a line state (`screen_lines`' coding, `low` the line's least ATP):
        the filter, the values that failed and the sentence."""
        fences, line, reasons = len(self.fences), self.line, self.rules.reasons
        if state <= fences:
            values: dict[str, Any] = {"fence": self.fences[state - 1].name}
            return "fence", values, f"{line.sku}: " + filled(reasons["fence"], values)
        atp, safety = divmod(state - fences - 1, self.top)
        atp += low
        # between 0 and the quantity, in conditionals: `min` and `max` cost a call parsing keywords
        sku, usable, needed = line.sku, atp - safety, self.needed
        usable = (usable if usable < line.qty else line.qty) if usable > 0 else 0
        values = {"sku": sku, "atp": atp, "safety": safety, "usable": usable, "needed": needed}
        if reasons["stock"] != _STOCK:
            return "stock", values, filled(reasons["stock"], values)
        sentence = f"{sku}: ATP {atp} less brokering safety stock {safety} leaves {usable}, {needed} needed"
        return "stock", values, sentence  # the default template, written out: a few per order


_WIDTH = LINE_FIGURES + len(TYPES)  # a line's figures
_FIGURES = Struct(f"={_WIDTH}q")  # as native int64s, as numpy reads them
Said = tuple[str, dict[str, Any], str]  # a line's failure (`_Prepared.say`)
_STOCK = DEFAULT_REASONS["stock"]  # `_Prepared.say` writes this one out


# `Screening.per_kept`'s rows, taken by index: unpacking an array iterates it until the IndexError
# of the row after the last, whose message alone costs more than the rows.
_KEPT_ROWS = itemgetter(*range(KEPT_ROWS))


def _eligible(
    found: Screening,
    store: int | None,
    cols: LocationColumns,
    prepared: list[_Prepared],
    network: NetworkSnapshot,
    rules: CompiledRules,
) -> Eligible:
    """The locations giving some line, with what each may give and its costs per unit and shipment:
    `screen_order`'s columns for them (`Screening.keep` onwards)."""
    weight_g, units, dist, held_by, origin, rank, labour = _KEPT_ROWS(found.per_kept)
    usable = found.usable
    made = Eligible(
        {p.line.index: m for m, p in enumerate(prepared)},
        found.keep,
        Picked(cols.locs, held_by),
        held_by == store if store is not None else np.zeros(len(held_by), bool),
        usable,
        weight_g,
        units,
        labour,
        np.zeros(usable.shape, np.int64),
        origin,
        codes=pick(cols.codes, held_by),
        dist=dist,
        prio=rank,
        distances=found.kept_km,
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


def _overstock(
    made: Eligible, prepared: list[_Prepared], network: NetworkSnapshot, rules: CompiledRules
) -> None:
    """Per usable line the bonus for the location's days of supply, folded into its unit cost."""
    for m, p in enumerate(prepared):
        held = network.stock.get(p.line.sku, _NOTHING)
        for k in np.flatnonzero(made.usable[m]).tolist():
            level = held.get(made.codes[k])
            bonus = rules.overstock_ticks(level.on_hand, level.daily_sales) if level is not None else 0
            made.overstock[m, k] = bonus
            made.bonus[k] += bonus * int(made.usable[m, k])
