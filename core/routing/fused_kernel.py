"""An order's bundles, lanes, solo quotes and single-location plans in one compiled call.

Between screening and the decision, an order went through five compiled calls (the bundles'
options, the lanes' slots, the solo quotes, the single-location plans and the proof) with Python
in between: array arguments made, results unpacked, numpy steps of a microsecond each. Most orders
need nothing the compiled loops cannot read: their context's lanes and the quote table's cells
are already known. For them this one call does the lot, each step the very function the separate
calls use, and reports in its first value whether it got through; where it did not (a lane or a
quote never met, a location no carrier serves) it says which, and the caller
(`core.routing.fused`) finds, quotes or excludes them as the separate steps would, and calls again.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from core.routing.bundle_kernel import member_columns, options_and_tables
from core.routing.compiled_plans import MAX_SHIPMENTS, Array, kept_plans
from core.routing.kernels import solo_entries
from core.routing.quote_table import MISSING, NO_CARRIER
from core.routing.seed_kernel import seed_tables

# The first value of `price_and_seed`'s result: settled, or why the separate steps must run.
SETTLED, LANE_UNKNOWN, QUOTE_UNKNOWN, NOT_CARRIED = range(4)
HEAD = 4  # the result's first values: the outcome above, whether the search must run, where `kept`
# and where `solo_entries`' result begin


@njit(cache=True, nogil=True)
def price_and_seed(
    usable: Array,  # `Eligible`'s columns, as `core.routing.bundle_kernel.bundle_options` reads them
    labour: Array,
    overstock: Array,
    members: Array,  # `Members.packed`: `bundle_options`' per-member rows and bundle bounds
    weight_g: Array,  # per candidate: what it would send alone
    pickup_here: Array,
    origin: Array,  # per candidate: its origin group (`LaneQuoter.lanes_at`)
    km: Array,
    edges: Array,  # the rate broker's distance-band edges
    cells: Array,  # the order's context: lane id per (origin group, band), -1 where never met
    by_lane: Array,  # the quote table's slot of each lane id, -1 where it has none
    ticks: Array,  # the quote table's [slot, weight class] ticks and their missed-promise part
    penalty: Array,
    floors: Array,
    fixed: Array,  # per candidate: priority and capacity ticks per shipment
    priority: Array,  # fixed's two parts, units and bonus: what `solo_entries` reads
    capacity: Array,
    units: Array,
    bonus: Array,
    considered: int,
    code: Array,  # per candidate: its position among the considered locations
    dist: Array,
    prio: Array,
    kinds: Array,
    params: Array,
) -> Array:
    """`Problem`'s lanes and options, `solo.priced`'s quotes, the explanation's `solo_entries` and
    `whole_search.settle_whole`'s seed and proof, for an order whose bundles all travel whole and
    that is searched exactly (the entries made here save `solo.rows` a compiled call of its own).

    Returns, end to end: the outcome (SETTLED or why not), whether the search must run, where the
    plans `seed_tables` kept begin and where `solo_entries`' result begins, then `bundle_options`'
    result, per candidate its lane id, its slot, its solo ticks and their missed-promise part, the
    kept plans (`kept_plans`) and `solo_entries`' result. Where a cell the loops read was never
    quoted, nothing else is done, and the result is `_asking`'s instead; where no carrier takes
    some candidate's own parcel, it is NOT_CARRIED, their number, 0, 0 and those candidates; for
    LANE_UNKNOWN, only the outcome is meaningful.
    """
    n = len(labour)
    lane = np.full(n, -1, np.int64)
    slot = np.zeros(n, np.int64)
    bands = len(edges) + 1
    for k in range(n):
        if not pickup_here[k]:
            cell = origin[k] * bands + np.searchsorted(edges, km[k], "right")
            found = cells[cell]
            if found < 0 or found >= len(by_lane) or by_lane[found] < 0:
                return np.array([LANE_UNKNOWN, 0, 0, 0], np.int64)
            lane[k], slot[k] = found, by_lane[found]
    solo = np.empty(n, np.int64)
    late = np.empty(n, np.int64)
    wclass = np.searchsorted(floors, weight_g)
    asked, uncarried = [], 0
    for k in range(n):
        solo[k], late[k] = ticks[slot[k], wclass[k]], penalty[slot[k], wclass[k]]
        if solo[k] == MISSING:
            asked.append((k, wclass[k]))
        elif solo[k] == NO_CARRIER:
            uncarried += 1
    if len(asked):
        return _asking(lane, slot, asked)
    if uncarried:
        dropped = np.flatnonzero(solo == NO_CARRIER)
        return np.concatenate((np.array([NOT_CARRIED, uncarried, 0, 0], np.int64), dropped))
    max_shipments = params[MAX_SHIPMENTS]
    per_line, first, splittable = member_columns(members)
    options, at, able, unit, bundle = options_and_tables(
        usable, labour, overstock, per_line, first, splittable, max_shipments
    )
    kept = kept_plans(kinds, len(first) - 1, max_shipments)
    must_search, unquoted = seed_tables(
        at, able, unit, bundle, fixed, ticks, slot, floors, MISSING,
        code, dist, prio, kinds, params, True, kept,
    )  # fmt: skip
    if len(unquoted):
        for r in range(len(unquoted)):
            asked.append((unquoted[r, 0], np.searchsorted(floors, unquoted[r, 1])))
        return _asking(lane, slot, asked)
    entries = solo_entries(solo, late, priority, labour, units, capacity, bonus, code, considered, NO_CARRIER)
    kept_at = HEAD + len(options) + 4 * n
    head = np.array([SETTLED, 1 if must_search else 0, kept_at, kept_at + len(kept)], np.int64)
    return np.concatenate((head, options, lane, slot, solo, late, kept, entries))


@njit(cache=True, nogil=True)
def _asking(lane: Array, slot: Array, asked: list[tuple[int, int]]) -> Array:
    """QUOTE_UNKNOWN's result: the outcome, the number of cells, 0 and 0, each candidate's lane
    and slot, then each cell never quoted as (candidate, weight class)."""
    out = np.empty(HEAD + 2 * len(lane) + 2 * len(asked), np.int64)
    out[0], out[1], out[2], out[3] = QUOTE_UNKNOWN, len(asked), 0, 0
    n = len(lane)
    out[HEAD : HEAD + n], out[HEAD + n : HEAD + 2 * n] = lane, slot
    for r in range(len(asked)):
        out[HEAD + 2 * n + 2 * r], out[HEAD + 2 * n + 2 * r + 1] = asked[r]
    return out
