"""A routing decision as stored, returned by the hub and replayed: DESIGN.md "Routing decision JSON".

The decision carries everything its explanation needs (every candidate with its exclusion or cost
components, the runner-up), so text and "why not X?" can be rendered again from stored JSON alone.
Text is rendered on demand: routing thousands of orders a second should not format sentences
nobody reads. Amounts other than carrier prices are integer ticks (1/10,000 of the currency unit,
see `core.routing.compiled`); JSON shows them as decimal strings.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    ROUTED = "routed"
    PARTIALLY_ROUTED = "partially_routed"
    UNFULFILLABLE = "unfulfillable"


@dataclass(frozen=True, slots=True)
class Shipment:
    location: str
    lines: tuple[tuple[str, int], ...]  # (sku, qty)
    carrier: str
    service: str
    cost: Decimal  # the carrier's price for this parcel
    eta: date | None
    name: str = ""
    distance_km: float = 0.0


@dataclass
class CandidateReport:
    """A considered location: `excluded_by` names the filter, else `scores` price what it alone could take.

    Not frozen, unlike the other parts of a decision: one is made for every considered location of
    every order (~170 on a 200-location network), and a frozen dataclass is ten times slower to make.
    Nothing changes one after it is made. Its fields are the explanation's JSON keys, in order, so
    `to_dict` copies the instance dictionary and only formats the money.
    """

    location: str
    name: str
    type: str
    distance_km: float
    eligible: bool
    excluded_by: str | None
    reason: str
    values: dict[str, Any]
    scores: dict[str, int]
    total: int | None
    unavailable: dict[str, str]  # sku -> why this location cannot supply it
    items: int = 0  # how many of the order's lines it could supply in full


@dataclass(frozen=True, slots=True)
class RunnerUp:
    locations: tuple[str, ...]
    total: int
    difference: int
    differences: dict[str, int]  # component -> runner-up minus chosen
    unplaced: int = 0


@dataclass(frozen=True, slots=True)
class Unplaced:
    sku: str
    qty: int
    reason: str


@dataclass
class RoutingDecision:
    order_id: str
    status: Status
    rule_set_id: str
    rule_set_version: int
    shipments: list[Shipment]
    reports: list[CandidateReport] | Callable[[], list[CandidateReport]]  # a callable is built on first use
    runner_up: RunnerUp | None
    unplaced: list[Unplaced]
    total: int | None
    scores: dict[str, int]
    exact: bool
    method: str
    line_count: int = 0
    _text: tuple[str, str] | None = field(default=None, repr=False, compare=False)

    @property
    def candidates(self) -> list[CandidateReport]:
        """Every considered location; built on first use, since most decisions are stored, not read."""
        if callable(self.reports):
            self.reports = self.reports()
        return self.reports

    def candidate(self, code: str) -> CandidateReport | None:
        return next((c for c in self.candidates if c.location == code), None)

    @property
    def summary(self) -> str:
        return self._rendered()[0]

    @property
    def text(self) -> str:
        return self._rendered()[1]

    def _rendered(self) -> tuple[str, str]:
        if self._text is None:
            from core.routing.explain import render  # explain reads decisions; import late to stay acyclic

            self._text = render(self)
        return self._text

    def to_dict(self) -> dict[str, Any]:
        ru = self.runner_up
        return {
            "order_id": self.order_id,
            "status": str(self.status),
            "rule_set": {"id": self.rule_set_id, "version": self.rule_set_version},
            "shipments": [
                {
                    "location": s.location,
                    "lines": [{"sku": sku, "qty": q} for sku, q in s.lines],
                    "carrier": s.carrier,
                    "service": s.service,
                    "cost": str(s.cost),
                    "eta": s.eta.isoformat() if s.eta else None,
                    "name": s.name,
                    "distance_km": s.distance_km,
                }
                for s in self.shipments
            ],
            "explanation": {
                "summary": self.summary,
                "candidates": [_candidate(c) for c in self.candidates],
                "runner_up": None
                if ru is None
                else {
                    "locations": list(ru.locations),
                    "total": _amount(ru.total),
                    "difference": _amount(ru.difference),
                    "differences": _money(ru.differences),
                    "unplaced": ru.unplaced,
                },
                "total": _amount(self.total),
                "scores": _money(self.scores),
            },
            "text": self.text,
            "exact": self.exact,
            "method": self.method,
            "unplaced": [{"sku": u.sku, "qty": u.qty, "reason": u.reason} for u in self.unplaced],
            "line_count": self.line_count,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, default=str)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> RoutingDecision:
        ex = d["explanation"]
        ru = ex.get("runner_up")
        return cls(
            order_id=d["order_id"],
            status=Status(d["status"]),
            rule_set_id=d["rule_set"]["id"],
            rule_set_version=d["rule_set"]["version"],
            shipments=[
                Shipment(
                    s["location"],
                    tuple((x["sku"], x["qty"]) for x in s["lines"]),
                    s["carrier"],
                    s["service"],
                    Decimal(s["cost"]),
                    date.fromisoformat(s["eta"]) if s["eta"] else None,
                    s.get("name", ""),
                    s.get("distance_km", 0.0),
                )
                for s in d["shipments"]
            ],
            reports=[
                CandidateReport(
                    c["location"],
                    c.get("name", ""),
                    c.get("type", ""),
                    c.get("distance_km", 0.0),
                    c["eligible"],
                    c["excluded_by"],
                    c.get("reason", ""),
                    c.get("values", {}),
                    _ticks(c.get("scores", {})),
                    _tick(c["total"]),
                    c.get("unavailable", {}),
                    c.get("items", 0),
                )
                for c in ex["candidates"]
            ],
            runner_up=None
            if ru is None
            else RunnerUp(
                tuple(ru["locations"]),
                _tick(ru["total"]),
                _tick(ru["difference"]),
                _ticks(ru["differences"]),
                ru.get("unplaced", 0),
            ),
            unplaced=[Unplaced(u["sku"], u["qty"], u["reason"]) for u in d.get("unplaced", [])],
            total=_tick(ex.get("total")),
            scores=_ticks(ex.get("scores", {})),
            exact=d.get("exact", True),
            method=d.get("method", ""),
            line_count=d.get("line_count", 0),
            _text=(ex["summary"], d["text"]),
        )

    @classmethod
    def from_json(cls, text: str) -> RoutingDecision:
        return cls.from_dict(json.loads(text))


def _candidate(c: CandidateReport) -> dict[str, Any]:
    """location, name, type, distance_km, eligible, excluded_by, reason, values, scores, total,
    unavailable, items: the fields in order, money as decimal strings."""
    out = c.__dict__.copy()
    if c.scores:
        out["scores"] = _money(c.scores)
    if c.total is not None:
        out["total"] = amount_text(c.total)
    return out


def amount(ticks: int) -> Decimal:
    """Ticks as money: cents when exact to the cent, else all four places, so JSON round-trips."""
    value = Decimal(ticks).scaleb(-4)
    cents = value.quantize(Decimal("0.01"))
    return cents if cents == value else value


_TEXTS: dict[int, str] = {}  # amounts repeat (the same parcel prices, labour per unit): format once
_MAX_TEXTS = 100_000


def amount_text(ticks: int) -> str:
    """`str(amount(ticks))` with integer arithmetic: explanations format thousands of these a second."""
    found = _TEXTS.get(ticks)
    if found is None:
        sign, t = ("-", -ticks) if ticks < 0 else ("", ticks)
        if t % 100:
            found = f"{sign}{t // 10_000}.{t % 10_000:04d}"
        else:
            found = f"{sign}{t // 10_000}.{t // 100 % 100:02d}"
        if len(_TEXTS) >= _MAX_TEXTS:
            _TEXTS.clear()
        _TEXTS[ticks] = found
    return found


def _amount(ticks: int | None) -> str | None:
    return None if ticks is None else amount_text(ticks)


def _money(values: dict[str, int]) -> dict[str, str]:
    texts = _TEXTS
    return {k: texts.get(v) or amount_text(v) for k, v in values.items()} if values else {}


def _tick(text: str | None) -> int | None:
    return None if text is None else int(Decimal(text).scaleb(4))


def _ticks(values: dict[str, str]) -> dict[str, int]:
    return {k: int(Decimal(v).scaleb(4)) for k, v in values.items()}
