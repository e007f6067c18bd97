"""The naive router most e-commerce platforms ship with, as a yardstick for `oms bench routing`.

It answers "what would a closest-store-first platform have done with this order?": the closest
eligible location holding every line in full, otherwise greedy splitting (the closest location that
can supply the most remaining units, again and again). To make the comparison fair it sees exactly
what the planner sees (`prepare`: the same hard filters, the same no-carrier exclusion, the same
bundles) and its plan is priced by the planner's own objective (`Problem.evaluate`), so the two
totals differ only because the choices differ. It never breaks the split policy: a location whose
shipment would (too many shipments, under the minimum shipment value, no carrier) is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.domain.orders import DeliveryMethod, OrderRequest
from core.routing.candidates import Eligible, Line, OrderContext, Screened
from core.routing.compiled import CompiledRules, compile_rules
from core.routing.decision import RoutingDecision, Unplaced
from core.routing.outcome import build_decision
from core.routing.planner import _lines, _nothing  # the planner's own setup
from core.routing.problem import Part, Plan, Problem
from core.routing.quote_table import QuoteTable
from core.routing.rules import RuleSet
from core.routing.screening import screen
from core.routing.search import Outcome
from core.routing.shipping import ShippingQuoter
from core.routing.snapshot import Destination, NetworkSnapshot, destination_for
from core.routing.solo import SoloQuotes, priced, rows


@dataclass(slots=True)
class Prepared:
    """One order's problem exactly as `Planner.route` builds it, before any search."""

    lines: list[Line]
    unknown: list[Unplaced]  # lines whose SKU the network does not know (never placeable)
    screened: Screened  # every screened location, eligible or not (for the explanation)
    problem: Problem
    quotes: SoloQuotes  # each eligible location's quote shipping alone


def prepare(
    rules: CompiledRules,
    quoter: ShippingQuoter,
    order: OrderRequest,
    network: NetworkSnapshot,
    destination: Destination | None = None,
    shared: QuoteTable | None = None,
) -> Prepared | list[Unplaced]:
    """Mirror of the setup in `Planner.route`; the unplaced lines when the pickup store is unknown.

    Kept step for step with the planner (filters, then dropping locations no carrier serves even
    alone, then rebuilding the problem) because a comparison on a different candidate set, or an
    "optimum" of a different problem, would measure nothing.
    """
    pickup = order.delivery.pickup_location if order.delivery.method == DeliveryMethod.PICKUP else None
    dest = destination or destination_for(order, network.locations)
    lines, unknown = _lines(order, network)
    if dest is None:
        why = f"pickup store {pickup} is not a known location"
        return [Unplaced(ln.sku, ln.qty, why) for ln in order.lines]
    ctx = OrderContext(str(order.delivery.method), str(order.channel), dest, pickup)
    screened = screen(lines, network, ctx, rules, {})
    address = dest.address_for(residential=pickup is None)

    def build(eligible: Eligible) -> Problem:
        promise = order.delivery.promise_by
        return Problem(lines, eligible, rules, quoter, network, address, order.placed_at, promise, shared)

    problem, quotes = priced(screened, build)
    return Prepared(lines, unknown, screened, problem, quotes)


class BaselineRouter:
    """Closest full holder, else greedy closest-most-units splitting; same filters and costs as the planner."""

    def __init__(self, rule_set: RuleSet, quoter: ShippingQuoter) -> None:
        self.rule_set = rule_set
        self.rules: CompiledRules = compile_rules(rule_set)
        self.quoter = quoter
        self._shared = QuoteTable.shared_by(quoter)  # converted quotes per lane, as the planner keeps them

    def route(
        self, order: OrderRequest, network: NetworkSnapshot, *, destination: Destination | None = None
    ) -> RoutingDecision:
        """The naive plan as a decision: method "baseline", exact False, `total` in ticks."""
        if self._shared is not None:
            self._shared.clear_if_full()
        prep = prepare(self.rules, self.quoter, order, network, destination, self._shared)
        if isinstance(prep, list):
            decision = _nothing(order, self.rules, prep)
            decision.method, decision.exact = "baseline", False
            return decision
        p, screened = prep.problem, prep.screened
        out = Outcome(naive_plan(p), None, False, 0)
        return build_decision(
            order,
            self.rules,
            p,
            out,
            screened,
            lambda: rows(p, screened, prep.quotes),
            prep.unknown,
            "baseline",
        )


def naive_plan(p: Problem) -> Plan | None:
    """Greedy: each round the location giving the most remaining units, the closest among equals.

    The first round is therefore the closest location holding the whole order when there is one.
    A location is only taken if the plan with it still obeys the split policy and ships.
    """
    remaining = [bd.units for bd in p.bundles]
    km = p.cands.distances.tolist()
    by_distance = sorted(range(p.n), key=lambda k: (km[k], p.codes[k]))
    parts: list[Part] = []
    used: set[int] = set()
    plan: Plan | None = None
    while any(remaining) and len(used) < p.rules.max_shipments:
        offers = [(k, _take(p, k, remaining)) for k in by_distance if k not in used]
        offers = [(k, take) for k, take in offers if take]
        # Stable sort: most units first, distance order among equals.
        offers.sort(key=lambda offer: -sum(q for _, _, q in offer[1]))
        for k, take in offers:
            trial = p.evaluate((*parts, *take))
            if trial is not None:
                plan = trial
                parts.extend(take)
                used.add(k)
                for b, _, q in take:
                    remaining[b] -= q
                break
        else:
            break  # nobody can add anything within the policy
    return plan


def _take(p: Problem, k: int, remaining: list[int]) -> list[Part]:
    """What location k would send of the remaining units: whole bundles, or units of split lines."""
    take: list[Part] = []
    for b, bd in enumerate(p.bundles):
        if not remaining[b] or k not in bd.option_set:
            continue
        if bd.splittable:
            take.append((b, k, min(bd.usable[k], remaining[b])))
        else:
            take.append((b, k, bd.units))  # unsplit bundles are all or nothing: remaining == units
    return take
