"""Route one order: filter candidates, search plans, and record the decision with its explanation.

Unroutable lines are a normal outcome (partially_routed / unfulfillable with reasons), never an
exception: the caller stores the decision either way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal

from core.domain.orders import DeliveryMethod, OrderRequest
from core.routing.candidate_columns import CandidateColumns
from core.routing.candidates import Eligible, Line, OrderContext
from core.routing.compiled import CompiledRules, compile_rules, to_ticks
from core.routing.decision import RoutingDecision, Status, Unplaced
from core.routing.fused import settle_at_once
from core.routing.heuristic import greedy
from core.routing.outcome import build_decision
from core.routing.problem import Problem
from core.routing.quote_table import QuoteTable
from core.routing.rules import RuleSet
from core.routing.screening import screen
from core.routing.search import Outcome
from core.routing.settle import settle
from core.routing.shipping import ShippingQuoter
from core.routing.snapshot import Destination, NetworkSnapshot, destination_for
from core.routing.solo import priced, rows


class Planner:
    """Compiles a rule set once and routes any number of orders under it."""

    def __init__(self, rule_set: RuleSet, quoter: ShippingQuoter) -> None:
        self.rule_set = rule_set
        self.rules: CompiledRules = compile_rules(rule_set)
        self.quoter = quoter
        self._shared = QuoteTable.shared_by(quoter)  # converted quotes per lane, across orders

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
        if self._shared is not None:
            self._shared.clear_if_full()
        screened = screen(lines, network, ctx, rules, excluded)
        ready_at = now or order.placed_at
        # A transfer to the pickup store goes to a business address: no residential surcharge.
        address = dest.address_for(residential=pickup is None)
        promise = order.delivery.promise_by

        def problem(eligible: Eligible) -> Problem:
            return Problem(
                lines, eligible, rules, self.quoter, network, address, ready_at, promise, self._shared
            )

        found = None
        if self._shared is not None:  # a rate broker: most orders are settled in one compiled call
            found = settle_at_once(
                lines, screened, rules, self.quoter, self._shared, network, address, ready_at, promise,  # type: ignore[arg-type]
            )  # fmt: skip
        if found is not None:
            p, quotes, out = found
            method = "branch_and_bound" if out.exact else "branch_and_bound_truncated"
        else:
            p, quotes = priced(screened, problem)
            out = Outcome(None, None, True, 0)
            exact = len(lines) * p.n <= rules.exact_max_size
            settle(p, out, search=exact)
            if exact:
                method = "branch_and_bound" if out.exact else "branch_and_bound_truncated"
            else:
                greedy(p, out)
                out.exact, method = False, "heuristic"
        return build_decision(
            order, rules, p, out, screened, lambda: rows(p, screened, quotes), unknown, method
        )


def _lines(order: OrderRequest, network: NetworkSnapshot) -> tuple[list[Line], list[Unplaced]]:
    lines, unknown = [], []
    for i, ol in enumerate(order.lines):
        sku, qty, price = ol.sku, ol.qty, ol.unit_price
        item = network.items.get(sku)
        if item is None:
            unknown.append(Unplaced(sku, qty, f"{sku} is not a known product"))
            continue
        ticks = _PRICES.get(price)
        if ticks is None:
            if len(_PRICES) >= _MAX_PRICES:
                _PRICES.clear()
            ticks = _PRICES[price] = to_ticks(price)
        lines.append(Line(i, sku, qty, ticks, item.weight_g, item.category, item.group))
    return lines, unknown


# Unit prices in ticks: a product's price recurs order after order, and a dictionary lookup costs a
# third of converting the decimal again.
_PRICES: dict[Decimal, int] = {}
_MAX_PRICES = 100_000


def _nothing(order: OrderRequest, rules: CompiledRules, unplaced: list[Unplaced]) -> RoutingDecision:
    return RoutingDecision(
        order.id,
        Status.UNFULFILLABLE,
        rules.rule_set_id,
        rules.version,
        [],
        CandidateColumns.from_rows([]),
        None,
        unplaced,
        None,
        {},
        True,
        "none",
        len(order.lines),
    )
