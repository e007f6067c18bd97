"""What each eligible location would cost shipping the order alone: the explanation's per-location scores.

Every eligible location is priced alone (all it can supply, as one parcel) for two reasons: a
location no carrier serves even alone is excluded ("no_carrier"), and the explanation shows each
location's cost components so "why not X?" can be answered. The exclusion is needed before the
search; the score dictionaries only when someone reads the explanation, so they are built lazily
from the same memoised quotes.
"""

from __future__ import annotations

from collections.abc import Callable

from core.routing.candidate_columns import CandidateColumns, tenths
from core.routing.candidates import _NOTHING, Eligible, Screened
from core.routing.decision import amount_text, money_texts
from core.routing.problem import Problem, Quoted


def priced(screened: Screened, build: Callable[[Eligible], Problem]) -> tuple[Problem, list[Quoted]]:
    """The problem over the eligible locations some carrier serves alone, and their solo quotes.

    A location no carrier takes even its own parcel from is excluded ("no_carrier") before the
    search, so the problem is built again without it.
    """
    p = build(screened.eligible)
    quotes = solo_quotes(p, screened)
    if any(q is None for q in quotes):
        keep = [k for k, q in enumerate(quotes) if q is not None]
        p = build(p.cands.subset(keep))
        quotes = [quotes[k] for k in keep]
    return p, quotes


def solo_quotes(p: Problem, screened: Screened) -> list[Quoted]:
    """Per candidate its quote shipping alone every usable unit; excludes those no carrier takes it from."""
    cands = p.cands
    out = p.quotes_at(list(range(p.n)), cands.weight_g)  # every usable unit
    for k in [k for k, found in enumerate(out) if found is None]:
        dest = p.destination.postal_code or f"{p.destination.latitude:.3f},{p.destination.longitude:.3f}"
        values = {"weight_kg": cands.weight_g[k] / 1000, "destination": dest}
        screened.drop(cands.column[k], "no_carrier", p.rules, values)
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
    cands = p.cands
    for column, found, priority, labour, units, capacity, bonus in zip(
        cands.column,
        quotes,
        cands.priority,
        cands.labour.tolist(),
        cands.units,
        cands.capacity,
        cands.bonus,
        strict=True,
    ):
        if found is not None:
            key = (found[0], 0 if found[1].meets_promise else miss, priority, labour * units, capacity, bonus)
            scores[column], totals[column] = texts.get(key) or _texts(texts, key)
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
