"""Simulating a rule change: the same orders routed under two rule sets from the same network state.

A regional manager who changes a rule (a heavier penalty per extra shipment, a store taken out of
ship-from-store) wants to know what it would do before activating it: which orders would go
elsewhere, at what cost, how many more would split. Each rule set routes the orders in turn, oldest
first, on one network snapshot, taking stock and capacity as it goes as the hub would; the
snapshot is rewound between the two runs (`Journal`), so both start alike, and nothing is written.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from core.domain.orders import OrderRequest
from core.routing.compiled import TICKS
from core.routing.decision import RoutingDecision
from core.routing.journal import Journal
from core.routing.planner import Planner
from core.routing.snapshot import NetworkSnapshot


def _dollars(ticks: float) -> float:
    return round(ticks / TICKS, 2)


def placement(d: RoutingDecision) -> tuple[tuple[str, tuple[tuple[str, int], ...]], ...]:
    """Where each unit goes: (location, lines) per shipment, in a fixed order."""
    return tuple(sorted((s.location, tuple(sorted(s.lines))) for s in d.shipments))


@dataclass
class RunFigures:
    """What one rule set did with the orders."""

    rule_set: str
    statuses: Counter[str] = field(default_factory=Counter)
    costs: list[int] = field(default_factory=list)  # ticks, orders with a plan
    shipped: int = 0  # orders with at least one shipment
    split: int = 0  # of which in more than one
    km: list[float] = field(default_factory=list)  # every shipment's distance
    units: Counter[str] = field(default_factory=Counter)  # units sent from each location

    def add(self, d: RoutingDecision) -> None:
        self.statuses[str(d.status)] += 1
        if d.total is not None and d.shipments:
            self.costs.append(d.total)
        if d.shipments:
            self.shipped += 1
            self.split += len(d.shipments) > 1
        for s in d.shipments:
            self.km.append(s.distance_km)
            self.units[s.location] += sum(q for _, q in s.lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule_set": self.rule_set,
            "statuses": dict(sorted(self.statuses.items())),
            "total_cost_usd": _dollars(sum(self.costs)),
            "avg_cost_usd": _dollars(sum(self.costs) / len(self.costs)) if self.costs else None,
            "split_rate": round(self.split / self.shipped, 4) if self.shipped else 0.0,
            "avg_shipment_km": round(sum(self.km) / len(self.km), 1) if self.km else 0.0,
            "units_placed": sum(self.units.values()),
            "units_by_location": dict(sorted(self.units.items())),
        }


@dataclass(frozen=True)
class Change:
    """An order the candidate rules would route differently, with their own explanation."""

    order_id: str
    before: str  # "S07", "S07 + DC1" or "nothing"
    after: str
    cost_difference: int | None  # ticks, candidate minus current (None: one of them has no plan)
    explanation: str  # the candidate decision's plain sentences

    def to_dict(self) -> dict[str, Any]:
        diff = self.cost_difference
        return {
            "order_id": self.order_id,
            "current": self.before,
            "candidate": self.after,
            "cost_difference_usd": _dollars(diff) if diff is not None else None,
            "explanation": self.explanation,
        }


@dataclass
class Comparison:
    orders: int
    current: RunFigures
    candidate: RunFigures
    changes: list[Change]

    def moved_units(self) -> list[tuple[str, int, int]]:
        """(location, units now, units under the candidate) where they differ, biggest shift first."""
        now, then = self.current.units, self.candidate.units
        rows = [
            (code, now[code], then[code]) for code in sorted(set(now) | set(then)) if now[code] != then[code]
        ]
        return sorted(rows, key=lambda r: (-abs(r[2] - r[1]), r[0]))

    def to_dict(self) -> dict[str, Any]:
        return {
            "orders": self.orders,
            "current": self.current.to_dict(),
            "candidate": self.candidate.to_dict(),
            "orders_changed": len(self.changes),
            "units_moved": [
                {"location": code, "current": a, "candidate": b} for code, a, b in self.moved_units()
            ],
            "changes": [c.to_dict() for c in self.changes],
        }


def _where(d: RoutingDecision) -> str:
    return " + ".join(s.location for s in d.shipments) or "nothing"


def _run(planner: Planner, orders: list[OrderRequest], journal: Journal) -> list[RoutingDecision]:
    decisions = []
    for order in orders:
        decision = planner.route(order, journal.network)
        journal.allocate(decision)
        decisions.append(decision)
    journal.rewind()
    return decisions


def simulate(
    orders: list[OrderRequest], network: NetworkSnapshot, current: Planner, candidate: Planner
) -> Comparison:
    """Both rule sets over the orders, oldest first, each from the network as it is given."""
    ordered = sorted(orders, key=lambda o: (o.placed_at, o.id))
    journal = Journal(network)
    figures = []
    runs = []
    for planner in (current, candidate):
        rules = planner.rule_set
        run = _run(planner, ordered, journal)
        tally = RunFigures(f"{rules.id} v{rules.version}")
        for d in run:
            tally.add(d)
        figures.append(tally)
        runs.append(run)
    changes = []
    for before, after in zip(*runs, strict=True):
        if placement(before) == placement(after) and before.status == after.status:
            continue
        diff = after.total - before.total if before.total is not None and after.total is not None else None
        changes.append(Change(after.order_id, _where(before), _where(after), diff, after.text))
    return Comparison(len(ordered), figures[0], figures[1], changes)
