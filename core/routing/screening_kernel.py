"""Routing's compiled loops: screening an order's locations, grouping alike rows, reading quotes.

Screening looks at every location holding any of an order's items (about 170 of 200 on the
benchmark network) and applies a dozen filters to each. As numpy steps that was some eighty array
calls per order, each up to a few microseconds of overhead for a couple of hundred values;
compiled (numba, cached on disk after the first run) the whole pass is one call
(`screen_order`). The filters' order and codes are `core.routing.screening`'s, which turns these
arrays into the explanation.

The distance is `core.domain.geo.distance_km`'s formula evaluated in the same order with the C
library's sine, cosine and arcsine, so it is that function's value to the last bit.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numba import njit

from core.routing.kernels import alike

# Location filter codes, 1 + the index in `core.routing.screening._LOCATION_FILTERS`.
EXCLUDED, DISABLED, NO_PICKUP, PICKUP_STORE, LOCATION_TYPE, NOT_SHIPPING, CAPACITY, DISTANCE = range(1, 9)
FENCE = 9  # whole-location fence j: FENCE + j
_HALF_MARGIN = 1e-6  # far wider than the error of x * 10 for any distance on Earth


class Screening(NamedTuple):
    """`screen_order`'s result (`unpack_screening`), per considered location (in code order) unless
    said otherwise: lists where Python reads every value, arrays where numpy or `Eligible` does."""

    at: np.ndarray  # network indices
    km: np.ndarray  # distances
    tenths: list[float]  # the distances rounded to tenths, as `round` would
    entry: list[int]  # the row of its explanation entry (`location_entries`, then the why-not groups)
    items: list[int]  # lines supplied in full (0 unless it passed)
    kinds: list[int]  # the distinct kinds of shared entry, ascending: the entries' first rows
    own_at: list[int]  # per entry of a location's own values (the next rows): the location's position
    own_filter: list[int]  # and the filter that excluded it
    low: list[int]  # per line: `screen_lines`' least ATP
    said_line: list[int]  # per distinct failing (line, state) of the why-not groups: the line
    said_state: list[int]  # and the state
    said_at: list[int]  # the groups' failing lines end to end, as indexes into those
    group_starts: list[int]  # where each group's lines start in `said_at`; the groups are the last rows
    group_ends: list[int]  # and end
    failing: list[int]  # the groups failing every line
    keep: np.ndarray  # positions of the locations giving some line
    usable: np.ndarray  # [line, kept]: units each may give
    per_kept: np.ndarray  # [KEPT_ROWS, kept]: the columns `Eligible` is made of, below
    kept_km: np.ndarray  # their distances


# Rows of `Screening.per_kept`: grams and units sent alone, distance in tenths of a km, network
# index, origin group, priority rank (>= 0) and labour ticks per unit, the columns `Eligible` is
# made of (gathered in the compiled call rather than by a numpy step each).
KEPT_ROWS = 7
# Columns of `screen_order`'s per-line figures before the safety stock per location type:
# quantity, units a location must give to take part, the radix of stock states (above any safety
# stock), category fences, unit weight in grams.
LINE_FIGURES = 5

# `screen_order` returns its integer arrays end to end in one, after a header of their sizes, and
# then its float arrays' bits: numba hands each array it returns to Python through a Python call
# of its own (thousands of instructions each). The values Python reads one by one come first, so
# one `tolist` gives them.
_HEAD = 11  # where the arrays start, then the sizes: considered, kinds, own, near, lines, said,
# said_at, groups, failing, kept


def unpack_screening(ints: np.ndarray) -> Screening:
    """`screen_order`'s array as the `Screening` it holds (lists, and views of the array).

    Sliced one after another in plain steps: every order unpacks one, and bounds made with
    `itertools` cost a third more.
    """
    head = ints[: ints[0]].tolist()
    b, count, kinds, own, near, lines, said, said_at, groups, failing, kept = head[:_HEAD]
    entry, items = head[_HEAD : _HEAD + count], head[_HEAD + count : _HEAD + 2 * count]
    a = _HEAD + 2 * count
    kind = head[a : a + kinds]
    a += kinds
    own_at, own_filter = head[a : a + own], head[a + own : a + 2 * own]
    a += 2 * own
    near_tie = head[a : a + near]
    a += near
    low = head[a : a + lines]
    a += lines
    said_line, said_state = head[a : a + said], head[a + said : a + 2 * said]
    a += 2 * said
    said_as = head[a : a + said_at]
    a += said_at
    starts, ends = head[a : a + groups], head[a + groups : a + 2 * groups]
    failed = head[a + 2 * groups : a + 2 * groups + failing]
    at, keep = ints[b : b + count], ints[b + count : b + count + kept]
    b += count + kept
    usable = ints[b : b + lines * kept].reshape(lines, kept)
    b += lines * kept
    per_kept = ints[b : b + KEPT_ROWS * kept].reshape(KEPT_ROWS, kept)
    floats = ints[b + KEPT_ROWS * kept :].view(np.float64)
    km = floats[:count]
    return Screening(
        at, km, tenths_of(floats[count : 2 * count], near_tie, km), entry, items, kind, own_at, own_filter,
        low, said_line, said_state, said_as, starts, ends, failed, keep, usable, per_kept, floats[2 * count :],
    )  # fmt: skip


def tenths_of(found: np.ndarray, near: list[int], values: np.ndarray) -> list[float]:
    """`[round(x, 1) for x in values.tolist()]` from `tenths`' two arrays, equal to the last bit."""
    out = found.tolist()
    for k in near:
        out[k] = round(float(values[k]), 1)
    return out


