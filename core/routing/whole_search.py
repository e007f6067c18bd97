"""The branch and bound of an order whose bundles all travel whole, run by the compiled loop.

Orders whose lines may split units, or priced by a quoter without lanes (whose quotes cannot be
read from arrays), keep the Python search (`core.routing.search`); both give the same plans, which
a property test checks on random orders.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from core.routing.problem import Part, Plan, Problem
from core.routing.search_kernel import (
    BEST_CHANGED,
    COUNT,
    EXACT,
    FEWEST_SHIPMENTS,
    LOCATION_CODE,
    LOWEST_PRIORITY,
    PLAN_COST,
    PLAN_UNPLACED,
    RUNNER_UP_CHANGED,
    SHORTEST_DISTANCE,
    VISITED,
    key_width,
    search_whole,
)
from core.routing.twins import LevelTwins

if TYPE_CHECKING:
    from core.routing.search import Outcome

_KINDS = {
    "fewest_shipments": FEWEST_SHIPMENTS,
    "shortest_distance": SHORTEST_DISTANCE,
    "lowest_priority": LOWEST_PRIORITY,
    "location_code": LOCATION_CODE,
}


def search_whole_bundles(p: Problem, out: Outcome, twins: LevelTwins) -> None:
    """Search as `search.python_search` would, for bundles that all travel whole, priced by lanes."""
    bundles, n, rules = p.bundles, p.n, p.rules
    nb = len(bundles)
    at = np.full((nb, max(len(bd.at) for bd in bundles)), -1, np.int64)
    unit, able = np.zeros((nb, n), np.int64), np.zeros((nb, n), bool)
    per_bundle = np.zeros((nb, 6), np.int64)
    for b, bd in enumerate(bundles):
        at[b, : len(bd.at)] = bd.at
        able[b, bd.at], unit[b, bd.at] = True, bd.unit_at
        per_bundle[b] = (
            bd.weight_g,
            bd.units,
            bd.value,
            bd.min_cost,
            bd.units - bd.forced_unplaced,
            len(bd.at),
        )
    # Every parcel the search can price weighs what some of the bundles weigh together.
    weights = np.zeros(1, np.int64)
    for bd in bundles:
        weights = np.concatenate((weights, weights + bd.weight_g))
    quotes = p.quote_arrays(np.flatnonzero(able.any(axis=0)), weights[1:])
    tie, code = p.tie_ranks()
    kinds = np.array([_KINDS[name] for name in rules.tie_breaks], np.int64)
    params = np.array(
        [rules.shipment_penalty, rules.max_shipments, rules.min_shipment_value, rules.max_nodes]
    )
    key, meta, parts, locs, n_locs = _kept(out, nb, key_width(kinds, nb), kinds, code, rules.max_shipments)
    result = search_whole(
        at, unit, able, per_bundle, p.fixed_at, *quotes,
        twins.cells, tie, code, np.asarray(p.dist, np.int64), np.asarray(p.prio, np.int64),
        kinds, params, key, meta, parts, locs, n_locs,
    )  # fmt: skip
    if result[BEST_CHANGED]:
        out.best = _plan(p, meta[0], parts[0])
    if result[RUNNER_UP_CHANGED]:
        out.runner_up = _plan(p, meta[1], parts[1])
    out.exact = bool(result[EXACT])
    out.nodes = int(result[VISITED])


def _kept(
    out: Outcome, nb: int, width: int, kinds: np.ndarray, code: np.ndarray, max_ship: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """`search_whole`'s view of the best plan and the runner-up so far: keys, counts, parts, locations."""
    key = np.zeros((2, width), np.int64)
    meta = np.zeros((2, 4), np.int64)
    parts = np.zeros((2, nb, 3), np.int64)
    locs, n_locs = np.zeros((2, max_ship), np.int64), np.zeros(2, np.int64)
    for slot, plan in enumerate((out.best, out.runner_up)):
        if plan is None:
            continue
        row = list(plan.key[:2])
        for kind, value in zip(kinds.tolist(), plan.key[2:], strict=True):
            if kind == LOCATION_CODE:
                pairs = [x for _, k, q in plan.parts for x in (int(code[k]), q)]
                row += pairs + [-1] * (2 * nb - len(pairs))
            else:
                row.append(value)
        key[slot] = row
        meta[slot] = (1, len(plan.parts), plan.key[0], plan.key[1])
        parts[slot, : len(plan.parts)] = plan.parts
        locs[slot, : len(plan.locations)] = sorted(plan.locations)
        n_locs[slot] = len(plan.locations)
    return key, meta, parts, locs, n_locs


def _plan(p: Problem, meta: np.ndarray, rows: np.ndarray) -> Plan:
    parts: tuple[Part, ...] = tuple(map(tuple, rows[: meta[COUNT]].tolist()))  # type: ignore[arg-type]
    opened = list(dict.fromkeys(k for _, k, _ in parts))
    key = (int(meta[PLAN_UNPLACED]), int(meta[PLAN_COST]), *p.tie_values(opened, parts))
    return Plan(key, parts, frozenset(opened))
