"""An order's single-location plans, the proof that one is best, and the branch and bound over
bundles that travel whole, as compiled loops, step for step with `core.routing.single` and
`core.routing.search`.

The Python search spends most of its time calling small functions (a quote, a bound, a key) a few
thousand times per order that searches. Here the same steps run over arrays: the recursion is a
loop over levels (level i places bundle i, so one frame per level), quotes are read from the quote
table's arrays (`core.routing.quote_table`), and a plan's key is an integer row compared
lexicographically. The rule set's tie-breaks become integers: shipments, summed distance tenths or
priorities, and for `location_code` the plan's parts as (code rank, units) pairs, padded with -1 so
a shorter list of parts sorts first, as Python's tuples do. Everything the Python steps price,
visit, prune and offer is the same, so the best plan, the runner-up and the node count are too.

Quotes cannot be asked for from here. Every parcel a plan, a bound or the proof prices weighs what
some of the order's bundles weigh together (or is one of the proof's heavy parcels) and leaves a
location able to take some bundle, so `seed_whole` first checks those cells of the quote table and,
if any was never quoted, returns them for the caller to quote before calling again.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from core.routing.kernels import twin_waits
from core.routing.quote_table import NO_CARRIER

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
# `meta` rows of a kept plan
HAS, COUNT, PLAN_UNPLACED, PLAN_COST = range(4)
_NEVER = 1 << 62  # an opening no plan can afford: no carrier takes the bundle from there


def key_width(kinds: np.ndarray, nb: int) -> int:
    """Integers in a plan's key: unplaced units, cost, then one per tie-break (2 per part for codes)."""
    return 2 + sum(2 * nb if kind == LOCATION_CODE else 1 for kind in kinds.tolist())


@njit(cache=True, nogil=True)
def _ship(ticks: Array, slots: Array, floors: Array, k: int, w: int) -> int:
    """`Problem.ship`: ticks to send w grams from k, NO_CARRIER if no carrier takes it."""
    return ticks[slots[k], np.searchsorted(floors, w)]  # type: ignore[no-any-return]


