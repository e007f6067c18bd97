"""The branch and bound over bundles that travel whole as one compiled loop, step for step with
`core.routing.search.branch_and_bound`.

The Python search spends most of its time calling small functions (a quote, a bound, a key) a few
thousand times per order that searches. Here the same steps run over arrays: the recursion is a
loop over levels (level i places bundle i, so one frame per level), quotes are read from the quote
table's arrays (every cell it reads was quoted first: `core.routing.seed_kernel`), and plans are
`core.routing.compiled_plans`' integer rows. Everything the Python search visits, prunes and
offers is the same, so the best plan, the runner-up and the node count are too.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from core.routing.compiled_plans import (
    COST,
    EXACT,
    MAX_NODES,
    MAX_SHIPMENTS,
    MIN_COST,
    MIN_VALUE,
    NODES,
    OPENED,
    OPTIONS,
    PARTS,
    PENALTY,
    PLACEABLE,
    UNITS,
    UNPLACED,
    VALUE,
    VISITED,
    WEIGHT,
    Array,
    bundle_tables,
    keep_plan,
    kept_views,
    less,
    plan_key,
    runner_up_is_best,
    same_locations,
    ship_ticks,
)
from core.routing.kernels import twin_waits
from core.routing.quote_table import NO_CARRIER

_NEVER = 1 << 62  # an opening no plan can afford: no carrier takes the bundle from there


@njit(cache=True, nogil=True)
def _scan(
    i: int, nb: int, able: Array, bundle: Array, alone_cost: Array, alone_at: Array,
    opened: Array, n_opened: int, count: Array, weight: Array, ship_now: Array,
    ticks: Array, slots: Array, floors: Array, max_ship: int, pen: int,
    forced: Array, out_j: Array, out_least: Array,
) -> tuple[int, int, int]:  # fmt: skip
    """`Bounds._scan`: (units that must stay unplaced, least cost) of bundles i.., and in
    `out_j`/`out_least` each placeable bundle's least growth; returns their number too."""
    unplaced, units, dearest, listed = forced[i], 0, 0, 0
    full = n_opened >= max_ship
    opening = pen if n_opened else 0
    for j in range(i, nb):
        if not bundle[j, OPTIONS]:
            continue
        least, found = 0, False
        for o in range(n_opened):
            k = opened[o]
            if able[j, k]:
                s = ship_ticks(ticks, slots, floors, k, weight[k] + bundle[j, WEIGHT])
                if s != NO_CARRIER and (not found or s - ship_now[k] < least):
                    least, found = s - ship_now[k], True
        if not full:
            for a in range(alone_at.shape[1]):
                k = alone_at[j, a]
                if k < 0:
                    break
                if count[k] == 0:
                    c = alone_cost[j, a] + opening
                    if not found or c < least:
                        least, found = c, True
                    break
        if not found:  # it can join no open parcel and may not open one
            unplaced += bundle[j, PLACEABLE]
            continue
        units += bundle[j, MIN_COST]
        dearest = max(dearest, least)
        out_j[listed], out_least[listed] = j, least
        listed += 1
    return unplaced, units + dearest, listed