@njit(cache=True, nogil=True)
def screen_order(
    stock: np.ndarray,  # [line, 2, location]: has a stock row (0/1), and ATP (0 where none)
    store: int,  # the pickup store's index, -1 for ship orders
    place: np.ndarray,  # [3, location]: latitude (radians), its cosine, longitude (degrees)
    figures: np.ndarray,  # [8, location]: `LocationColumns.figures`
    dest_lat: float,  # radians
    dest_lon: float,  # degrees
    diameter_km: float,
    excluded: np.ndarray,  # per location, or empty when nothing is excluded
    skip_disabled: bool,
    transfer_to_pickup: bool,
    require_capacity: bool,
    allowed: np.ndarray,  # per location type
    max_km: float,  # inf: no limit
    fences: np.ndarray,  # [fence, location]: excluded by whole-location fence j
    per_line: np.ndarray,  # [line]: `LINE_FIGURES`, then the brokering safety stock per location type
    fence_first: np.ndarray,  # [line, location]: 1 + the first category fence excluding it, 0 none
    labour: np.ndarray,  # per location type: ticks per unit picked
) -> np.ndarray:
    """A whole order's screening in one call: the considered locations (those holding any line, and
    the pickup store), their distances and the location filters; then `location_entries`,
    `screen_lines` over the locations passing every location filter, `said_by_group` of its
    why-not groups, and `tenths` of the distances.

    One call, with none of the arrays between the steps made in Python: each call and each step
    between costs microseconds, and every order screens.

    Returns the `Screening`'s integers and then its distances' bits, packed in one array
    (`unpack_screening`): each array numba returns is boxed on its own, at a cost of thousands of
    instructions.
    """
    lat, cos_lat, lon = place[0], place[1], place[2]
    enabled, ships, pickup, loc_type = figures[0], figures[1], figures[2], figures[3]
    capacity, used, rank, origin = figures[4], figures[5], figures[6], figures[7]
    # The location filters, in the documented order: the first that removes each location.
    lines, n = stock.shape[0], stock.shape[2]
    considered = np.zeros(n, np.bool_)
    for m in range(lines):
        for i in range(n):
            if stock[m, 0, i]:
                considered[i] = True
    if store >= 0:
        considered[store] = True
    at = np.flatnonzero(considered)
    count = len(at)
    km = np.empty(count, np.float64)
    failed = np.zeros(count, np.int64)
    cos_dest = math.cos(dest_lat)
    for c in range(count):
        i = at[c]
        s1 = math.sin((dest_lat - lat[i]) / 2)
        s2 = math.sin(math.radians(dest_lon - lon[i]) / 2)
        a = s1 * s1 + cos_lat[i] * cos_dest * (s2 * s2)
        km[c] = diameter_km * math.asin(min(1.0, math.sqrt(a)))
        is_store = i == store
        if len(excluded) and excluded[i]:
            failed[c] = EXCLUDED
        elif skip_disabled and not enabled[i]:
            failed[c] = DISABLED
        elif store >= 0 and is_store and not pickup[i]:
            failed[c] = NO_PICKUP
        elif store >= 0 and not transfer_to_pickup and not is_store:
            failed[c] = PICKUP_STORE
        elif not allowed[loc_type[i]]:
            failed[c] = LOCATION_TYPE
        elif not (ships[i] or is_store):
            failed[c] = NOT_SHIPPING
        elif require_capacity and 0 < capacity[i] <= used[i]:
            failed[c] = CAPACITY
        elif km[c] > max_km:
            failed[c] = DISTANCE
        else:
            for j in range(fences.shape[0]):
                if fences[j, i]:
                    failed[c] = FENCE + j
                    break
    kinds, entry, passing, own_at = location_entries(at, failed, loc_type, len(allowed), used, capacity)
    state, low, passed_items, firsts, missing, alike_as, keep, usable, per_kept = screen_lines(
        at[passing], km[passing], stock, loc_type, per_line, fence_first
    )
    said_line, said_state, said_at, starts, ends, failing = said_by_group(state, firsts)
    entry[passing[missing]] = len(kinds) + len(own_at) + alike_as
    items = np.zeros(len(at), np.int64)
    items[passing] = passed_items
    km_tenths, near = tenths(km)
    kept = passing[keep]
    gathered = np.empty((KEPT_ROWS - 3, len(kept)), np.int64)
    for j in range(len(kept)):
        i = at[kept[j]]
        gathered[0, j], gathered[1, j], gathered[2, j] = i, origin[i], rank[i]
        gathered[3, j] = labour[loc_type[i]]
    listed = (
        _HEAD + 2 * count + len(kinds) + 2 * len(own_at) + len(near) + lines + 2 * len(said_line)
        + len(said_at) + 2 * len(ends) + len(failing)
    )  # fmt: skip
    sizes = np.array(
        [
            listed, count, len(kinds), len(own_at), len(near), lines, len(said_line), len(said_at),
            len(ends), len(failing), len(keep),
        ],
        np.int64,
    )  # fmt: skip
    floats = np.concatenate((km, km_tenths, km[kept]))
    return np.concatenate(
        (
            sizes, entry, items, kinds, own_at, failed[own_at], near, low, said_line, said_state,
            said_at, starts, ends, failing, at, kept, usable.ravel(), per_kept.ravel(), gathered.ravel(),
            floats.view(np.int64),
        )
    )  # fmt: skip


