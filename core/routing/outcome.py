"""Turn the search outcome into a decision: shipments, unplaced lines with reasons, the runner-up."""

from __future__ import annotations

from collections.abc import Callable

from core.domain.orders import OrderRequest
from core.routing.candidate_columns import CandidateColumns
from core.routing.candidates import Screened
from core.routing.compiled import CompiledRules
from core.routing.decision import RoutingDecision, RunnerUp, Shipment, Status, Unplaced
from core.routing.problem import COMPONENTS, Part, Plan, Problem, missed
from core.routing.quote_table import Quoted
from core.routing.search import Outcome

MAX_REASONS = 3
Loads = dict[int, dict[tuple[int, str], int]]  # per location: units per (line index, SKU)


def build_decision(
    order: OrderRequest,
    rules: CompiledRules,
    p: Problem,
    out: Outcome,
    screened: Screened,
    rows: Callable[[], CandidateColumns],
    unknown: list[Unplaced],
    method: str,
) -> RoutingDecision:
    best = out.best
    shipments: list[Shipment] = []
    chosen: dict[str, int] = {}
    if best is not None:
        lines: Loads = {}
        chosen, quotes = _totals(p, best.parts, lines)
        shipments = _shipments(p, lines, quotes, screened)
    unplaced = unknown + _unplaced(p, best, screened)
    partly = Status.PARTIALLY_ROUTED if shipments else Status.UNFULFILLABLE
    status = partly if unplaced else Status.ROUTED
    runner = None
    if best is not None and out.runner_up is not None:
        ru = out.runner_up
        theirs, _ = _totals(p, ru.parts)
        runner = RunnerUp(
            tuple(sorted(map(p.codes.__getitem__, ru.locations))),
            ru.cost,
            ru.cost - best.cost,
            {name: theirs[name] - chosen[name] for name in COMPONENTS if theirs[name] != chosen[name]},
            ru.unplaced,
        )
    return RoutingDecision(
        order.id,
        status,
        rules.rule_set_id,
        rules.version,
        shipments,
        rows,
        runner,
        unplaced,
        best.cost if best else None,
        {k: v for k, v in chosen.items() if v or k == "shipping"},
        out.exact,
        method,
        len(order.lines),
    )


def _totals(
    p: Problem, parts: tuple[Part, ...], lines: Loads | None = None
) -> tuple[dict[str, int], dict[int, Quoted]]:
    """A plan's cost components summed over its shipments (ticks), in `COMPONENTS` order, and each
    location's quote.

    Summed as the plan goes, with no dictionary per shipment: only the sums are shown. `lines`, when
    given, receives what each location sends, so the chosen plan's shipments are made from this one
    pass over its parts and its quotes.
    """
    cands, bundles, rules = p.cands, p.bundles, p.rules
    labour_at, overstock_at, rows = cands.labour, cands.overstock, cands.rows
    weight: dict[int, int] = {}
    labour = bonus = 0
    for b, k, qty in parts:
        bundle = bundles[b]
        weight[k] = weight.get(k, 0) + p.part_weight(b, qty)
        per_unit = labour_at.item(k)
        got = None if lines is None else lines.setdefault(k, {})
        for line in bundle.lines:
            n = qty if bundle.splittable else line.qty
            labour += per_unit * n
            bonus += overstock_at.item(rows[line.index], k) * n
            if got is not None:
                key = (line.index, line.sku)
                got[key] = got.get(key, 0) + n
    quotes: dict[int, Quoted] = {}
    shipping = miss = priority = capacity = 0
    for k, grams in weight.items():
        found = quotes[k] = p.quote(k, grams)
        if found is not None:
            # The shipping part without converting the carrier's price again.
            late = missed(found[1], rules, p.promise_by)
            shipping += found[0] - late
            miss += late
        priority += cands.priority.item(k)
        capacity += cands.capacity.item(k)
    totals = {
        "shipping": shipping,
        "promise_miss": miss,
        "shipment_penalty": rules.shipment_penalty * max(len(weight) - 1, 0),  # the first carries none
        "priority": priority,
        "labour": labour,
        "capacity": capacity,
        "overstock": bonus,
    }
    return totals, quotes


def _shipments(p: Problem, lines: Loads, quotes: dict[int, Quoted], screened: Screened) -> list[Shipment]:
    out = []
    column = p.cands.column
    for k in sorted(lines, key=p.codes.__getitem__):
        found = quotes[k]
        assert found is not None  # the plan was only kept because every shipment had a quote
        q = found[1]
        at = column.item(k)  # the screening's columns hold its name and its distance as shown
        out.append(
            Shipment(
                p.codes[k],
                tuple([(sku, n) for (_, sku), n in sorted(lines[k].items())]),
                q.carrier,
                q.service,
                q.cost,
                q.eta,
                screened.names[at],
                screened.tenths[at],
            )
        )
    return out


def _unplaced(p: Problem, plan: Plan | None, screened: Screened) -> list[Unplaced]:
    placed: dict[int, int] = {}
    for b, _, qty in plan.parts if plan else ():
        placed[b] = placed.get(b, 0) + qty
    out = []
    for b, bundle in enumerate(p.bundles):
        missing = bundle.units - placed.get(b, 0)
        if not missing:
            continue
        for line in bundle.lines:
            qty = missing if bundle.splittable else line.qty
            if bundle.options and missing <= bundle.forced_unplaced:
                have = bundle.units - bundle.forced_unplaced
                why = f"only {have} of {bundle.units} units of {line.sku} are available at eligible locations"
                if sum(bundle.usable.values()) > have:
                    why += f" in at most {p.rules.max_shipments} shipment(s)"
            else:
                why = _why_unplaced(p, bundle.options, line.sku, screened)
            out.append(Unplaced(line.sku, qty, why))
    return out


def _why_unplaced(p: Problem, options: list[int], sku: str, screened: Screened) -> str:
    if options:
        rules = p.rules
        limits = [f"at most {rules.max_shipments} shipment(s)"]
        if rules.min_shipment_value:
            limits.append("a minimum shipment value")
        return (
            f"{sku} is in stock elsewhere, but the split policy ({', '.join(limits)}) leaves no room for it"
        )
    # Per considered location, whether it has a stock row for the SKU: the network's row for it (the
    # one screening just read) at their columns, where asking the stock dictionary is a call each.
    held = p.network.stock_row(sku)[0, 0][screened.at].nonzero()[0]
    total = len(held)
    if not total:
        return f"no location has {sku} in stock"
    reasons = []
    for k in held[:MAX_REASONS].tolist():
        _, _, reason, unavailable = screened.entries[screened.entry[k]]
        reasons.append(f"{screened.names[k]} ({screened.codes[k]}): " + (unavailable.get(sku) or reason))
    more = total - MAX_REASONS
    tail = f"; and {more} more" if more > 0 else ""
    return f"no eligible location can supply {sku}: " + "; ".join(reasons) + tail