@njit(cache=True, nogil=True)
def _openings(
    at: Array, unit: Array, bundle: Array, fixed: Array, code: Array, ticks: Array, slots: Array,
    floors: Array, keep: int,
) -> tuple[Array, Array, Array, Array]:  # fmt: skip
    """Per bundle, its options cheapest opening first and what opening each costs at least (its own
    parcel from there, as `search._whole_openings`), and its `keep` cheapest parcels of its own
    with their candidates (-1 after the last), as `bounds.cheapest_alone`."""
    nb, width = at.shape
    options, opening = np.full((nb, width), -1, np.int64), np.zeros((nb, width), np.int64)
    alone_cost, alone_at = np.zeros((nb, keep), np.int64), np.full((nb, keep), -1, np.int64)
    for b in range(nb):
        count = bundle[b, OPTIONS]
        ks = at[b, :count]
        cost = np.empty(count, np.int64)
        held = 0
        for r in range(count):
            k = ks[r]
            t = ship_ticks(ticks, slots, floors, k, bundle[b, WEIGHT])
            if t == NO_CARRIER:
                cost[r] = _NEVER
                continue
            parcel = t + fixed[k]
            cost[r] = unit[b, k] + parcel
            # insert (parcel, k) among the `keep` least so far, by parcel then candidate
            place = held
            while place > 0 and (
                alone_cost[b, place - 1] > parcel
                or (alone_cost[b, place - 1] == parcel and alone_at[b, place - 1] > k)
            ):
                place -= 1
            if place < keep:
                last = min(held, keep - 1)
                alone_cost[b, place + 1 : last + 1] = alone_cost[b, place:last].copy()
                alone_at[b, place + 1 : last + 1] = alone_at[b, place:last].copy()
                alone_cost[b, place], alone_at[b, place] = parcel, k
                held = min(held + 1, keep)
        by_code = np.argsort(code[ks])
        order = by_code[np.argsort(cost[by_code], kind="mergesort")]  # ties by code
        options[b, :count], opening[b, :count] = ks[order], cost[order]
    return options, opening, alone_cost, alone_at


