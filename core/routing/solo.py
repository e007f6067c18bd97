"""What each eligible location would cost shipping the order alone: the explanation's per-location scores.

Every eligible location is priced alone (all it can supply, as one parcel) for two reasons: a
location no carrier serves even alone is excluded ("no_carrier"), and the explanation shows each
location's cost components so "why not X?" can be answered. The exclusion is needed before the
search; the score dictionaries only when someone reads the explanation, so they are built lazily
from the same memoised quotes.
"""

from __future__ import annotations

from core.routing.candidates import Candidate
from core.routing.decision import Row, amount_text, money_texts
from core.routing.problem import Problem, Quoted


def solo_quotes(p: Problem) -> list[Quoted]:
    """Per candidate its quote shipping alone every usable unit; excludes those no carrier takes it from."""
    out = []
    for k, c in enumerate(p.cands):
        weight = c.weight_g  # the line filter summed it: every usable unit of every line
        found = p.quote(k, weight)
        out.append(found)
        if found is None:
            dest = p.destination.postal_code or f"{p.destination.latitude:.3f},{p.destination.longitude:.3f}"
            c.exclude("no_carrier", p.rules, weight_kg=weight / 1000, destination=dest)
    return out


def solo_scores(p: Problem, k: int, found: Quoted) -> dict[str, int] | None:
    """Candidate k's cost components (ticks) shipping alone as `found` quotes; None if no carrier.

    Components are listed in `COMPONENTS` order and zero ones left out, as explanations show them.
    """
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


def row(c: Candidate, scores: dict[str, int] | None) -> Row:
    """The candidate's JSON row (`CANDIDATE_KEYS`), money as text."""
    loc, why, text = c.loc, c.excluded_by, c.text
    return {
        "location": loc.code,
        "name": loc.name,
        "type": str(loc.type),
        "distance_km": round(c.distance_km, 1),
        "eligible": why is None,
        "excluded_by": why,
        "reason": text if text is not None else c.template.format(**c.values) if why is not None else "",
        "values": c.values,
        "scores": money_texts(scores) if scores else {},
        "total": amount_text(sum(scores.values())) if scores else None,
        "unavailable": c.unavailable,
        "items": c.items,
    }


def rows(p: Problem, cands: list[Candidate], quotes: list[Quoted]) -> list[Row]:
    """Every considered location, in screening order; `quotes` are `solo_quotes(p)`."""
    index = {id(c): k for k, c in enumerate(p.cands)}
    out = []
    for c in cands:
        k = index.get(id(c))
        out.append(row(c, None if k is None else solo_scores(p, k, quotes[k])))
    return out
