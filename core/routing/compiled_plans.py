"""Plans as the compiled loops of `core.routing.seed_kernel` and `core.routing.search_kernel` hold
them: a plan's key as a row of integers, the best plan and the runner-up kept in arrays, and an
order's bundles as tables over its candidates.

A plan's key was a tuple (unplaced units, cost, then the rule set's tie-break values). Here every
tie-break is an integer: the shipments, the summed distance tenths or priorities, and for
`location_code` the plan's parts as (code rank, units) pairs, padded with -1 so that a shorter
list of parts sorts first, as Python's tuples do. Compared lexicographically, the rows order plans
exactly as the tuples did.
"""

from __future__ import annotations

import numpy as np
from numba import njit

Array = np.ndarray

# `params`
PENALTY, MAX_SHIPMENTS, MIN_VALUE, MAX_NODES = range(4)
# `bundle` columns: `Problem.options_table`'s per bundle, and the number of its options
WEIGHT, UNITS, SPLITTABLE, VALUE, MIN_COST, PLACEABLE, OPTIONS = range(7)
# tie-break kinds, in `kinds`
FEWEST_SHIPMENTS, SHORTEST_DISTANCE, LOWEST_PRIORITY, LOCATION_CODE = range(4)
# `state`
COST, UNPLACED, OPENED, PARTS, NODES = range(5)
# `result`
EXACT, VISITED = range(2)


@njit(cache=True, nogil=True)
def key_width(kinds: Array, nb: int) -> int:
    """Integers in a plan's key: unplaced units, cost, then one per tie-break (2 per part for codes)."""
    width = 2
    for kind in kinds:
        width += 2 * nb if kind == LOCATION_CODE else 1
    return width


@njit(cache=True, nogil=True)
def kept_plans(kinds: Array, nb: int, max_ship: int) -> Array:
    """The best plan and the runner-up as the compiled loops keep them, none yet: one array, so
    that it is one argument of each call and one list for Python to read (`kept_views`)."""
    return np.zeros(4 + 2 * (key_width(kinds, nb) + 3 * nb + max_ship), np.int64)


@njit(cache=True, nogil=True)
def kept_views(kept: Array, kinds: Array, nb: int, max_ship: int) -> tuple[Array, Array, Array, Array, Array]:
    """`kept_plans`' parts, end to end: counts [2] (how many parts each plan has, 0: none kept),
    n_locs [2] (how many locations), key [2, key_width], parts [2, bundle, 3] (bundle, candidate,
    units) and locs [2, max_ship]."""
    width = key_width(kinds, nb)
    at = 4 + 2 * width
    key = kept[4:at].reshape(2, width)
    parts = kept[at : at + 6 * nb].reshape(2, nb, 3)
    locs = kept[at + 6 * nb : at + 6 * nb + 2 * max_ship].reshape(2, max_ship)
    return key, kept[0:2], parts, locs, kept[2:4]


@njit(cache=True, nogil=True)
def ship_ticks(ticks: Array, slots: Array, floors: Array, k: int, w: int) -> int:
    """`Problem.ship`: ticks to send w grams from k, NO_CARRIER if no carrier takes it."""
    return ticks[slots[k], np.searchsorted(floors, w)]  # type: ignore[no-any-return]


@njit(cache=True, nogil=True)
def plan_key(
    out: Array, unplaced: int, cost: int, kinds: Array, opened: Array, n_opened: int,
    parts: Array, n_parts: int, dist: Array, prio: Array, code: Array,
) -> None:  # fmt: skip
    """`(unplaced, cost, *Problem.tie_values(opened, parts))` as integers, into `out`."""
    out[0], out[1] = unplaced, cost
    at = 2
    nb = parts.shape[0]
    for kind in kinds:
        if kind == LOCATION_CODE:
            for q in range(nb):
                if q < n_parts:
                    out[at + 2 * q], out[at + 2 * q + 1] = code[parts[q, 1]], parts[q, 2]
                else:
                    out[at + 2 * q], out[at + 2 * q + 1] = -1, -1
            at += 2 * nb
            continue
        if kind == FEWEST_SHIPMENTS:
            out[at] = n_opened
        else:
            column = dist if kind == SHORTEST_DISTANCE else prio
            total = 0
            for o in range(n_opened):
                total += column[opened[o]]
            out[at] = total
        at += 1


@njit(cache=True, nogil=True)
def less(a: Array, b: Array) -> bool:
    """Whether key `a` sorts before key `b`."""
    for j in range(len(a)):
        if a[j] != b[j]:
            return a[j] < b[j]
    return False


@njit(cache=True, nogil=True)
def same_locations(opened: Array, locs: Array, n_locs: int) -> bool:
    """Whether `opened` are the `n_locs` locations in `locs`, in any order."""
    if len(opened) != n_locs:
        return False
    for o in range(len(opened)):
        found = False
        for m in range(n_locs):
            found |= locs[m] == opened[o]
        if not found:
            return False
    return True


@njit(cache=True, nogil=True)
def keep_plan(
    slot: int, key: Array, counts: Array, parts: Array, locs: Array, n_locs: Array,
    from_key: Array, from_parts: Array, n_parts: int, from_locs: Array,
) -> None:  # fmt: skip
    """Make kept plan `slot` (0 best, 1 runner-up) the given one; `counts[slot]` is how many parts
    it has (0: no plan kept there; a plan always has some)."""
    key[slot, :] = from_key
    counts[slot] = n_parts
    parts[slot, :n_parts] = from_parts[:n_parts]
    locs[slot, : len(from_locs)] = from_locs
    n_locs[slot] = len(from_locs)


@njit(cache=True, nogil=True)
def runner_up_is_best(key: Array, counts: Array, parts: Array, locs: Array, n_locs: Array) -> None:
    """The kept best plan becomes the runner-up (a better one with other locations is coming)."""
    keep_plan(
        1, key, counts, parts, locs, n_locs,
        key[0].copy(), parts[0].copy(), counts[0], locs[0, : n_locs[0]].copy(),
    )  # fmt: skip


@njit(cache=True, nogil=True)
def bundle_tables(
    n: int, starts: Array, flat_at: Array, flat_unit: Array, per_bundle: Array
) -> tuple[Array, Array, Array, Array]:
    """From `Problem.options_table`: per bundle its options (padded with -1), whether each
    candidate can take it and at what cost, and `bundle` (`per_bundle` with OPTIONS added)."""
    nb = len(starts) - 1
    width = 1
    for b in range(nb):
        width = max(width, starts[b + 1] - starts[b])
    at, able = np.full((nb, width), -1, np.int64), np.zeros((nb, n), np.bool_)
    unit, bundle = np.zeros((nb, n), np.int64), np.zeros((nb, OPTIONS + 1), np.int64)
    for b in range(nb):
        bundle[b, :OPTIONS] = per_bundle[b]
        bundle[b, OPTIONS] = starts[b + 1] - starts[b]
        for j in range(starts[b], starts[b + 1]):
            k = flat_at[j]
            at[b, j - starts[b]], able[b, k], unit[b, k] = k, True, flat_unit[j]
    return at, able, unit, bundle
