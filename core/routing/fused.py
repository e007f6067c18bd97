"""Most orders priced and settled in one compiled call (`core.routing.fused_kernel`).

The planner asks here first. What an order needs beyond the compiled loops (lanes or quotes no
order met before, a location no carrier serves, lines that may split, a heuristic's size) makes
this answer None, and the planner takes the separate steps, `solo.priced` and `settle.settle`,
which give the same problem, quotes and plans; the routing tests and the pinned day of decisions
hold both to that.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np

from core.routing.candidates import Line, Screened
from core.routing.compiled import CompiledRules
from core.routing.fused_kernel import HEAD, LANE_UNKNOWN, NOT_CARRIED, QUOTE_UNKNOWN, SETTLED, price_and_seed
from core.routing.problem import Found, Members, Problem, quote_cell
from core.routing.quote_table import UNQUOTED, QuoteTable
from core.routing.search import Outcome
from core.routing.settle import MAX_COMPILED_BUNDLES
from core.routing.shipping import Address
from core.routing.snapshot import NetworkSnapshot
from core.routing.solo import SoloQuotes, no_carrier
from core.routing.whole_search import finish_whole, rule_arrays

if TYPE_CHECKING:  # the only quoter with lanes
    from core.routing.rates.broker import RateBroker
    from core.routing.rates.lanes import LaneQuoter

_NO_CELLS = np.full(1, -1, np.int64)  # an order whose candidates are all its pickup store reads none


def settle_at_once(
    lines: list[Line],
    screened: Screened,
    rules: CompiledRules,
    broker: RateBroker,
    shared: QuoteTable,
    network: NetworkSnapshot,
    destination: Address,
    ready_at: datetime,
    promise_by: datetime | None,
) -> tuple[Problem, SoloQuotes, Outcome] | None:
    """The problem, its candidates' solo quotes and its settled outcome, or None where the
    separate steps must run (nothing is changed then but the broker's order view made).

    Locations no carrier takes their own parcel from are excluded here as the separate steps
    would, unless that leaves none (the separate steps then say so)."""
    cands = screened.eligible
    n = len(cands)
    if not n or len(lines) * n > rules.exact_max_size:
        return None
    members = Members(lines, cands.rows, rules)
    if len(members.groups) > MAX_COMPILED_BUNDLES or any(members.split):
        return None
    lanes, cells = None, _NO_CELLS
    if n > 1 or not cands.pickup_here[0]:  # some candidate ships: only the pickup store itself does not
        lanes = broker.lanes(destination, ready_at, promise_by)
        found = lanes.context_cells(cands.origin_zones)
        if found is None:
            return None
        cells = found
    table = broker.lane_table()
    fixed = cands.priority + cands.capacity
    kinds, params = rule_arrays(rules)
    considered = len(screened.codes)

    def settled() -> tuple[np.ndarray, list[int]]:
        """The compiled call's result and its head; the table's arrays are read anew each time, as
        meeting lanes may grow them."""
        found = price_and_seed(
            cands.usable, cands.labour, cands.overstock, members.packed, cands.weight_g,
            cands.pickup_here, cands.origin, cands.distances,
            table.edges, cells, shared.by_lane, shared.ticks, shared.penalty, table.floors_g,
            fixed, cands.priority, cands.capacity, cands.units, cands.bonus, considered,
            cands.column, cands.dist_at, cands.prio_at, kinds, params,
        )  # fmt: skip
        return found, found[:HEAD].tolist()

    (packed, head), met, dropped = settled(), False, False
    while head[0] != SETTLED:
        if head[0] == LANE_UNKNOWN and lanes is not None and not met:
            # Lanes no order of this context met: found as the separate steps find them, kept
            # for the next orders, and then read here.
            shipping = (~cands.pickup_here).nonzero()[0]
            ids = lanes.lanes_at(
                cands.locs, cands.distances, shipping, cands.origin[shipping], cands.origin_zones
            )
            shared.slots(ids)
            met = True
        elif head[0] == QUOTE_UNKNOWN and lanes is not None:
            _quote(packed, n, lanes, shared, rules, promise_by)
        elif head[0] == NOT_CARRIED and head[1] < n and not dropped:
            # As `solo.priced` does: they are excluded ("no_carrier"), and the rest priced again.
            gone = packed[HEAD:].tolist()
            no_carrier(cands, destination, rules, screened, gone)
            cands = cands.subset(sorted(set(range(n)).difference(gone)))
            n, fixed = len(cands), cands.priority + cands.capacity
            dropped = True
        else:
            # Once locations are excluded, their lanes were read and the rest are carried, so
            # nothing can be left to the separate steps, which would exclude them again.
            assert not dropped
            return None
        packed, head = settled()
    _, must_search, kept_at, entries_at = head
    options_end = kept_at - 4 * n
    per_candidate = packed[options_end:kept_at].reshape(4, n)
    bundles, options = members.bundles(packed[HEAD:options_end])
    found = Found(bundles, options, fixed, lanes, per_candidate[0], per_candidate[1])
    p = Problem(lines, cands, rules, broker, network, destination, ready_at, promise_by, shared, found)
    out = Outcome(None, None, True, 0)
    finish_whole(p, out, bool(must_search), packed[kept_at:entries_at])
    return p, (per_candidate[2], per_candidate[3], packed[entries_at:]), out


def _quote(
    asking: np.ndarray,
    n: int,
    lanes: LaneQuoter,
    shared: QuoteTable,
    rules: CompiledRules,
    promise_by: datetime | None,
) -> None:
    """Quote the cells `price_and_seed` found never quoted (`fused_kernel._asking`), once each."""
    lane, slot = asking[HEAD : HEAD + n].tolist(), asking[HEAD + n : HEAD + 2 * n].tolist()
    for k, wclass in asking[HEAD + 2 * n :].reshape(-1, 2).tolist():
        if shared.rows[slot[k]][wclass] is UNQUOTED:  # type: ignore[index]
            quote_cell(shared, lanes, lane[k], slot[k], wclass, rules, promise_by)
