"""Single-location plans: priced first for every order, and often provably the answer.

Most orders are settled by one location: `seed` prices every single-location plan (cheap, and the
best or the runner-up of most orders), and `single_location_is_optimal` proves, when it can, that
no plan with more parcels could beat the best of them, so the search need not run at all.
"""

from __future__ import annotations

import numpy as np

from core.routing.kernels import lightest_pieces, single_leaders, single_sums
from core.routing.problem import Plan, Problem
from core.routing.quote_table import NO_CARRIER
from core.routing.search import Outcome


def seed(p: Problem, out: Outcome) -> None:
    """Offer every single-location plan: cheap to price, and usually the answer or the runner-up.

    Priced here for all locations at once (the same sums as `Problem.evaluate` for one location,
    in two compiled loops over the options); a `Plan` is only built for the two least, the only
    ones that can end as the best or the runner-up.
    """
    n, bundles = p.n, p.bundles
    if not n:
        return
    placed, weight, cost, member, at = single_sums(n, *p.options_table())
    ship, _ = p.ticks_at(at, weight[at])
    at, unplaced, total = single_leaders(at, ship, placed, cost, p.fixed_at, p.total_units, NO_CARRIER)
    if not len(at):
        return
    # Single-location plans have distinct locations, so the best and the runner-up are the two
    # least keys: rank the few left by key and build only those two plans.
    ranked = sorted(
        zip(unplaced.tolist(), total.tolist(), at.tolist(), strict=True),
        key=lambda head: (head[0], head[1], *p.single_ties(head[2])),
    )
    for u, c, k in ranked[:2]:
        plan = tuple(
            (b, k, bd.usable[k] if bd.splittable else bd.units)
            for b, (bd, take) in enumerate(zip(bundles, member[:, k].tolist(), strict=True))
            if take
        )
        out.offer(Plan((u, c, *p.tie_values([k], plan)), plan, frozenset((k,))))


def single_location_is_optimal(p: Problem, best: Plan | None) -> bool:
    """Whether no plan can beat `best`, a single-location plan, so the search may be skipped.

    True when `best` leaves only the units no plan can place, and any plan with two or more
    locations costs more: every bundle at its cheapest unit cost, a shipment penalty per extra
    parcel, each parcel at least its location's lightest quote plus fixed costs, and the heaviest
    of them at least the quote for its share of the order's weight. Relies, like the search, on
    shipping never getting cheaper as weight grows.
    """
    if best is None or len(best.locations) != 1:
        return False
    bundles = p.bundles
    if best.unplaced != sum(bd.forced_unplaced for bd in bundles):
        return False
    placeable = [bd for bd in bundles if bd.options]
    if p.rules.max_shipments < 2 or (len(placeable) == 1 and not placeable[0].splittable):
        return True  # every plan is a single location, and `seed` priced them all
    # Each location's lightest piece, and the least a parcel of it costs: all locations at once.
    starts, options, _, _, per_bundle = p.options_table()
    at, lightest = lightest_pieces(p.n, starts, options, per_bundle)
    if len(at) < 2:
        return True  # fewer than two locations could take anything
    fixed = p.fixed_at[at]
    ticks, _ = p.ticks_at(at, lightest)
    floors = fixed + np.where(ticks == NO_CARRIER, 0, ticks)  # as the search does: no carrier is no bound
    first, second = np.partition(floors, 1)[:2].tolist()
    pen, units = p.rules.shipment_penalty, sum(bd.min_cost for bd in placeable)
    if first + second + pen + units > best.cost:
        return True
    # With s parcels the heaviest weighs at least the total / s (and at least the heaviest piece);
    # heavy orders, whose one parcel from afar costs less than several, are settled here.
    pieces = [bd.weight_g // bd.units if bd.splittable else bd.weight_g for bd in placeable]
    total = sum(
        w * (bd.units - bd.forced_unplaced) if bd.splittable else w
        for w, bd in zip(pieces, placeable, strict=True)
    )
    for s in range(2, p.rules.max_shipments + 1):
        heavy = max(max(pieces), -(-total // s))
        parcel, carried = p.parcels(at, heavy)
        dearest = int(parcel[carried].min()) if carried.any() else None
        if dearest is not None and dearest + (s - 1) * (first + pen) + units <= best.cost:
            return False
    return True
