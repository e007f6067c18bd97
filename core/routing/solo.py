"""What each eligible location would cost shipping the order alone: the explanation's per-location scores.

Every eligible location is priced alone (all it can supply, as one parcel) for two reasons: a
location no carrier serves even alone is excluded ("no_carrier"), and the explanation shows each
location's cost components so "why not X?" can be answered. The exclusion is needed before the
search; the score dictionaries only when someone reads the explanation, so they are built lazily
from the same memoised quotes.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from core.routing.candidate_columns import CandidateColumns
from core.routing.candidates import _NOTHING, Eligible, Screened
from core.routing.compiled import CompiledRules
from core.routing.decision import amount_text, money_texts
from core.routing.kernels import SOLO_COMPONENTS, solo_entries
from core.routing.problem import Problem
from core.routing.quote_table import NO_CARRIER
from core.routing.shipping import Address

# Per candidate alone: ticks (NO_CARRIER: none), promise penalty, and `solo_entries`' result where
# the call that priced them made it too (`core.routing.fused`), else None.
SoloQuotes = tuple[np.ndarray, np.ndarray, np.ndarray | None]


def priced(screened: Screened, build: Callable[[Eligible], Problem]) -> tuple[Problem, SoloQuotes]:
    """The problem over the eligible locations some carrier serves alone, and their solo quotes.

    A location no carrier takes even its own parcel from is excluded ("no_carrier") before the
    search, so the problem is built again without it.
    """
    p = build(screened.eligible)
    ticks, penalty = p.ticks_at(np.arange(p.n), p.cands.weight_g)  # every usable unit
    # Quoted ticks are never negative, so the least is NO_CARRIER only where some carrier is missing
    # (the ufunc itself: `all()` and `min()` go through numpy's Python wrappers first).
    if len(ticks) and np.minimum.reduce(ticks) == NO_CARRIER:
        carried = ticks != NO_CARRIER
        no_carrier(p.cands, p.destination, p.rules, screened, (~carried).nonzero()[0].tolist())
        keep = carried.nonzero()[0]
        p = build(p.cands.subset(keep.tolist()))
        ticks, penalty = ticks[keep], penalty[keep]
    return p, (ticks, penalty, None)


def no_carrier(
    cands: Eligible, destination: Address, rules: CompiledRules, screened: Screened, dropped: list[int]
) -> None:
    """Exclude the candidates no carrier takes their own parcel from."""
    dest = destination.postal_code or f"{destination.latitude:.3f},{destination.longitude:.3f}"
    for k in dropped:
        values = {"weight_kg": int(cands.weight_g[k]) / 1000, "destination": dest}
        screened.drop(int(cands.column[k]), "no_carrier", rules, values)


def rows(p: Problem, screened: Screened, quotes: SoloQuotes) -> CandidateColumns:
    """Every considered location's entry of the explanation, in screening order, money as text.

    Made from the screening's columns; `quotes` are `priced`'s (or `fused.settle_at_once`'s, with
    `solo_entries`' result already made). An eligible location's cost components shipping alone
    are keyed by their values, so locations alike (most of them: one lane, one labour rate) share
    one price (`CandidateColumns.prices`): a dictionary and its money texts, made once and then
    shared by every order with the same components (never written to once made).
    """
    cands = p.cands
    ticks, penalty, found = quotes
    considered = len(screened.codes)
    if found is None:
        found = solo_entries(
            ticks,
            penalty,
            cands.priority,
            cands.labour,
            cands.units,
            cands.capacity,
            cands.bonus,
            cands.column,
            considered,
            NO_CARRIER,
        )
    # Each distinct row's bytes are its key: made and hashed in C, where a tuple of six ints costs
    # the ints, the tuple and a hash of each.
    keys = found[considered:].view(_ROW).tolist()
    prices = [_UNPRICED, *map(_TEXTS.get, keys)]  # looked up in C; the few never seen are made below
    if not all(prices):  # a None among them (`in` would compare each price with None in full)
        prices[1:] = [made or _texts(key) for made, key in zip(prices[1:], keys, strict=True)]
    return CandidateColumns(
        screened.codes,
        screened.names,
        screened.types,
        screened.tenths,
        screened.items,
        screened.entry,
        screened.entries,
        found[:considered].tolist(),
        prices,
    )


_ROW = np.dtype((np.void, SOLO_COMPONENTS * 8))  # a row of `solo_entries`' components as bytes

_UNPRICED: tuple[dict[str, str], None] = (_NOTHING, None)  # an excluded location's scores and total
_TEXTS: dict[bytes, tuple[dict[str, str], str]] = {}  # shared by every order: the same few dozen recur
_MAX_TEXTS = 50_000


def _texts(key: bytes) -> tuple[dict[str, str], str]:
    """A location's cost components alone, in `COMPONENTS` order without the zero ones, as money text.

    `key` is their row's bytes: shipping and penalty ticks, priority, labour, capacity, overstock.
    """
    ticks, miss, priority, labour, capacity, bonus = np.frombuffer(key, np.int64).tolist()
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
    if len(_TEXTS) >= _MAX_TEXTS:
        _TEXTS.clear()
    found = _TEXTS[key] = (money_texts(scores), amount_text(sum(scores.values())))
    return found
