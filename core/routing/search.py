"""Exact branch and bound over assignments of bundles (and units of splittable lines) to locations.

Keys are compared lexicographically: unplaced units, cost, then the rule set's tie-breaks, so the
answer is the same on every run. Pruning is against the best plan, which keeps the search fast;
the runner-up that explanations compare against is therefore the cheapest plan with a different
set of locations among those evaluated: every single-location plan (`core.routing.single.seed`),
every complete plan the search reached, and the best plan with a location swapped for an unused
twin (`core.routing.twins`). It is exact whenever the runner-up is a single location.

Lower bound at a node: the cost so far + what the remaining bundles must cost at least
(`core.routing.bounds`). Openings are tried cheapest first (the bundle's own parcel from there),
so the first one that cannot win ends the loop; twins of a location already tried are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from core.routing.bounds import Bounds
from core.routing.problem import Bundle, Part, Plan, Problem
from core.routing.twins import LevelTwins, offer_twin_swaps

_NEVER = 1 << 62  # an opening no plan can afford: no carrier takes the bundle from there


class _BudgetSpentError(Exception):
    """The node budget ran out: the best plan so far stands, but it is no longer proven optimal."""


@dataclass(slots=True)
class Outcome:
    best: Plan | None
    runner_up: Plan | None
    exact: bool
    nodes: int

    def offer(self, plan: Plan | None) -> None:
        """Keep the best plan and the best one that uses a different set of locations."""
        if plan is None:
            return
        best = self.best
        if best is None:
            self.best = plan
        elif plan.key < best.key:
            if plan.locations != best.locations:
                self.runner_up = best
            self.best = plan
        elif plan.locations != best.locations and (self.runner_up is None or plan.key < self.runner_up.key):
            self.runner_up = plan


def _whole_openings(p: Problem, bd: Bundle, by_code: bool) -> dict[int, int]:
    """Per option, what opening it for the whole bundle costs at least (its own parcel from there);
    the bundle's options are put in that order, ties by location code.

    Priced for all options in array steps: the search runs on orders of ~150 options per bundle,
    and this was a Python loop per option and bundle.
    """
    at = bd.at
    parcel, carried = p.parcels(at, bd.weight_g)
    cost = np.where(carried, bd.unit_at + parcel, _NEVER)
    order = np.lexsort((at if by_code else p.tie_ranks()[1][at], cost))
    bd.options = at[order].tolist()
    return dict(zip(at.tolist(), cost.tolist(), strict=True))


def branch_and_bound(p: Problem, out: Outcome) -> None:
    """The search in Python: for lines that may split, quoters without lanes and orders of many
    bundles (`settle.settle`), and the reference the compiled loop
    (`core.routing.search_kernel.search_whole`) is tested against."""
    bundles, rules = p.bundles, p.rules
    nb, n_cands = len(bundles), p.n
    fixed, pen, max_ship = p.fixed, rules.shipment_penalty, rules.max_shipments
    # Cheapest possible shipment from each location: its lightest possible parcel. Only lines that
    # may split use it (whole bundles are bounded by their own parcel below).
    floor = [0] * n_cands
    if any(bd.splittable for bd in bundles):
        lightest: dict[int, int] = {}
        for b, bd in enumerate(bundles):
            w = p.part_weight(b, 1)
            for k in bd.options:
                if w < lightest.get(k, w + 1):
                    lightest[k] = w
        for k, w in lightest.items():
            s = p.ship(k, w)
            floor[k] = fixed[k] + (s if s is not None else 0)
    # Cheapest-looking first, so the first dive is already a good plan; ties by location code.
    # Screening lists candidates by code, so a stable sort of the index order breaks ties by code.
    # Opening k for a whole bundle costs at least its own parcel from k; a line that may split, at
    # least k's lightest parcel. No carrier for the bundle alone: none for anything heavier either.
    codes = p.codes
    by_code = all(a < b for a, b in pairwise(codes))
    entry: list[dict[int, int]] = []
    for bd in bundles:
        if bd.splittable:
            unit = bd.unit_cost
            cost = {k: unit[k] + floor[k] for k in bd.options}
            if by_code:
                bd.options.sort()
                bd.options.sort(key=cost.__getitem__)
            else:
                bd.options.sort(key=lambda k, cost=cost: (cost[k], codes[k]))
        else:
            cost = _whole_openings(p, bd, by_code)
        entry.append(cost)
    bounds = Bounds(p)
    twins = LevelTwins(p)
    # For splittable bundles, over options from position j on: units they could still give, the
    # most any one of them has, and the cheapest opening among them.
    tail, most, cheapest = [], [], []
    for bd in bundles:
        n = len(bd.options) if bd.splittable else 0
        t, m, c = [0] * (n + 1), [0] * (n + 1), [0] * (n + 1)
        for j in range(n - 1, -1, -1):
            k = bd.options[j]
            t[j], m[j] = t[j + 1] + bd.usable[k], max(m[j + 1], bd.usable[k])
            c[j] = floor[k] if j == n - 1 else min(c[j + 1], floor[k])
        tail.append(t)
        most.append(m)
        cheapest.append(c)
    position = [{k: j for j, k in enumerate(bd.options)} if bd.splittable else {} for bd in bundles]
    # Suffix sums: units no plan can place, and the least unit cost, of bundles i.. (when all placed).
    forced, rest = [0] * (nb + 1), [0] * (nb + 1)
    for i in range(nb - 1, -1, -1):
        bd = bundles[i]
        forced[i] = forced[i + 1] + bd.forced_unplaced
        rest[i] = rest[i + 1] + (bd.min_cost if bd.options else 0)
    shared_later = [any(bd.options for bd in bundles[i + 1 :]) for i in range(nb)]
    min_unit = [min(bd.unit_cost.values(), default=0) for bd in bundles]
    weight, value, count, ship_now = [0] * n_cands, [0] * n_cands, [0] * n_cands, [0] * n_cands
    opened: list[int] = []
    parts: list[Part] = []
    state = [0, 0, 0]  # cost, unplaced, nodes

    def pruned(i: int, extra_unplaced: int, extra_cost: int) -> bool:
        t = out.best
        if t is None:
            return False
        if state[1] + extra_unplaced + forced[i] > t.key[0]:
            return True  # leaves more units unplaced than the best already does
        more, least = bounds.remaining(i, opened, count, weight, ship_now)
        unpl = state[1] + extra_unplaced + more
        tk = t.key
        if unpl != tk[0]:
            return unpl > tk[0]
        lb = state[0] + extra_cost + least
        if lb != tk[1]:
            return lb > tk[1]
        return (unpl, lb, *p.tie_values(opened, parts)) >= tk

    def hopeless(i: int, least: int) -> bool:
        """Cheap test before quoting: bundles i.. placed at their cheapest cannot beat the best."""
        t = out.best
        if t is None:
            return False
        unpl = state[1] + forced[i]
        if unpl != t.key[0]:
            return unpl > t.key[0]
        return state[0] + least + rest[i] > t.key[1]

    def add(b: int, k: int, qty: int) -> bool:
        w = weight[k] + p.part_weight(b, qty)
        s = p.ship(k, w)
        if s is None:
            return False
        bd = bundles[b]
        delta = s - ship_now[k] + (bd.unit_cost[k] * qty if bd.splittable else bd.unit_cost[k])
        if count[k] == 0:
            if len(opened) >= max_ship:
                return False
            delta += fixed[k] + (pen if opened else 0)
            opened.append(k)
        weight[k], ship_now[k] = w, s
        value[k] += bd.value // bd.units * qty if bd.splittable else bd.value
        count[k] += 1
        state[0] += delta
        parts.append((b, k, qty))
        return True

    def remove(b: int, k: int, qty: int) -> None:
        bd = bundles[b]
        parts.pop()
        count[k] -= 1
        value[k] -= bd.value // bd.units * qty if bd.splittable else bd.value
        weight[k] -= p.part_weight(b, qty)
        delta = (bd.unit_cost[k] * qty if bd.splittable else bd.unit_cost[k]) + ship_now[k]
        if count[k] == 0:
            opened.pop()
            delta += fixed[k] + (pen if opened else 0)
            ship_now[k] = 0
        else:
            ship_now[k] = p.ship(k, weight[k]) or 0
        state[0] -= delta - ship_now[k]  # undo exactly what add() did

    def leaf() -> None:
        if not parts:
            return
        if len(opened) > 1 and any(value[k] < rules.min_shipment_value for k in opened):
            return
        key = (state[1], state[0], *p.tie_values(opened, parts))
        out.offer(Plan(key, tuple(parts), frozenset(opened)))

    def visit(i: int) -> None:
        state[2] += 1
        if state[2] > rules.max_nodes:
            raise _BudgetSpentError
        if i == nb:
            leaf()
            return
        bd = bundles[i]
        if bd.splittable:
            split(i, bd.units, 0, 0)
            return
        for k in [k for k in opened if k in bd.option_set]:
            if add(i, k, bd.units):
                if not pruned(i + 1, 0, 0):
                    visit(i + 1)
                remove(i, k, bd.units)
        if len(opened) < max_ship:
            opening = pen if opened else 0
            level_twins = None  # found on the first opening that is not hopeless
            later: list[tuple[frozenset[int], int]] | None = None
            cost = entry[i]
            # Cheapest opening first: once one cannot win, none after it can.
            for j, k in enumerate(bd.options):
                if count[k]:
                    continue
                if hopeless(i + 1, cost[k] + opening):
                    break
                if level_twins is None:
                    offsets, waits = level_twins = twins.at(i)
                lo, hi = offsets[j], offsets[j + 1]
                if hi > lo and (hi - lo > len(opened) or not all(count[m] for m in waits[lo:hi])):
                    continue  # a twin that wins the tie-breaks is still unopened (see `twins`)
                t = out.best
                if t is not None and state[1] + forced[i + 1] == t.key[0]:
                    # Before pricing the opening: the bundles k cannot take still cost what they cost.
                    if later is None:
                        later = bounds.leasts(i + 1, opened, count, weight, ship_now)
                    dearest = max((least for able, least in later if k not in able), default=0)
                    if state[0] + cost[k] + opening + rest[i + 1] + dearest > t.key[1]:
                        continue
                if add(i, k, bd.units):
                    if not pruned(i + 1, 0, 0):
                        visit(i + 1)
                    remove(i, k, bd.units)
        state[1] += bd.units
        if not pruned(i + 1, 0, 0):
            visit(i + 1)
        state[1] -= bd.units

    def _openings(i: int, start: int, units: int) -> int:
        """Least cost of the new locations needed to give `units` more of splittable bundle i.

        Only when no later bundle could use a location: `Bounds.remaining` already charges later
        bundles a share of every opening, and a location both could use must not be paid twice.
        """
        if shared_later[i]:
            return 0
        bd = bundles[i]
        at_open = sum(bd.usable[k] for k in opened if k in bd.usable and position[i][k] >= start)
        short = units - at_open
        if short <= 0 or not most[i][start]:
            return 0
        needed = -(-short // most[i][start])
        return needed * (cheapest[i][start] + pen)

    def split(i: int, rem: int, start: int, depth: int) -> None:
        """Place part `depth` of a splittable line: a location at or after `start`, then a quantity."""
        bd = bundles[i]
        opts = bd.options
        for pos in range(start, len(opts)):
            k = opts[pos]
            if count[k] == 0 and len(opened) >= max_ship:
                continue
            for qty in range(min(bd.usable[k], rem), 0, -1):
                if not add(i, k, qty):
                    continue
                state[2] += 1
                if state[2] > rules.max_nodes:
                    raise _BudgetSpentError
                left = rem - qty
                if left == 0:
                    if not pruned(i + 1, 0, 0):
                        visit(i + 1)
                else:
                    # Later parts go to distinct later locations, within the shipment limit.
                    can = min(left, tail[i][pos + 1], (max_ship - depth - 1) * most[i][pos + 1])
                    if not pruned(i + 1, left - can, can * min_unit[i] + _openings(i, pos + 1, can)):
                        split(i, left, pos + 1, depth + 1)
                remove(i, k, qty)
        state[1] += rem
        if not pruned(i + 1, 0, 0):
            visit(i + 1)
        state[1] -= rem

    try:
        visit(0)
    except _BudgetSpentError:
        out.exact = False
    out.nodes = state[2]
    offer_twin_swaps(p, out, twins)
