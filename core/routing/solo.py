"""What each eligible location would cost shipping the order alone: the explanation's per-location scores.

Every eligible location is priced alone (all it can supply, as one parcel) for two reasons: a
location no carrier serves even alone is excluded ("no_carrier"), and the explanation shows each
location's cost components so "why not X?" can be answered. The exclusion is needed before the
search; the score dictionaries only when someone reads the explanation, so they are built lazily
from the same memoised quotes.
"""

from __future__ import annotations

from core.routing.candidates import Candidate, Line
from core.routing.decision import CandidateReport
from core.routing.problem import Problem


def solo_weights(p: Problem, lines: list[Line]) -> list[int]:
    """Per candidate the weight (g) it would send alone; excludes those no carrier takes it from."""
    out = []
    for k, c in enumerate(p.cands):
        weight = c.weight_g  # the line filter summed it: every usable unit of every line
        out.append(weight)
        if p.ship(k, weight) is None:
            dest = p.destination.postal_code or f"{p.destination.latitude:.3f},{p.destination.longitude:.3f}"
            c.exclude("no_carrier", p.rules, weight_kg=weight / 1000, destination=dest)
    return out


def solo_scores(p: Problem, k: int, weight: int) -> dict[str, int] | None:
    """Candidate k's cost components (ticks) shipping `weight` alone; None if no carrier takes it.

    Components are listed in `COMPONENTS` order and zero ones left out, as explanations show them.
    """
    found = p.quote(k, weight)
    if found is None:
        return None
    ticks, quote = found
    c = p.cands[k]
    miss = 0 if quote.meets_promise or p.promise_by is None else p.rules.promise_miss
    scores = {"shipping": ticks - miss}
    if miss:
        scores["promise_miss"] = miss
    if c.priority:
        scores["priority"] = c.priority
    usable = c.usable
    if c.labour:
        labour = c.labour * sum(usable.values())
        if labour:
            scores["labour"] = labour
    if c.capacity:
        scores["capacity"] = c.capacity
    overstock = c.overstock
    if any(overstock.values()):
        bonus = sum(overstock[i] * n for i, n in usable.items())
        if bonus:
            scores["overstock"] = bonus
    return scores


def report(c: Candidate, scores: dict[str, int] | None, lines: list[Line]) -> CandidateReport:
    usable = c.usable
    full = 0
    if usable:
        for line in lines:
            if usable.get(line.index, 0) >= line.qty:
                full += 1
    loc = c.loc
    return CandidateReport(
        loc.code,
        loc.name,
        str(loc.type),
        round(c.distance_km, 1),
        c.excluded_by is None,
        c.excluded_by,
        c.reason if c.excluded_by is not None or c.text is not None else "",
        c.values,
        scores or {},
        sum(scores.values()) if scores else None,
        c.unavailable,
        full,
    )


def reports(
    p: Problem, cands: list[Candidate], weights: list[int], lines: list[Line]
) -> list[CandidateReport]:
    """Every considered location, in screening order; `weights` are `solo_weights(p)`."""
    index = {id(c): k for k, c in enumerate(p.cands)}
    out = []
    for c in cands:
        k = index.get(id(c))
        out.append(report(c, None if k is None else solo_scores(p, k, weights[k]), lines))
    return out