@njit(cache=True, nogil=True)
def search_whole(
    starts: Array,  # `Problem.options_table`, as for `seed_whole`
    flat_at: Array,
    flat_unit: Array,
    per_bundle: Array,
    fixed: Array,  # per candidate: priority and capacity ticks per shipment
    ticks: Array,  # the quote table's ticks [slot, weight class]
    slots: Array,  # per candidate
    floors: Array,  # the weight classes' bounds
    cells: Array,  # `LevelTwins.cells`
    tie: Array,  # per candidate: rank on the tie-breaks of one location
    code: Array,  # per candidate: rank by code
    dist: Array,  # per candidate: distance in tenths of a km
    prio: Array,
    kinds: Array,  # the rule set's tie-breaks (FEWEST_SHIPMENTS ...)
    params: Array,  # PENALTY, MAX_SHIPMENTS, MIN_VALUE, MAX_NODES
    kept: Array,  # `kept_plans`: the best plan and the runner-up, as `seed_whole` left them
) -> Array:
    """Search as `search.branch_and_bound` does for whole bundles; `kept` is updated in place;
    every cell of the quote table it reads is quoted (`seed_whole` saw to it).
    Returns (EXACT, VISITED)."""
    n = len(fixed)
    at, able, unit, bundle = bundle_tables(n, starts, flat_at, flat_unit, per_bundle)
    nb = bundle.shape[0]
    key, counts, parts, locs, n_locs = kept_views(kept, kinds, nb, params[MAX_SHIPMENTS])
    pen, max_ship, min_value, max_nodes = (
        params[PENALTY],
        params[MAX_SHIPMENTS],
        params[MIN_VALUE],
        params[MAX_NODES],
    )
    width = key.shape[1]
    result = np.zeros(2, np.int64)
    result[EXACT] = 1
    forced, rest = np.zeros(nb + 1, np.int64), np.zeros(nb + 1, np.int64)
    for i in range(nb - 1, -1, -1):
        forced[i] = forced[i + 1] + bundle[i, UNITS] - bundle[i, PLACEABLE]
        rest[i] = rest[i + 1] + (bundle[i, MIN_COST] if bundle[i, OPTIONS] else 0)
    count, weight = np.zeros(n, np.int64), np.zeros(n, np.int64)
    value, ship_now = np.zeros(n, np.int64), np.zeros(n, np.int64)
    opened = np.empty(max_ship, np.int64)
    plan = np.empty((nb, 3), np.int64)
    st = np.zeros(5, np.int64)  # COST, UNPLACED, OPENED, PARTS, NODES
    scratch = np.empty(width, np.int64)
    listed_j, listed_least = np.empty(nb, np.int64), np.empty(nb, np.int64)
    # per level: phase (0 open locations, 1 openings, 2 leave unplaced, 3 done), position, the
    # candidate placed, locations open on entry, and the bounds of later bundles (`leasts`)
    phase, pos = np.zeros(nb + 1, np.int64), np.zeros(nb + 1, np.int64)
    placed_at, open_on_entry = np.zeros(nb + 1, np.int64), np.zeros(nb + 1, np.int64)
    later_n = np.full(nb + 1, -1, np.int64)
    later_j, later_least = np.zeros((nb + 1, nb), np.int64), np.zeros((nb + 1, nb), np.int64)
    keep = max_ship + 1
    options, opening, alone_cost, alone_at = _openings(
        at, unit, bundle, fixed, code, ticks, slots, floors, keep
    )
    width_opts = options.shape[1]
    twins_done = np.zeros(nb, np.bool_)
    twin_off = np.zeros((nb, width_opts + 1), np.int64)
    twin_of = np.zeros((nb, width_opts * keep), np.int64)

    def ship(k: int, w: int) -> int:
        return ship_ticks(ticks, slots, floors, k, w)

    def add(b: int, k: int) -> bool:
        w = weight[k] + bundle[b, WEIGHT]
        s = ship(k, w)
        if s == NO_CARRIER:
            return False
        delta = s - ship_now[k] + unit[b, k]
        if count[k] == 0:
            if st[OPENED] >= max_ship:
                return False
            delta += fixed[k] + (pen if st[OPENED] else 0)
            opened[st[OPENED]] = k
            st[OPENED] += 1
        weight[k], ship_now[k] = w, s
        value[k] += bundle[b, VALUE]
        count[k] += 1
        st[COST] += delta
        plan[st[PARTS], 0], plan[st[PARTS], 1], plan[st[PARTS], 2] = b, k, bundle[b, UNITS]
        st[PARTS] += 1
        return True

    def remove(b: int, k: int) -> None:
        st[PARTS] -= 1
        count[k] -= 1
        value[k] -= bundle[b, VALUE]
        weight[k] -= bundle[b, WEIGHT]
        delta = unit[b, k] + ship_now[k]
        if count[k] == 0:
            st[OPENED] -= 1
            delta += fixed[k] + (pen if st[OPENED] else 0)
            ship_now[k] = 0
        else:
            s = ship(k, weight[k])
            ship_now[k] = s if s != NO_CARRIER else 0
        st[COST] -= delta - ship_now[k]

    def scan(i: int, level: int) -> tuple[int, int, int]:
        out_j = later_j[level] if level >= 0 else listed_j
        out_least = later_least[level] if level >= 0 else listed_least
        return _scan(
            i, nb, able, bundle, alone_cost, alone_at, opened, st[OPENED], count, weight, ship_now,
            ticks, slots, floors, max_ship, pen, forced, out_j, out_least,
        )  # fmt: skip

    def pruned(i: int) -> bool:
        if not counts[0]:
            return False
        best_unplaced, best_cost = key[0, 0], key[0, 1]
        if st[UNPLACED] + forced[i] > best_unplaced:
            return True
        more, least, _ = scan(i, -1)
        unplaced = st[UNPLACED] + more
        if unplaced != best_unplaced:
            return unplaced > best_unplaced
        bound = st[COST] + least
        if bound != best_cost:
            return bound > best_cost
        plan_key(scratch, unplaced, bound, kinds, opened, st[OPENED], plan, st[PARTS], dist, prio, code)
        return not less(scratch, key[0])

    def place(i: int, k: int) -> bool:
        """Bundle i at k: True to go down a level with it there; False, undone, if it cannot go or
        is pruned."""
        if add(i, k):
            if not pruned(i + 1):
                placed_at[i] = k
                return True
            remove(i, k)
        return False

    def hopeless(i: int, least: int) -> bool:
        if not counts[0]:
            return False
        unplaced = st[UNPLACED] + forced[i]
        if unplaced != key[0, 0]:
            return unplaced > key[0, 0]
        return st[COST] + least + rest[i] > key[0, 1]

    def leaf() -> None:
        if not st[PARTS]:
            return
        if st[OPENED] > 1:
            for o in range(st[OPENED]):
                if value[opened[o]] < min_value:
                    return
        plan_key(
            scratch, st[UNPLACED], st[COST], kinds, opened, st[OPENED], plan, st[PARTS], dist, prio, code
        )
        here = opened[: st[OPENED]]
        if not counts[0]:
            keep_plan(0, key, counts, parts, locs, n_locs, scratch, plan, st[PARTS], here)
        elif less(scratch, key[0]):
            if not same_locations(here, locs[0], n_locs[0]):
                runner_up_is_best(key, counts, parts, locs, n_locs)
            keep_plan(0, key, counts, parts, locs, n_locs, scratch, plan, st[PARTS], here)
        elif not same_locations(here, locs[0], n_locs[0]) and (not counts[1] or less(scratch, key[1])):
            keep_plan(1, key, counts, parts, locs, n_locs, scratch, plan, st[PARTS], here)

    def twins_at(i: int) -> None:
        """`LevelTwins.at(i)`, kept per level."""
        if not twins_done[i]:
            count_i = bundle[i, OPTIONS]
            columns = 2 + cells.shape[1] - (2 + 3 * i)
            rows = np.empty((count_i, columns), np.int64)
            for r in range(count_i):
                k = options[i, r]
                rows[r, 0], rows[r, 1] = cells[k, 0], cells[k, 1]
                rows[r, 2:] = cells[k, 2 + 3 * i :]
            at = options[i, :count_i]
            offsets, members = twin_waits(rows, tie[at], code[at], keep)
            twin_off[i, : count_i + 1] = offsets
            for m in range(len(members)):
                twin_of[i, m] = at[members[m]]
            twins_done[i] = True

    i = 0
    entering = True
    while True:
        if entering:
            st[NODES] += 1
            if st[NODES] > max_nodes:
                result[EXACT] = 0
                break
            if i == nb:
                leaf()
                phase[i] = 3  # nothing to try below a leaf: back to the level above
            else:
                phase[i], pos[i], open_on_entry[i], later_n[i] = 0, 0, st[OPENED], -1
        entering = False
        descend = False
        if phase[i] == 0:  # join a location already open
            while pos[i] < open_on_entry[i]:
                k = opened[pos[i]]
                pos[i] += 1
                if able[i, k] and place(i, k):
                    descend = True
                    break
            if not descend:
                phase[i], pos[i] = (1 if st[OPENED] < max_ship else 2), 0
        if not descend and phase[i] == 1:  # open a location, cheapest opening first
            extra = pen if st[OPENED] else 0
            while pos[i] < bundle[i, OPTIONS]:
                j = pos[i]
                k = options[i, j]
                pos[i] += 1
                if count[k]:
                    continue
                if hopeless(i + 1, opening[i, j] + extra):
                    break
                twins_at(i)
                lo, hi = twin_off[i, j], twin_off[i, j + 1]
                if hi > lo:
                    if hi - lo > st[OPENED]:
                        continue
                    waiting = False
                    for m in range(lo, hi):
                        waiting |= count[twin_of[i, m]] == 0
                    if waiting:
                        continue  # a twin that wins the tie-breaks is still unopened
                if counts[0] and st[UNPLACED] + forced[i + 1] == key[0, 0]:
                    if later_n[i] < 0:
                        _, _, later_n[i] = scan(i + 1, i)
                    dearest = 0
                    for m in range(later_n[i]):
                        if not able[later_j[i, m], k]:
                            dearest = max(dearest, later_least[i, m])
                    if st[COST] + opening[i, j] + extra + rest[i + 1] + dearest > key[0, 1]:
                        continue
                if place(i, k):
                    descend = True
                    break
            if not descend:
                phase[i] = 2
        if not descend and phase[i] == 2:  # leave the bundle unplaced
            st[UNPLACED] += bundle[i, UNITS]
            if not pruned(i + 1):
                descend = True
            else:
                st[UNPLACED] -= bundle[i, UNITS]
                phase[i] = 3
        if descend:
            i += 1
            entering = True
            continue
        # this level is done: return to the one above, undoing what it did before coming down
        i -= 1
        if i < 0:
            break
        if phase[i] == 2:
            st[UNPLACED] -= bundle[i, UNITS]
            phase[i] = 3
        else:
            remove(i, placed_at[i])
    result[VISITED] = st[NODES]
    return result
