"""What each eligible location would cost shipping the order alone: the explanation's per-location scores.

Every eligible location is priced alone (all it can supply, as one parcel) for two reasons: a
location no carrier serves even alone is excluded ("no_carrier"), and the explanation shows each
location's cost components so "why not X?" can be answered. The exclusion is needed before the
search; the score dictionaries only when someone reads the explanation, so they are built lazily
from the same memoised quotes.
"""

from __future__ import annotations

from core.routing.candidates import _NOTHING, Screened
from core.routing.decision import Row, amount_text, money_texts
from core.routing.problem import Problem, Quoted


def solo_quotes(p: Problem, screened: Screened) -> list[Quoted]:
    """Per candidate its quote shipping alone every usable unit; excludes those no carrier takes it from."""
    cands = p.cands
    out = p.quotes_at(list(range(len(cands))), [c.weight_g for c in cands])  # every usable unit
    for k in [k for k, found in enumerate(out) if found is None]:
        c, weight = cands[k], cands[k].weight_g
        dest = p.destination.postal_code or f"{p.destination.latitude:.3f},{p.destination.longitude:.3f}"
        screened.drop(c.exclude("no_carrier", p.rules, weight_kg=weight / 1000, destination=dest))
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


def rows(p: Problem, screened: Screened, quotes: list[Quoted]) -> list[Row]:
    """Every considered location's JSON row (`CANDIDATE_KEYS`), in screening order, money as text.

    Made in one pass over the screening's columns; `quotes` are `solo_quotes(p)`.
    """
    n = len(screened.locs)
    scores: list[dict[str, str]] = [_NOTHING] * n
    totals: list[str | None] = [None] * n
    texts: dict[tuple[tuple[str, int], ...], tuple[dict[str, str], str]] = {}  # locations alike share one
    for k, c in enumerate(p.cands):
        ticks = solo_scores(p, k, quotes[k])
        if ticks:
            key = tuple(ticks.items())
            found = texts.get(key)
            if found is None:
                found = texts[key] = (money_texts(ticks), amount_text(sum(ticks.values())))
            scores[c.column], totals[c.column] = found
    return [
        {
            "location": loc.code,
            "name": loc.name,
            "type": str(loc.type),
            "distance_km": round(km, 1),
            "eligible": why is None,
            "excluded_by": why,
            "reason": reason,
            "values": values,
            "scores": score,
            "total": total,
            "unavailable": unavailable,
            "items": items,
        }
        for loc, km, why, reason, values, score, total, unavailable, items in zip(
            screened.locs,
            screened.km,
            screened.excluded_by,
            screened.reason,
            screened.values,
            scores,
            totals,
            screened.unavailable,
            screened.items,
            strict=True,
        )
    ]
