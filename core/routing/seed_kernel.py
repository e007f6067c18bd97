"""An order's single-location plans and the proof that one of them is best, as one compiled loop,
step for step with `core.routing.single` (`seed`, `single_location_is_optimal`), for bundles that
travel whole priced by lanes.

Quotes cannot be asked for from a compiled loop. Every parcel a plan, a bound or the proof prices
here or in `core.routing.search_kernel` weighs what some of the order's bundles weigh together (or
is one of the proof's heavy parcels) and leaves a location able to take some bundle, so
`seed_whole` first checks those cells of the quote table and, if any was never quoted, returns them
for the caller to quote before calling again.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from core.routing.compiled_plans import (
    FEWEST_SHIPMENTS,
    LOCATION_CODE,
    LOWEST_PRIORITY,
    MAX_SHIPMENTS,
    MIN_COST,
    OPTIONS,
    PENALTY,
    PLACEABLE,
    SHORTEST_DISTANCE,
    UNITS,
    WEIGHT,
    Array,
    bundle_tables,
    keep_plan,
    kept_views,
    less,
    plan_key,
    runner_up_is_best,
    ship_ticks,
)
from core.routing.quote_table import NO_CARRIER


@njit(cache=True, nogil=True)
def _unquoted(
    bundle: Array, able: Array, max_ship: int, ticks: Array, slots: Array, floors: Array, missing: int
) -> Array:
    """(candidate, grams) standing for each cell of the quote table the loops here may read that
    was never quoted: every candidate able to take some bundle, with every weight some bundles
    make together (any plan's parcel, and a bound's) and the single-location proof's heavy ones.
    Candidates in one lane share their cells (one slot), so a slot's are listed once."""
    nb, n = able.shape
    subsets = 1 << nb
    # Every non-empty subset's weight, then the proof's heavy ones.
    weights = np.empty(subsets - 1 + max(max_ship - 1, 0), np.int64)
    for b in range(nb):
        half = 1 << b
        for i in range(half):
            weights[half + i - 1] = (weights[i - 1] if i else 0) + bundle[b, WEIGHT]
    heaviest = total = 0
    for b in range(nb):
        if bundle[b, OPTIONS]:
            heaviest, total = max(heaviest, bundle[b, WEIGHT]), total + bundle[b, WEIGHT]
    for s in range(2, max_ship + 1):
        weights[subsets - 3 + s] = max(heaviest, -(-total // s))
    weights.sort()
    classes = np.searchsorted(floors, weights)
    distinct = 0  # one weight per class stands for all of them
    for j in range(len(weights)):
        if not j or classes[j] != classes[j - 1]:
            weights[distinct], classes[distinct] = weights[j], classes[j]
            distinct += 1
    seen = np.zeros(len(ticks), np.bool_)
    found = []
    for k in range(n):
        if seen[slots[k]]:
            continue
        taking = False
        for b in range(nb):
            taking |= able[b, k]
        if taking:
            seen[slots[k]] = True
            for j in range(distinct):
                if ticks[slots[k], classes[j]] == missing:
                    found.append((k, weights[j]))
    out = np.empty((len(found), 2), np.int64)
    for r in range(len(found)):
        out[r, 0], out[r, 1] = found[r]
    return out


@njit(cache=True, nogil=True)
def _ties_after(runner_up: Array, k: int, kinds: Array, dist: Array, prio: Array, code: Array) -> bool:
    """Whether candidate k's single-location plan, as dear as the runner-up and leaving as many
    units unplaced, sorts after it on the tie values, read as `plan_key` lays them out (most
    candidates alike tie on cost, and their full keys were made only to lose). False where that
    takes more than the first value of each kind (the full key then decides)."""
    at = 2
    for kind in kinds:
        if kind == FEWEST_SHIPMENTS:
            value = 1
        elif kind == SHORTEST_DISTANCE:
            value = dist[k]
        elif kind == LOWEST_PRIORITY:
            value = prio[k]
        else:
            value = code[k]  # its first part's location: every part is at k
        if value != runner_up[at]:
            return value > runner_up[at]
        if kind == LOCATION_CODE:
            return False
        at += 1
    return False


@njit(cache=True, nogil=True)
def seed_whole(
    starts: Array,  # `Problem.options_table`: bundle b's options are starts[b]:starts[b + 1] of the next two
    flat_at: Array,  # the candidate of each option
    flat_unit: Array,  # the bundle's ticks there
    per_bundle: Array,  # [bundle]: WEIGHT, UNITS, SPLITTABLE (never), VALUE, MIN_COST, PLACEABLE
    fixed: Array,  # per candidate: priority and capacity ticks per shipment
    ticks: Array,  # the quote table's ticks [slot, weight class]
    slots: Array,
    floors: Array,
    missing: int,  # what `ticks` holds for a cell never quoted
    code: Array,  # per candidate: increasing with its code
    dist: Array,
    prio: Array,
    kinds: Array,
    params: Array,  # PENALTY, MAX_SHIPMENTS, MIN_VALUE, MAX_NODES
    prove: bool,  # whether to go on to `single.single_location_is_optimal`'s proof
    kept: Array,  # `kept_plans`: filled with the best single-location plan and the runner-up
) -> tuple[bool, Array]:
    """`single.seed` for bundles that travel whole: the two least single-location plans, by their
    full keys (ties to the lower candidate index, as its stable sort). With `prove`, then whether
    the search must run: some bundle has an option and `single_location_is_optimal` fails.

    Returns (whether to search, the cells to quote first): when some cell the loops may read was
    never quoted, nothing else is done, and the caller quotes them and calls again.
    """
    at, able, unit, bundle = bundle_tables(len(fixed), starts, flat_at, flat_unit, per_bundle)
    return seed_tables(
        at, able, unit, bundle, fixed, ticks, slots, floors, missing,
        code, dist, prio, kinds, params, prove, kept,
    )  # fmt: skip


@njit(cache=True, nogil=True)
def seed_tables(
    at: Array,  # `compiled_plans.bundle_tables`' four, unit read only where able
    able: Array,
    unit: Array,
    bundle: Array,
    fixed: Array,
    ticks: Array,
    slots: Array,
    floors: Array,
    missing: int,
    code: Array,
    dist: Array,
    prio: Array,
    kinds: Array,
    params: Array,
    prove: bool,
    kept: Array,
) -> tuple[bool, Array]:
    """`seed_whole` from the bundle tables, which `core.routing.fused_kernel` has already made in
    the call that made the options."""
    n = len(fixed)
    unquoted = _unquoted(bundle, able, params[MAX_SHIPMENTS], ticks, slots, floors, missing)
    if len(unquoted):
        return False, unquoted
    nb = bundle.shape[0]
    key, counts, parts, locs, n_locs = kept_views(kept, kinds, nb, params[MAX_SHIPMENTS])
    placed, weight, cost = np.zeros(n, np.int64), np.zeros(n, np.int64), np.zeros(n, np.int64)
    lightest = np.full(n, -1, np.int64)
    total_units = forced = units = 0
    placeable, heaviest, total_weight = 0, 0, 0
    for b in range(nb):
        total_units += bundle[b, UNITS]
        forced += bundle[b, UNITS] - bundle[b, PLACEABLE]
        if bundle[b, OPTIONS]:
            placeable += 1
            units += bundle[b, MIN_COST]
            heaviest = max(heaviest, bundle[b, WEIGHT])
            total_weight += bundle[b, WEIGHT]
        for r in range(bundle[b, OPTIONS]):
            k = at[b, r]
            weight[k] += bundle[b, WEIGHT]
            cost[k] += unit[b, k]
            placed[k] += bundle[b, UNITS]
            if lightest[k] < 0 or bundle[b, WEIGHT] < lightest[k]:
                lightest[k] = bundle[b, WEIGHT]
    scratch = np.empty(key.shape[1], np.int64)
    plan, opened = np.empty((nb, 3), np.int64), np.empty(1, np.int64)
    for k in range(n):
        if lightest[k] < 0:
            continue  # takes nothing
        t = ship_ticks(ticks, slots, floors, k, weight[k])
        if t == NO_CARRIER:
            continue
        unplaced, total = total_units - placed[k], cost[k] + t + fixed[k]
        if counts[1] and (unplaced, total) >= (key[1, 0], key[1, 1]):
            tie = (unplaced, total) == (key[1, 0], key[1, 1])
            if not tie or _ties_after(key[1], k, kinds, dist, prio, code):
                continue  # its key sorts after the runner-up's: neither of the two least
        count = 0
        for b in range(nb):
            if able[b, k]:
                plan[count, 0], plan[count, 1], plan[count, 2] = b, k, bundle[b, UNITS]
                count += 1
        opened[0] = k
        plan_key(scratch, unplaced, total, kinds, opened, 1, plan, count, dist, prio, code)  # fmt: skip
        if not counts[0] or less(scratch, key[0]):
            if counts[0]:
                runner_up_is_best(key, counts, parts, locs, n_locs)
            keep_plan(0, key, counts, parts, locs, n_locs, scratch, plan, count, opened)
        elif not counts[1] or less(scratch, key[1]):
            keep_plan(1, key, counts, parts, locs, n_locs, scratch, plan, count, opened)
    if not prove or not placeable:
        return False, unquoted
    if not counts[0] or key[0, 0] != forced:
        return True, unquoted
    pen, max_ship, best_cost = params[PENALTY], params[MAX_SHIPMENTS], key[0, 1]
    if max_ship < 2 or placeable == 1:
        return False, unquoted  # every plan is a single location, and all were priced above
    # Each location's lightest piece, and the least a parcel of it costs.
    first, second, taking = -1, -1, 0
    for k in range(n):
        if lightest[k] < 0:
            continue
        taking += 1
        t = ship_ticks(ticks, slots, floors, k, lightest[k])
        floor = fixed[k] + (t if t != NO_CARRIER else 0)  # as the search does: no carrier is no bound
        if first < 0 or floor < first:
            first, second = floor, first
        elif second < 0 or floor < second:
            second = floor
    if taking < 2 or first + second + pen + units > best_cost:
        return False, unquoted
    # With s parcels the heaviest weighs at least the total / s (and at least the heaviest piece).
    for s in range(2, max_ship + 1):
        heavy = np.searchsorted(floors, max(heaviest, -(-total_weight // s)))  # its weight class
        dearest = -1
        for k in range(n):
            if lightest[k] >= 0:
                t = ticks[slots[k], heavy]
                if t != NO_CARRIER and (dearest < 0 or t + fixed[k] < dearest):
                    dearest = t + fixed[k]
        if dearest >= 0 and dearest + (s - 1) * (first + pen) + units <= best_cost:
            return True, unquoted
    return False, unquoted
