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

# Location filter codes, 1 + the index in `core.routing.screening._LOCATION_FILTERS`.
EXCLUDED, DISABLED, NO_PICKUP, PICKUP_STORE, LOCATION_TYPE, NOT_SHIPPING, CAPACITY, DISTANCE = range(1, 9)
FENCE = 9  # whole-location fence j: FENCE + j
SOLO_COMPONENTS = 6  # per row of `solo_entries`: shipping, penalty, priority, labour, capacity, bonus
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

# `screen_order` returns its integer arrays end to end in one, after a header of their sizes:
# numba hands each array it returns to Python through a Python call of its own (thousands of
# instructions each). The values Python reads one by one come first, so one `tolist` gives them.
_HEAD = 11  # where the arrays start, then the sizes: considered, kinds, own, near, lines, said,
# said_at, groups, failing, kept


def unpack_screening(ints: np.ndarray, floats: np.ndarray) -> Screening:
    """`screen_order`'s two arrays as the `Screening` they hold (lists, and views of the arrays).

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
    per_kept = ints[b + lines * kept :].reshape(KEPT_ROWS, kept)
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
) -> tuple[np.ndarray, np.ndarray]:
    """A whole order's screening in one call: the considered locations (those holding any line, and
    the pickup store), their distances and the location filters; then `location_entries`,
    `screen_lines` over the locations passing every location filter, `said_by_group` of its
    why-not groups, and `tenths` of the distances.

    One call, with none of the arrays between the steps made in Python: each call and each step
    between costs microseconds, and every order screens.

    Returns the `Screening`'s integers and its distances, packed (`unpack_screening`).
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
    said_line, said_state, said_at, starts, ends, failing = said_by_group(state[:, firsts])
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
    ints = np.concatenate(
        (
            sizes, entry, items, kinds, own_at, failed[own_at], near, low, said_line, said_state,
            said_at, starts, ends, failing, at, kept, usable.ravel(), per_kept.ravel(), gathered.ravel(),
        )
    )  # fmt: skip
    return ints, np.concatenate((km, km_tenths, km[kept]))


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
    missing = np.flatnonzero(lacking)
    firsts, alike_as = alike(state[:, missing].T.copy())  # a location's states say all its sentences
    keep = np.flatnonzero(able)
    usable = given[:, keep]
    per_kept = np.zeros((3, len(keep)), np.int64)
    for j in range(len(keep)):
        for m in range(lines):
            per_kept[0, j] += per_line[m, 4] * usable[m, j]
            per_kept[1, j] += usable[m, j]
        per_kept[2, j] = np.rint(km[keep[j]] * 10)
    return state, low, items, missing[firsts], missing, alike_as, keep, usable, per_kept


