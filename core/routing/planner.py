"""Route one order: filter candidates, search plans, and record the decision with its explanation.

Unroutable lines are a normal outcome (partially_routed / unfulfillable with reasons), never an
exception: the caller stores the decision either way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime

from core.domain.orders import DeliveryMethod, OrderRequest
from core.routing.candidates import Candidate, Line, OrderContext, screen
from core.routing.compiled import CompiledRules, compile_rules, to_ticks
from core.routing.decision import CandidateReport, RoutingDecision, Status, Unplaced
from core.routing.heuristic import greedy
from core.routing.outcome import build_decision
from core.routing.problem import Problem, Quoted
from core.routing.rules import RuleSet
from core.routing.search import Outcome, branch_and_bound, seed
from core.routing.shipping import ShippingQuoter
from core.routing.snapshot import Destination, NetworkSnapshot, destination_for

MAX_SHARED_QUOTES = 200_000


class Planner:
    """Compiles a rule set once and routes any number of orders under it."""

    def __init__(self, rule_set: RuleSet, quoter: ShippingQuoter) -> None:
        self.rule_set = rule_set
        self.rules: CompiledRules = compile_rules(rule_set)
        self.quoter = quoter
        self._shared: dict[int, Quoted] = {}  # converted lane quotes (see Problem), kept across orders

    def route(
        self,
        order: OrderRequest,
        network: NetworkSnapshot,
        *,
        destination: Destination | None = None,
        exclude_locations: Mapping[str, str] | Iterable[str] = (),
        now: datetime | None = None,
    ) -> RoutingDecision:
        """The lowest-cost plan passing every filter; `exclude_locations` maps codes to why (re-routing)."""
        rules = self.rules
        pickup = order.delivery.pickup_location if order.delivery.method == DeliveryMethod.PICKUP else None
        dest = destination or destination_for(order, network.locations)
        lines, unknown = _lines(order, network)
        if dest is None:
            why = f"pickup store {pickup} is not a known location"
            return _nothing(order, rules, [Unplaced(ln.sku, ln.qty, why) for ln in order.lines])
        excluded = (
            dict(exclude_locations)
            if isinstance(exclude_locations, Mapping)
            else dict.fromkeys(exclude_locations, "re-routed away from it")
        )
        ctx = OrderContext(str(order.delivery.method), str(order.channel), dest, pickup)
        if len(self._shared) > MAX_SHARED_QUOTES:
            self._shared.clear()
        cands = screen(lines, network, ctx, rules, excluded)
        ready_at = now or order.placed_at
        # A transfer to the pickup store goes to a business address: no residential surcharge.
        address = dest.address if pickup is None else replace(dest.address, residential=False)
        problem = Problem(
            lines,
            [c for c in cands if c.eligible],
            rules,
            self.quoter,
            network,
            address,
            ready_at,
            order.delivery.promise_by,
            self._shared,
        )
        scores = _solo_scores(problem, lines)
        if len(problem.cands) != len(scores):  # some could not ship even alone: filter and start again
            problem = Problem(
                lines,
                [c for c in cands if c.eligible],
                rules,
                self.quoter,
                network,
                address,
                ready_at,
                order.delivery.promise_by,
            )
            scores = _solo_scores(problem, lines)
        out = Outcome(None, None, True, 0)
        seed(problem, out)
        if len(lines) * len(problem.cands) <= rules.exact_max_size:
            branch_and_bound(problem, out)
            method = "branch_and_bound" if out.exact else "branch_and_bound_truncated"
        else:
            greedy(problem, out)
            out.exact, method = False, "heuristic"

        def reports() -> list[CandidateReport]:
            return [_report(c, scores.get(c.code), lines) for c in cands]

        return build_decision(order, rules, problem, out, cands, reports, unknown, method)


def _lines(order: OrderRequest, network: NetworkSnapshot) -> tuple[list[Line], list[Unplaced]]:
    lines, unknown = [], []
    for i, ol in enumerate(order.lines):
        item = network.items.get(ol.sku)
        if item is None:
            unknown.append(Unplaced(ol.sku, ol.qty, f"{ol.sku} is not a known product"))
            continue
        lines.append(
            Line(
                i,
                ol.sku,
                ol.qty,
                to_ticks(ol.unit_price),
                round(item.weight_kg * 1000),
                item.category,
                item.group,
            )
        )
    return lines, unknown


def _solo_scores(p: Problem, lines: list[Line]) -> dict[str, dict[str, int]]:
    """What each eligible location would cost shipping alone all it can; no carrier = excluded."""
    grams = {line.index: line.weight_g for line in lines}
    out: dict[str, dict[str, int]] = {}
    for k, c in enumerate(p.cands):
        weight = sum(grams[i] * units for i, units in c.usable.items())
        found = p.quote(k, weight)
        if found is None:
            dest = p.destination.postal_code or f"{p.destination.latitude:.3f},{p.destination.longitude:.3f}"
            c.exclude("no_carrier", p.rules, weight_kg=weight / 1000, destination=dest)
            continue
        ticks, quote = found
        shipping = to_ticks(quote.cost * p.rules.shipping_weight)
        scores = {"shipping": shipping}
        units = sum(c.usable.values())
        for name, value in (
            ("promise_miss", ticks - shipping),
            ("priority", c.priority),
            ("labour", c.labour * units),
            ("capacity", c.capacity),
            ("overstock", sum(c.overstock[i] * n for i, n in c.usable.items())),
        ):
            if value:
                scores[name] = value
        out[c.code] = scores
    return out


def _report(c: Candidate, scores: dict[str, int] | None, lines: list[Line]) -> CandidateReport:
    full = sum(1 for line in lines if c.usable.get(line.index, 0) >= line.qty)
    return CandidateReport(
        c.code,
        c.loc.name,
        str(c.loc.type),
        round(c.distance_km, 1),
        c.eligible,
        c.excluded_by,
        c.reason,
        c.values,
        scores or {},
        sum(scores.values()) if scores else None,
        c.unavailable,
        full,
    )


def _nothing(order: OrderRequest, rules: CompiledRules, unplaced: list[Unplaced]) -> RoutingDecision:
    return RoutingDecision(
        order.id,
        Status.UNFULFILLABLE,
        rules.rule_set_id,
        rules.version,
        [],
        [],
        None,
        unplaced,
        None,
        {},
        True,
        "none",
        len(order.lines),
    )