@njit(cache=True, nogil=True)
def location_entries(
    at: np.ndarray,  # considered location indices
    failed: np.ndarray,  # per considered location: 0 or the first location filter failed
    loc_type: np.ndarray,  # per network location
    types: int,  # how many location types there are
    used: np.ndarray,  # per network location: capacity used today
    capacity: np.ndarray,  # per network location: daily capacity
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(distinct kinds, ascending; each location's entry; passing locations; per entry of a
    location's own values, the location).

    A location's kind is 0 when it passed, else `failed * types + its type`: locations of one
    kind share one explanation entry (the filter's values depend at most on the type), and the
    kinds are the first entries. Exclusions carrying a location's own values (re-routing, capacity
    and distance: `core.routing.screening._OWN_KEYS`) have entries after those: first one per (used, capacity) pair of the locations at capacity (as a
    day fills up, an order meets dozens of full stores, most with the same figures), then one per
    other such location, in the order met.
    """
    count = len(at)
    kinds = np.zeros(count, np.int64)
    for c in range(count):
        if failed[c]:
            kinds[c] = failed[c] * types + loc_type[at[c]]
    index = np.zeros(kinds.max() + 1 if count else 1, np.int64)
    for c in range(count):
        index[kinds[c]] = 1
    found = np.flatnonzero(index)
    for d in range(len(found)):
        index[found[d]] = d
    entry = np.empty(count, np.int64)
    for c in range(count):
        entry[c] = index[kinds[c]]
    own_at = np.empty(count, np.int64)
    rows = 0
    for c in range(count):
        if failed[c] == CAPACITY:
            i, row = at[c], -1
            for r in range(rows):
                j = at[own_at[r]]
                if used[j] == used[i] and capacity[j] == capacity[i]:
                    row = r
                    break
            if row < 0:
                own_at[rows], row = c, rows
                rows += 1
            entry[c] = len(found) + row
    for c in range(count):
        if failed[c] == EXCLUDED or failed[c] == DISTANCE:
            own_at[rows], entry[c] = c, len(found) + rows
            rows += 1
    return found, entry, np.flatnonzero(failed == 0), own_at[:rows]


@njit(cache=True, nogil=True)
def screen_lines(
    at: np.ndarray,  # network indices of the locations that passed every location filter
    km: np.ndarray,  # their distances
    stock: np.ndarray,  # [line, 2, location]: has a stock row (0/1), and ATP (0 where none)
    loc_type: np.ndarray,
    per_line: np.ndarray,  # [line]: `LINE_FIGURES`, then the brokering safety stock per location type
    fence_first: np.ndarray,  # [line, location]: 1 + the first category fence excluding it, 0 none
) -> tuple[
    np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray
]:
    """Per line and location the units it may give and why not; the columns of those giving any.

    Returns (state, low, items, firsts, missing, alike_as, keep, usable, per_kept): `state` is 0
    where the location may give the line, 1 + j for category fence j, else a stock state
    `fences + 1 + (ATP - low) * top + safety` (all a shortage sentence depends on); `items` the
    lines each supplies in full. `missing` lists the locations missing some line, `alike_as` for
    each the index in `firsts` of the first location with the same states (their sentences are
    the same). `keep` lists the locations giving some line (every one when there are no lines),
    `usable` the units each may give per line, and `per_kept` their weight sending every usable
    unit, their units, and their distance in tenths of a km (rounded half to even, as `round`).
    """
    lines, count = len(per_line), len(at)
    qty, needed, top, fence_count = per_line[:, 0], per_line[:, 1], per_line[:, 2], per_line[:, 3]
    given = np.zeros((lines, count), np.int64)
    state = np.zeros((lines, count), np.int64)
    items = np.zeros(count, np.int64)
    low = np.zeros(lines, np.int64)
    lacking = np.zeros(count, np.bool_)  # missing some line
    able = np.zeros(count, np.bool_) if lines else np.ones(count, np.bool_)  # giving some line
    for m in range(lines):
        lowest = 0
        for k in range(count):
            i = at[k]
            usable = min(stock[m, 1, i] - per_line[m, LINE_FIGURES + loc_type[i]], qty[m])
            if fence_first[m, i]:
                state[m, k] = fence_first[m, i]
                lacking[k] = True
            elif usable >= needed[m]:
                given[m, k] = usable
                if usable:
                    able[k] = True
                if usable >= qty[m]:
                    items[k] += 1
            else:
                state[m, k] = -1  # short of stock: coded once the lowest ATP is known
                lacking[k] = True
                lowest = min(lowest, stock[m, 1, i])
        low[m] = lowest
        for k in range(count):
            if state[m, k] == -1:
                i = at[k]
                short = stock[m, 1, i] - lowest
                state[m, k] = fence_count[m] + 1 + short * top[m] + per_line[m, LINE_FIGURES + loc_type[i]]
    # Gathered in loops, as below: numba's indexing of a 2-D array by an array is a generic walk.
    missing = np.flatnonzero(lacking)
    states = np.empty((len(missing), lines), np.int64)  # a location's states say all its sentences
    for r in range(len(missing)):
        for m in range(lines):
            states[r, m] = state[m, missing[r]]
    firsts, alike_as = alike(states)
    keep = np.flatnonzero(able)
    usable = np.empty((lines, len(keep)), np.int64)
    per_kept = np.zeros((3, len(keep)), np.int64)
    for j in range(len(keep)):
        k = keep[j]
        for m in range(lines):
            usable[m, j] = given[m, k]
            per_kept[0, j] += per_line[m, 4] * given[m, k]
            per_kept[1, j] += given[m, k]
        per_kept[2, j] = np.rint(km[k] * 10)
    return state, low, items, missing[firsts], missing, alike_as, keep, usable, per_kept


@njit(cache=True, nogil=True)
def said_by_group(
    states: np.ndarray,
    firsts: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The why-not groups' failing lines as (line, state) pairs said once each.

    `states` is [line, location]: the line states (0: the line is given), and group g's are location
    `firsts[g]`'s (read in place: numba gathers a 2-D array's columns in a generic walk). Returns the
    distinct failing (line, state) pairs in the order met, as their lines and states; every
    group's failing lines in line order, end to end, as indexes into those pairs, with where each
    group's start and end there; and the groups failing every line. An order has a dozen groups
    but fewer distinct pairs, each a sentence.
    """
    lines, groups = states.shape[0], len(firsts)
    said_line = np.empty(lines * groups, np.int64)
    said_state = np.empty(lines * groups, np.int64)
    said_at = np.empty(lines * groups, np.int64)
    starts = np.empty(groups, np.int64)
    ends = np.empty(groups, np.int64)
    failing = np.empty(groups, np.int64)
    said, met, every = 0, 0, 0
    for g in range(groups):
        starts[g] = met
        for m in range(lines):
            s = states[m, firsts[g]]
            if not s:
                continue
            found = -1
            for p in range(said):
                if said_state[p] == s and said_line[p] == m:
                    found = p
                    break
            if found < 0:
                said_line[said], said_state[said], found = m, s, said
                said += 1
            said_at[met] = found
            met += 1
        ends[g] = met
        if met - starts[g] == lines:
            failing[every] = g
            every += 1
    return said_line[:said], said_state[:said], said_at[:met], starts, ends, failing[:every]


@njit(cache=True, nogil=True)
def tenths(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`round(x, 1)` of each value, and the indexes of the few values left to `round` itself.

    Away from a tie, the float x * 10 is within a few ulps of the exact product, so its nearest
    integer n is the one `round` finds, and n / 10 is the double nearest n / 10, as `round`
    returns, to the last bit. Values within `_HALF_MARGIN` of a tie are listed for `round`.
    """
    out = np.empty(len(values), np.float64)
    near = np.zeros(len(values), np.bool_)
    for k in range(len(values)):
        tens = values[k] * 10
        whole = np.rint(tens)
        out[k] = whole / 10
        near[k] = abs(abs(tens - whole) - 0.5) < _HALF_MARGIN
    return out, np.flatnonzero(near)


KERNELS = (screen_order,)
INNER = (location_entries, said_by_group, screen_lines, tenths)  # called by `screen_order`