@njit(cache=True, nogil=True)
def said_by_group(
    states: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The why-not groups' failing lines as (line, state) pairs said once each.

    `states` is [line, group]: each group's line states (0: the line is given). Returns the
    distinct failing (line, state) pairs in the order met, as their lines and states; every
    group's failing lines in line order, end to end, as indexes into those pairs, with where each
    group's start and end there; and the groups failing every line. An order has a dozen groups
    but fewer distinct pairs, each a sentence.
    """
    lines, groups = states.shape
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
            s = states[m, g]
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
def alike(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(the first row of each distinct value, in the order met; each row's index into those).

    The explanation writes one entry per distinct row (a location's line states, a location's cost
    components alone) and shares it, and the rate broker is asked once per distinct lane key: an
    order has ~100 rows and a few dozen distinct ones, so each row's values are folded into one
    number and looked up in a small open-addressing table of the distinct rows so far (unlike
    `np.unique`, this keeps the order they were met in); rows whose numbers agree are compared in
    full.
    """
    count, width = rows.shape
    folded = np.empty(count, np.int64)
    for k in range(count):
        x = np.int64(0)
        for j in range(width):
            x = x * np.int64(1_000_003) + rows[k, j]  # wraps around: only ever a first filter
        folded[k] = x
    mask = 1
    while mask < 2 * count:
        mask *= 2
    mask -= 1
    slots = np.full(mask + 1, -1, np.int64)  # a distinct row's number, by its folded value
    firsts = np.empty(count, np.int64)
    inverse = np.empty(count, np.int64)
    found = 0
    for k in range(count):
        h = (folded[k] ^ (folded[k] >> 29)) & mask
        while True:
            d = slots[h]
            if d < 0:
                firsts[found], slots[h] = k, found
                inverse[k] = found
                found += 1
                break
            r = firsts[d]
            if folded[r] == folded[k]:
                same = True
                for j in range(width):
                    if rows[r, j] != rows[k, j]:
                        same = False
                        break
                if same:
                    inverse[k] = d
                    break
            h = (h + 1) & mask
    return firsts[:found], inverse


@njit(cache=True, nogil=True)
def twin_waits(
    rows: np.ndarray,  # per option: its lane (< 0: no twins) and what else twins must share
    tie: np.ndarray,  # per option: its rank on the rule set's tie-breaks (equal when they tie)
    code: np.ndarray,  # per option: its rank by location code (all distinct)
    keep: int,  # max_shipments + 1
) -> tuple[np.ndarray, np.ndarray]:
    """Which twins each option waits for: `core.routing.twins.LevelTwins.at`'s rule, over arrays.

    Options with equal rows (and a lane) are twins. Going through each class in tie-break order
    (ties in option order), an option waits for those of the `keep` smallest codes seen before it
    that are below its own. Returns (offsets, members): option j waits for the options
    `members[offsets[j]:offsets[j + 1]]`.
    """
    count = rows.shape[0]
    _, inverse = alike(rows)
    span = tie.max() + 1 if count else 1
    order = np.argsort((inverse * span + tie) * count + np.arange(count))
    waits = np.zeros(count, np.int64)
    held = np.empty(count * keep, np.int64)
    least = np.empty(keep, np.int64)  # option indexes, by code ascending
    start = 0
    while start < count:
        end = start
        while end < count and inverse[order[end]] == inverse[order[start]]:
            end += 1
        if end - start > 1 and rows[order[start], 0] >= 0:
            size = 0
            for r in order[start:end]:
                below = 0
                while below < size and code[least[below]] < code[r]:
                    below += 1
                waits[r] = below
                held[r * keep : r * keep + below] = least[:below]
                if size < keep:
                    size += 1
                elif below == size:
                    continue  # not among the `keep` smallest
                least[below + 1 : size] = least[below : size - 1].copy()
                least[below] = r
        start = end
    offsets = np.zeros(count + 1, np.int64)
    offsets[1:] = np.cumsum(waits)
    members = np.empty(offsets[count], np.int64)
    for r in range(count):
        members[offsets[r] : offsets[r + 1]] = held[r * keep : r * keep + waits[r]]
    return offsets, members


@njit(cache=True, nogil=True)
def solo_entries(
    ticks: np.ndarray,  # per candidate alone: shipping ticks (`no_carrier`: none)
    penalty: np.ndarray,  # its missed-promise part
    priority: np.ndarray,
    labour: np.ndarray,  # ticks per unit
    units: np.ndarray,  # every usable unit
    capacity: np.ndarray,
    bonus: np.ndarray,
    column: np.ndarray,  # each candidate's position among the considered locations
    considered: int,
    no_carrier: int,
) -> np.ndarray:
    """Each considered location's 1 + index in the distinct cost components alone (0 where it was
    not priced), then those components, in the order met: end to end in one array, as each array
    numba returns costs a Python call.

    Components per row: shipping and penalty ticks, priority, labour, capacity, overstock bonus.
    """
    count = len(ticks)
    keys = np.empty((count, SOLO_COMPONENTS), np.int64)
    for k in range(count):
        keys[k, 0], keys[k, 1], keys[k, 2] = ticks[k], penalty[k], priority[k]
        keys[k, 3], keys[k, 4], keys[k, 5] = labour[k] * units[k], capacity[k], bonus[k]
    firsts, inverse = alike(keys)
    at = np.zeros(considered, np.int64)
    for k in range(count):
        if ticks[k] != no_carrier:
            at[column[k]] = inverse[k] + 1
    return np.concatenate((at, keys[firsts].ravel()))


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


@njit(cache=True, nogil=True)
def quoted_ticks(
    ticks: np.ndarray,  # [slot, weight class]
    penalty: np.ndarray,  # [slot, weight class]
    slots: np.ndarray,  # per candidate
    bounds_g: np.ndarray,  # whole-gram floors of the tier bounds, sorted
    ks: np.ndarray,
    weights_g: np.ndarray,  # per k
    missing: int,  # what `ticks` holds for a cell not yet quoted
) -> np.ndarray:
    """Per candidate k and its weight: the quote table's ticks and penalty, and the cells not yet quoted.

    A weight's class is the number of tier bounds strictly under it (`LaneQuoter.weight_class`).
    Returns, end to end in one array (each array numba returns costs a Python call), the ticks,
    the penalties (one per k each) and the indexes into `ks` whose cell is `missing`.
    """
    count = len(ks)
    out = np.empty(count, np.int64)
    late = np.empty(count, np.int64)
    unquoted = np.zeros(count, np.bool_)
    for j in range(count):
        wclass = np.searchsorted(bounds_g, weights_g[j])
        slot = slots[ks[j]]
        out[j], late[j] = ticks[slot, wclass], penalty[slot, wclass]
        unquoted[j] = out[j] == missing
    return np.concatenate((out, late, np.flatnonzero(unquoted)))


@njit(cache=True, nogil=True)
def single_sums(
    n: int,  # candidates
    starts: np.ndarray,  # bundle b's options are entries starts[b]:starts[b + 1] of the next three
    at: np.ndarray,  # candidate of each option
    unit: np.ndarray,  # ticks per unit (splittable bundles) or for the whole bundle, per option
    usable: np.ndarray,  # units each option can give (read for splittable bundles only)
    per_bundle: np.ndarray,  # [bundle]: grams per unit if splittable else the bundle's, units, splittable
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each candidate's single-location plan: what it places of every bundle it can take, alone.

    Returns (units placed, grams, unit costs in ticks) per candidate, `member[b, k]` (candidate k
    takes some of bundle b) and the candidates taking anything, in index order.
    """
    bundles = len(starts) - 1
    placed = np.zeros(n, np.int64)
    weight = np.zeros(n, np.int64)
    cost = np.zeros(n, np.int64)
    member = np.zeros((bundles, n), np.bool_)
    for b in range(bundles):
        piece_g, units, splittable = per_bundle[b, 0], per_bundle[b, 1], per_bundle[b, 2]
        for j in range(starts[b], starts[b + 1]):
            k = at[j]
            qty = usable[j] if splittable else 1
            weight[k] += piece_g * qty
            cost[k] += unit[j] * qty
            placed[k] += qty if splittable else units
            member[b, k] = True
    taking = np.zeros(n, np.bool_)
    for b in range(bundles):
        for k in range(n):
            taking[k] |= member[b, k]
    return placed, weight, cost, member, np.flatnonzero(taking)


@njit(cache=True, nogil=True)
def single_leaders(
    at: np.ndarray,  # candidates taking anything
    ship: np.ndarray,  # their parcel's ticks, `no_carrier` where none carries it
    placed: np.ndarray,  # per candidate (all of them), as `single_sums` gives
    cost: np.ndarray,  # per candidate
    fixed: np.ndarray,  # per candidate: priority and capacity ticks
    total_units: int,
    no_carrier: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The single-location plans that may be the best or the runner-up: (candidates, unplaced, total).

    Keys are (unplaced units, total ticks); a plan ranking after the second least key cannot be
    either, whatever the tie-breaks (ties on the key are kept, as the tie-breaks decide them).
    """
    count = 0
    keep_at = np.empty(len(at), np.int64)
    unplaced = np.empty(len(at), np.int64)
    total = np.empty(len(at), np.int64)
    for j in range(len(at)):
        if ship[j] != no_carrier:
            k = at[j]
            keep_at[count] = k
            unplaced[count] = total_units - placed[k]
            total[count] = cost[k] + ship[j] + fixed[k]
            count += 1
    if count <= 1:
        return keep_at[:count], unplaced[:count], total[:count]
    # The second least key, ties to the earlier position (as a stable sort would)
    first, second = 0, -1
    for j in range(1, count):
        if (unplaced[j], total[j]) < (unplaced[first], total[first]):
            first, second = j, first
        elif second < 0 or (unplaced[j], total[j]) < (unplaced[second], total[second]):
            second = j
    u, c = unplaced[second], total[second]
    kept = 0
    for j in range(count):
        if unplaced[j] < u or (unplaced[j] == u and total[j] <= c):
            keep_at[kept], unplaced[kept], total[kept] = keep_at[j], unplaced[j], total[j]
            kept += 1
    return keep_at[:kept], unplaced[:kept], total[:kept]


@njit(cache=True, nogil=True)
def lightest_pieces(
    n: int, starts: np.ndarray, at: np.ndarray, per_bundle: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(the candidates taking anything, the lightest piece each can send of any bundle).

    `starts`, `at` and `per_bundle` as for `single_sums`.
    """
    none = np.iinfo(np.int64).max
    lightest = np.full(n, none, np.int64)
    for b in range(len(starts) - 1):
        for j in range(starts[b], starts[b + 1]):
            lightest[at[j]] = min(lightest[at[j]], per_bundle[b, 0])
    taking = np.flatnonzero(lightest != none)
    return taking, lightest[taking]


def loaded() -> bool:
    """Whether every loop routing an order priced by lanes calls has been compiled, or loaded from
    numba's cache, in this process (`_INNER`, the loops the others call, come with them)."""
    # In modules of their own, some built on this module's loops: imported late.
    from core.routing.bundle_kernel import bundle_options
    from core.routing.search_kernel import search_whole
    from core.routing.seed_kernel import seed_whole

    return all(kernel.signatures for kernel in (*_KERNELS, bundle_options, seed_whole, search_whole))


_KERNELS = (screen_order, solo_entries, quoted_ticks)
_INNER = (alike, location_entries, said_by_group, screen_lines, tenths, twin_waits)  # called by the others
# Called by the steps that stay in Python (lines that may split units, quoters without lanes), and
# loaded when those first run; `twin_waits` by them too.
_PYTHON_STEPS = (single_sums, single_leaders, lightest_pieces)
