"""Routing's compiled loops besides screening's (`core.routing.screening_kernel`): grouping alike
rows, the twins a search waits for, the solo prices, reading quotes, and the single-location
plans the Python steps settle with.
"""

from __future__ import annotations

import numpy as np
from numba import njit

SOLO_COMPONENTS = 6  # per row of `solo_entries`: shipping, penalty, priority, labour, capacity, bonus


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
    numba's cache, in this process (`_INNER` and screening's `INNER`, the loops the others call,
    come with them)."""
    # In modules of their own, built on this module's loops: imported late.
    from core.routing.bundle_kernel import bundle_options
    from core.routing.fused_kernel import price_and_seed
    from core.routing.screening_kernel import KERNELS
    from core.routing.search_kernel import search_whole
    from core.routing.seed_kernel import seed_whole

    compiled = (*_KERNELS, *KERNELS, bundle_options, price_and_seed, seed_whole, search_whole)
    return all(kernel.signatures for kernel in compiled)


_KERNELS = (solo_entries, quoted_ticks)
_INNER = (alike, twin_waits)  # called by the others
# Called by the steps that stay in Python (lines that may split units, quoters without lanes), and
# loaded when those first run; `twin_waits` by them too.
_PYTHON_STEPS = (single_sums, single_leaders, lightest_pieces)
