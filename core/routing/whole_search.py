"""An order whose bundles all travel whole, priced by lanes, settled by compiled loops.

Its single-location plans, the proof that one of them is best, and the branch and bound run in
`core.routing.seed_kernel` and `core.routing.search_kernel`. Orders whose lines may split units,
or priced by a quoter without lanes (whose quotes cannot be read from arrays), keep the Python
steps (`core.routing.settle.settle_in_python`); both give the same plans, runner-up and node
count, which property tests check on random orders.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from core.routing.compiled import CompiledRules
from core.routing.compiled_plans import (
    EXACT,
    FEWEST_SHIPMENTS,
    LOCATION_CODE,
    LOWEST_PRIORITY,
    SHORTEST_DISTANCE,
    VISITED,
    kept_plans,
)
from core.routing.problem import Part, Plan, Problem
from core.routing.quote_table import MISSING
from core.routing.search_kernel import search_whole
from core.routing.seed_kernel import seed_whole
from core.routing.twins import LevelTwins, offer_twin_swaps

if TYPE_CHECKING:
    from core.routing.search import Outcome

_KINDS = {
    "fewest_shipments": FEWEST_SHIPMENTS,
    "shortest_distance": SHORTEST_DISTANCE,
    "lowest_priority": LOWEST_PRIORITY,
    "location_code": LOCATION_CODE,
}


def settle_whole(p: Problem, out: Outcome, search: bool) -> None:
    """`single.seed` and, with `search`, the proof and the search, for bundles that all travel
    whole, priced by lanes: what `settle.settle_in_python` does, in compiled calls."""
    if not p.n:
        return
    rules = p.rules
    starts, flat_at, flat_unit, _, per_bundle = p.options_table()
    ticks, slots, floors = p.quote_arrays()
    # Screening lists candidates by code, so a candidate's column there is increasing in its code.
    code, dist, prio = p.cands.column, p.cands.dist_at, p.cands.prio_at
    kinds, params = rule_arrays(rules)
    kept = kept_plans(kinds, len(p.bundles), rules.max_shipments)
    while True:
        must_search, unquoted = seed_whole(
            starts, flat_at, flat_unit, per_bundle, p.fixed_at, ticks, slots, floors, MISSING,
            code, dist, prio, kinds, params, search, kept,
        )  # fmt: skip
        if not len(unquoted):
            break
        for k, w in unquoted.tolist():  # cells never quoted: quote them (in place), and settle again
            p.quote(k, w)
    finish_whole(p, out, must_search, kept)


def finish_whole(p: Problem, out: Outcome, must_search: bool, kept: np.ndarray) -> None:
    """The search where the seed could not prove a single location best, then the outcome's plans
    from the compiled loops' kept ones (`kept`, as `compiled_plans.kept_plans` makes it)."""
    twins = None
    if must_search:
        starts, flat_at, flat_unit, _, per_bundle = p.options_table()
        ticks, slots, floors = p.quote_arrays()
        kinds, params = rule_arrays(p.rules)
        cands = p.cands
        twins = LevelTwins(p)
        result = search_whole(
            starts, flat_at, flat_unit, per_bundle, p.fixed_at, ticks, slots, floors, twins.cells,
            p.tie_ranks()[0], cands.column, cands.dist_at, cands.prio_at, kinds, params, kept,
        )  # fmt: skip
        out.exact, out.nodes = bool(result[EXACT]), int(result[VISITED])
    out.best, out.runner_up = _plans(p, kept.tolist())
    if twins is not None:
        offer_twin_swaps(p, out, twins)


@lru_cache(maxsize=64)
def rule_arrays(rules: CompiledRules) -> tuple[np.ndarray, np.ndarray]:
    """The rule set's tie-breaks and search figures as the compiled loops read them (never written)."""
    kinds = np.array([_KINDS[name] for name in rules.tie_breaks], np.int64)
    params = np.array(
        [rules.shipment_penalty, rules.max_shipments, rules.min_shipment_value, rules.max_nodes]
    )
    return kinds, params


def _plans(p: Problem, kept: list[int]) -> tuple[Plan | None, Plan | None]:
    """The best plan and the runner-up from `kept_plans`' values (`compiled_plans.kept_views`).

    A kept key's tie-break values are those of `Problem.tie_values` as integers, the same but for
    the location codes, which stand there as ranks and are put back as the codes here."""
    nb, max_ship = len(p.bundles), p.rules.max_shipments
    width = (len(kept) - 4) // 2 - 3 * nb - max_ship
    plans: list[Plan | None] = []
    for slot in range(2):
        count = kept[slot]
        if not count:
            plans.append(None)
            continue
        at = 4 + 2 * width + 3 * nb * slot
        flat = kept[at : at + 3 * count]
        parts: tuple[Part, ...] = tuple(zip(flat[::3], flat[1::3], flat[2::3], strict=True))
        at = 4 + 2 * width + 6 * nb + max_ship * slot
        locations = frozenset(kept[at : at + kept[2 + slot]])
        at = 4 + width * slot
        values = kept[at : at + 2]  # unplaced units and cost
        at += 2
        for name in p.rules.tie_breaks:
            if name == "location_code":
                codes = p.codes
                values.append(tuple([(codes[k], q) for k, q in zip(flat[1::3], flat[2::3], strict=True)]))
                at += 2 * nb
            else:
                values.append(kept[at])
                at += 1
        plans.append(Plan(tuple(values), parts, locations))
    return plans[0], plans[1]
