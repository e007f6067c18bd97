"""What each eligible location would cost shipping the order alone: the explanation's per-location scores.

Every eligible location is priced alone (all it can supply, as one parcel) for two reasons: a
location no carrier serves even alone is excluded ("no_carrier"), and the explanation shows each
location's cost components so "why not X?" can be answered. The exclusion is needed before the
search; the score dictionaries only when someone reads the explanation, so they are built lazily
from the same memoised quotes.
"""

from __future__ import annotations

from core.routing.candidate_columns import CandidateColumns, tenths
from core.routing.candidates import _NOTHING, Screened
from core.routing.decision import amount_text, money_texts
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


def rows(p: Problem, screened: Screened, quotes: list[Quoted]) -> CandidateColumns:
    """Every considered location's entry of the explanation, in screening order, money as text.

    Made from the screening's columns; `quotes` are `solo_quotes(p)`. An eligible location's cost
    components shipping alone are keyed by their values, so locations alike (most of them: one
    lane, one labour rate) share one dictionary and its money texts.
    """
    n = len(screened.locs)
    scores: list[dict[str, str]] = [_NOTHING] * n
    totals: list[str | None] = [None] * n
    miss = p.rules.promise_miss if p.promise_by is not None else 0
    texts: dict[_Key, tuple[dict[str, str], str]] = {}
    for c, found in zip(p.cands, quotes, strict=True):
        if found is not None:
            key = (
                found[0],
                0 if found[1].meets_promise else miss,
                c.priority,
                c.labour * c.units,
                c.capacity,
                c.bonus,
            )
            scores[c.column], totals[c.column] = texts.get(key) or _texts(texts, key)
    why = screened.excluded_by
    return CandidateColumns(
        screened.codes,
        screened.names,
        screened.types,
        tenths(screened.km),
        [w is None for w in why],
        why,
        screened.reason,
        screened.values,
        scores,
        totals,
        screened.unavailable,
        screened.items,
    )


_Key = tuple[
    int, int, int, int, int, int
]  # shipping and penalty ticks, priority, labour, capacity, overstock


def _texts(texts: dict[_Key, tuple[dict[str, str], str]], key: _Key) -> tuple[dict[str, str], str]:
    """A location's cost components alone, in `COMPONENTS` order without the zero ones, as money text."""
    ticks, miss, priority, labour, capacity, bonus = key
    scores = {"shipping": ticks - miss}
    for name, value in (
        ("promise_miss", miss),
        ("priority", priority),
        ("labour", labour),
        ("capacity", capacity),
        ("overstock", bonus),
    ):
        if value:
            scores[name] = value
    found = texts[key] = (money_texts(scores), amount_text(sum(scores.values())))
    return found