@njit(cache=True, nogil=True)
def _key(
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
def _less(a: Array, b: Array) -> bool:
    for j in range(len(a)):
        if a[j] != b[j]:
            return a[j] < b[j]
    return False


@njit(cache=True, nogil=True)
def _same_locations(opened: Array, n_opened: int, locs: Array, n_locs: int) -> bool:
    if n_opened != n_locs:
        return False
    for o in range(n_opened):
        found = False
        for m in range(n_locs):
            found |= locs[m] == opened[o]
        if not found:
            return False
    return True


@njit(cache=True, nogil=True)
def _keep(
    slot: int, key: Array, meta: Array, parts: Array, locs: Array, n_locs: Array,
    from_key: Array, from_parts: Array, n_parts: int, from_locs: Array,
) -> None:  # fmt: skip
    """Make kept plan `slot` (0 best, 1 runner-up) the given one."""
    key[slot, :] = from_key
    meta[slot, HAS], meta[slot, COUNT] = 1, n_parts
    meta[slot, PLAN_UNPLACED], meta[slot, PLAN_COST] = from_key[0], from_key[1]
    parts[slot, :n_parts] = from_parts[:n_parts]
    locs[slot, : len(from_locs)] = from_locs
    n_locs[slot] = len(from_locs)


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
                s = _ship(ticks, slots, floors, k, weight[k] + bundle[j, WEIGHT])
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
            t = _ship(ticks, slots, floors, k, bundle[b, WEIGHT])
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
def _tables(
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


@njit(cache=True, nogil=True)
def _unquoted(
    bundle: Array, able: Array, max_ship: int, ticks: Array, slots: Array, floors: Array, missing: int
) -> Array:
    """(candidate, grams) standing for each cell of the quote table the loops here may read that
    was never quoted: every candidate able to take some bundle, with every weight some bundles
    make together (any plan's parcel, and a bound's) and the single-location proof's heavy ones."""
    nb, n = able.shape
    weights = np.zeros(1 << nb, np.int64)
    for b in range(nb):
        half = 1 << b
        weights[half : 2 * half] = weights[:half] + bundle[b, WEIGHT]
    heaviest = total = 0
    for b in range(nb):
        if bundle[b, OPTIONS]:
            heaviest, total = max(heaviest, bundle[b, WEIGHT]), total + bundle[b, WEIGHT]
    heavy = np.array([max(heaviest, -(-total // s)) for s in range(2, max_ship + 1)], np.int64)
    weights = np.sort(np.concatenate((weights[1:], heavy)))
    classes = np.searchsorted(floors, weights)
    first = np.ones(len(weights), np.bool_)  # one weight per class stands for all of them
    first[1:] = classes[1:] != classes[:-1]
    weights, classes = weights[first], classes[first]
    found = []
    for k in range(n):
        taking = False
        for b in range(nb):
            taking |= able[b, k]
        if taking:
            for j in range(len(weights)):
                if ticks[slots[k], classes[j]] == missing:
                    found.append((k, weights[j]))
    out = np.empty((len(found), 2), np.int64)
    for r in range(len(found)):
        out[r, 0], out[r, 1] = found[r]
    return out


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
    key: Array,  # [2, key_width]: filled with the best single-location plan and the runner-up
    meta: Array,
    parts: Array,
    locs: Array,
    n_locs: Array,
) -> tuple[bool, Array]:
    """`single.seed` for bundles that travel whole: the two least single-location plans, by their
    full keys (ties to the lower candidate index, as its stable sort). With `prove`, then whether
    the search must run: some bundle has an option and `single_location_is_optimal` fails.

    Returns (whether to search, the cells to quote first): when some cell the loops may read was
    never quoted, nothing else is done, and the caller quotes them and calls again.
    """
    n = len(fixed)
    at, able, unit, bundle = _tables(n, starts, flat_at, flat_unit, per_bundle)
    unquoted = _unquoted(bundle, able, params[MAX_SHIPMENTS], ticks, slots, floors, missing)
    if len(unquoted):
        return False, unquoted
    nb = bundle.shape[0]
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
        t = _ship(ticks, slots, floors, k, weight[k])
        if t == NO_CARRIER:
            continue
        count = 0
        for b in range(nb):
            if able[b, k]:
                plan[count, 0], plan[count, 1], plan[count, 2] = b, k, bundle[b, UNITS]
                count += 1
        opened[0] = k
        _key(
            scratch,
            total_units - placed[k],
            cost[k] + t + fixed[k],
            kinds,
            opened,
            1,
            plan,
            count,
            dist,
            prio,
            code,
        )
        if not meta[0, HAS] or _less(scratch, key[0]):
            if meta[0, HAS]:
                _keep(
                    1,
                    key,
                    meta,
                    parts,
                    locs,
                    n_locs,
                    key[0].copy(),
                    parts[0].copy(),
                    meta[0, COUNT],
                    locs[0, :1].copy(),
                )
            _keep(0, key, meta, parts, locs, n_locs, scratch, plan, count, opened)
        elif not meta[1, HAS] or _less(scratch, key[1]):
            _keep(1, key, meta, parts, locs, n_locs, scratch, plan, count, opened)
    if not prove or not placeable:
        return False, unquoted
    if not meta[0, HAS] or key[0, 0] != forced:
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
        t = _ship(ticks, slots, floors, k, lightest[k])
        floor = fixed[k] + (t if t != NO_CARRIER else 0)  # as the search does: no carrier is no bound
        if first < 0 or floor < first:
            first, second = floor, first
        elif second < 0 or floor < second:
            second = floor
    if taking < 2 or first + second + pen + units > best_cost:
        return False, unquoted
    # With s parcels the heaviest weighs at least the total / s (and at least the heaviest piece).
    for s in range(2, max_ship + 1):
        heavy = max(heaviest, -(-total_weight // s))
        dearest = -1
        for k in range(n):
            if lightest[k] >= 0:
                t = _ship(ticks, slots, floors, k, heavy)
                if t != NO_CARRIER and (dearest < 0 or t + fixed[k] < dearest):
                    dearest = t + fixed[k]
        if dearest >= 0 and dearest + (s - 1) * (first + pen) + units <= best_cost:
            return True, unquoted
    return False, unquoted


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
    key: Array,  # [2, key_width]: the best plan's key and the runner-up's, as `seed` left them
    meta: Array,  # [2, 4]: HAS, COUNT (parts), PLAN_UNPLACED, PLAN_COST of each
    parts: Array,  # [2, bundle, 3]: their parts (bundle, candidate, units)
    locs: Array,  # [2, max_shipments]: their locations; how many in `n_locs`
    n_locs: Array,
) -> Array:
    """Search as `search.python_search` does for whole bundles; `key`, `meta`, `parts`, `locs`
    and `n_locs` are updated in place; every cell of the quote table it reads is quoted
    (`seed_whole` saw to it). Returns (EXACT, VISITED)."""
    n = len(fixed)
    at, able, unit, bundle = _tables(n, starts, flat_at, flat_unit, per_bundle)
    nb = bundle.shape[0]
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
        return _ship(ticks, slots, floors, k, w)

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
        if not meta[0, HAS]:
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
        _key(scratch, unplaced, bound, kinds, opened, st[OPENED], plan, st[PARTS], dist, prio, code)
        return not _less(scratch, key[0])

    def hopeless(i: int, least: int) -> bool:
        if not meta[0, HAS]:
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
        _key(scratch, st[UNPLACED], st[COST], kinds, opened, st[OPENED], plan, st[PARTS], dist, prio, code)
        here = opened[: st[OPENED]]
        if not meta[0, HAS]:
            _keep(0, key, meta, parts, locs, n_locs, scratch, plan, st[PARTS], here)
        elif _less(scratch, key[0]):
            if not _same_locations(here, len(here), locs[0], n_locs[0]):
                _keep(
                    1,
                    key,
                    meta,
                    parts,
                    locs,
                    n_locs,
                    key[0].copy(),
                    parts[0].copy(),
                    meta[0, COUNT],
                    locs[0, : n_locs[0]].copy(),
                )
            _keep(0, key, meta, parts, locs, n_locs, scratch, plan, st[PARTS], here)
        elif not _same_locations(here, len(here), locs[0], n_locs[0]) and (
            not meta[1, HAS] or _less(scratch, key[1])
        ):
            _keep(1, key, meta, parts, locs, n_locs, scratch, plan, st[PARTS], here)

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
                entering = False
                i -= 1
                if i < 0:
                    break
                if phase[i] == 2:
                    st[UNPLACED] -= bundle[i, UNITS]
                    phase[i] = 3
                else:
                    remove(i, placed_at[i])
                continue
            phase[i], pos[i], open_on_entry[i], later_n[i] = 0, 0, st[OPENED], -1
        entering = False
        descend = False
        if phase[i] == 0:  # join a location already open
            while pos[i] < open_on_entry[i]:
                k = opened[pos[i]]
                pos[i] += 1
                if able[i, k] and add(i, k):
                    if not pruned(i + 1):
                        placed_at[i] = k
                        descend = True
                        break
                    remove(i, k)
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
                if meta[0, HAS] and st[UNPLACED] + forced[i + 1] == key[0, 0]:
                    if later_n[i] < 0:
                        _, _, later_n[i] = scan(i + 1, i)
                    dearest = 0
                    for m in range(later_n[i]):
                        if not able[later_j[i, m], k]:
                            dearest = max(dearest, later_least[i, m])
                    if st[COST] + opening[i, j] + extra + rest[i + 1] + dearest > key[0, 1]:
                        continue
                if add(i, k):
                    if not pruned(i + 1):
                        placed_at[i] = k
                        descend = True
                        break
                    remove(i, k)
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
