"""A routing decision as stored, returned by the hub and replayed: DESIGN.md "Routing decision JSON".

The decision carries everything its explanation needs (every candidate with its exclusion or cost
components, the runner-up), so text and "why not X?" can be rendered again from stored JSON alone.
Text is rendered on demand: routing thousands of orders a second should not format sentences
nobody reads. Amounts other than carrier prices are integer ticks (1/10,000 of the currency unit,
see `core.routing.compiled`); JSON shows them as decimal strings.

Candidates are held as columns (`core.routing.candidate_columns`), made once by the planner or
read back from storage, and the text is rendered from them. Two forms leave the decision:
`to_dict()`, DESIGN.md's JSON with one row per considered location (the CLI and the hub's API
answers), and `to_stored()`, what the hub's database keeps: the same document with the candidates
as columns, each distinct exclusion and price once (`explanation.candidate_columns`), which
`expand_stored` (or `from_dict`) turns back into exactly that JSON. `CandidateReport` objects,
with money back in ticks, are made only for whoever asks (`candidates`, `candidate(code)`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import cache
from typing import Any

from core.routing.candidate_columns import CandidateColumns, Row

STORED_CANDIDATES = "candidate_columns"  # the stored form's key in place of "candidates"


class Status(StrEnum):
    ROUTED = "routed"
    PARTIALLY_ROUTED = "partially_routed"
    UNFULFILLABLE = "unfulfillable"


# A decision's parts (shipments, unplaced lines, the runner-up) are not frozen: every order makes a
# few, a frozen dataclass sets each field through `object.__setattr__` (three to four times the
# instructions of plain assignment), and nothing changes one once made.
@dataclass(slots=True)
class Shipment:
    location: str
    lines: tuple[tuple[str, int], ...]  # (sku, qty)
    carrier: str
    service: str
    cost: Decimal  # the carrier's price for this parcel
    eta: date | None
    name: str = ""
    distance_km: float = 0.0


@dataclass(frozen=True, slots=True)
class CandidateReport:
    """A considered location: `excluded_by` names the filter, else `scores` price what it alone could take.

    Its fields are the explanation's JSON keys, in order (`candidate_columns.CANDIDATE_KEYS`), with
    money in ticks.
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

    @classmethod
    def from_row(cls, c: dict[str, Any]) -> CandidateReport:
        """From a candidate's JSON row, as stored."""
        return cls(
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


@dataclass(slots=True)
class RunnerUp:
    locations: tuple[str, ...]
    total: int
    difference: int
    differences: dict[str, int]  # component -> runner-up minus chosen
    unplaced: int = 0


@dataclass(slots=True)
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
    columns: CandidateColumns | Callable[[], CandidateColumns]  # a callable is called on first use
    runner_up: RunnerUp | None
    unplaced: list[Unplaced]
    total: int | None
    scores: dict[str, int]
    exact: bool
    method: str
    line_count: int = 0
    _text: tuple[str, str] | None = field(default=None, repr=False, compare=False)
    _rows: list[Row] | None = field(default=None, repr=False, compare=False)

    @property
    def candidate_columns(self) -> CandidateColumns:
        """Every considered location, in screening order (by code)."""
        if callable(self.columns):
            self.columns = self.columns()
        return self.columns

    @property
    def candidate_rows(self) -> list[Row]:
        """Every considered location's JSON row, in screening order (by code)."""
        if self._rows is None:
            self._rows = self.candidate_columns.rows()
        return self._rows

    @property
    def candidates(self) -> list[CandidateReport]:
        return [CandidateReport.from_row(c) for c in self.candidate_rows]

    def row(self, code: str) -> Row | None:
        cols = self.candidate_columns
        i = cols.find(code)
        return None if i is None else cols.row(i)

    def candidate(self, code: str) -> CandidateReport | None:
        found = self.row(code)
        return None if found is None else CandidateReport.from_row(found)

    @property
    def summary(self) -> str:
        return self._rendered()[0]

    @property
    def text(self) -> str:
        return self._rendered()[1]

    def _rendered(self) -> tuple[str, str]:
        if self._text is None:
            self._text = _renderer()(self)
        return self._text

    def to_dict(self) -> dict[str, Any]:
        """The decision JSON; its candidate rows are the decision's own, so read, store or copy them."""
        return self._document("candidates", list(self.candidate_rows))

    def to_stored(self) -> dict[str, Any]:
        """What the hub keeps: `to_dict()` with the candidates as columns; `expand_stored` undoes it."""
        return self._document(STORED_CANDIDATES, self.candidate_columns.to_stored())

    def _document(self, key: str, candidates: object) -> dict[str, Any]:
        ru = self.runner_up
        summary, text = self._rendered()
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
                    "eta": _day_text(s.eta) if s.eta else None,
                    "name": s.name,
                    "distance_km": s.distance_km,
                }
                for s in self.shipments
            ],
            "explanation": {
                "summary": summary,
                key: candidates,
                "runner_up": None
                if ru is None
                else {
                    "locations": list(ru.locations),
                    "total": _amount(ru.total),
                    "difference": _amount(ru.difference),
                    "differences": money_texts(ru.differences),
                    "unplaced": ru.unplaced,
                },
                "total": _amount(self.total),
                "scores": money_texts(self.scores),
            },
            "text": text,
            "exact": self.exact,
            "method": self.method,
            "unplaced": [{"sku": u.sku, "qty": u.qty, "reason": u.reason} for u in self.unplaced]
            if self.unplaced
            else [],
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
            columns=CandidateColumns.from_stored(ex[STORED_CANDIDATES])
            if STORED_CANDIDATES in ex
            else CandidateColumns.from_rows(ex["candidates"]),
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


@cache
def _renderer() -> Callable[[RoutingDecision], tuple[str, str]]:
    """`explain.render`, imported on first use (explain reads decisions: imported above, it would be
    a cycle) and kept, as an import statement run per decision costs more than a short sentence."""
    from core.routing.explain import render

    return render


def expand_stored(document: dict[str, Any]) -> dict[str, Any]:
    """The decision JSON of a stored document (`to_stored`); documents stored with rows are as they were."""
    ex = document["explanation"]
    if STORED_CANDIDATES not in ex:
        return document
    explanation = {}
    for k, v in ex.items():  # the keys keep their order
        if k == STORED_CANDIDATES:
            explanation["candidates"] = CandidateColumns.from_stored(v).rows()
        else:
            explanation[k] = v
    return {k: explanation if k == "explanation" else v for k, v in document.items()}


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


_DAYS: dict[date, str] = {}  # a day's shipments share a few delivery dates: written once each


def _day_text(day: date) -> str:
    """`day.isoformat()`, a dictionary lookup once made (formatting a date costs ten times more)."""
    found = _DAYS.get(day)
    if found is None:
        if len(_DAYS) >= _MAX_TEXTS:
            _DAYS.clear()
        found = _DAYS[day] = day.isoformat()
    return found


def _amount(ticks: int | None) -> str | None:
    return None if ticks is None else amount_text(ticks)


def money_texts(values: dict[str, int]) -> dict[str, str]:
    texts = _TEXTS
    return {k: texts.get(v) or amount_text(v) for k, v in values.items()} if values else {}


def _tick(text: str | None) -> int | None:
    return None if text is None else int(Decimal(text).scaleb(4))


def _ticks(values: dict[str, str]) -> dict[str, int]:
    return {k: int(Decimal(v).scaleb(4)) for k, v in values.items()}
