"""Typo-tolerant search over people and order numbers: a normalised key, trigrams, and a score.

The search runs in two steps so it stays fast on a hundred thousand orders with SQLite as well as
PostgreSQL and without extensions: SQL narrows to the few hundred rows sharing the most trigrams
with the query (an indexed `gram IN (...)` count), then `score` ranks those here with prefix,
substring and edit-distance matching per word. Every query word must match some word of the key.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

_NON_WORD = re.compile(r"[^a-z0-9]+")
_DIGITS = re.compile(r"\D+")


def normalise(text: str) -> str:
    """Lower case ASCII words: accents dropped ("Zoë" → "zoe"), punctuation a separator."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return " ".join(_NON_WORD.sub(" ", folded).split())


def search_terms(order_id: str, name: str, phone: str, email: str) -> list[str]:
    """The words a pickup can be found by: the order number without punctuation, each word of the
    name and of the e-mail address, and the phone number as digits only (so any spacing matches)."""
    terms = ["".join(normalise(order_id).split())]
    terms += normalise(name).split()
    digits = _DIGITS.sub("", phone)
    if digits:
        terms.append(digits)
    terms += normalise(
        email.split("@")[0]
    ).split()  # the domain is shared by thousands: no help in finding one
    seen: dict[str, None] = {}
    for term in terms:
        if term:
            seen.setdefault(term, None)
    return list(seen)


def query_terms(query: str) -> list[str]:
    """The words of what someone typed, normalised as the keys are; a phone number typed with
    spaces or dashes ("312 555-0147") is one number."""
    text = re.sub(r"@\S*", " ", query.strip())  # an e-mail address is found by the part before the @
    if re.fullmatch(r"[\d\s()+.-]{4,}", text):
        return [_DIGITS.sub("", text)]
    return [t for t in normalise(text).split() if t]


def grams(term: str) -> set[str]:
    """Trigrams with pg_trgm-style padding: two spaces before a word, one after."""
    padded = f"  {term} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def key_grams(terms: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for term in terms:
        out |= grams(term)
    return out


def query_grams(terms: Iterable[str]) -> set[str]:
    """A query word may be the start of a longer word, so its end-of-word trigram is left out; a word
    of three letters or more also leaves out its first-letter trigram, which a twentieth of all keys
    share and which would only make the narrowing count more rows."""
    out: set[str] = set()
    for term in terms:
        dropped = {f"{term[-2:]} "} | ({f"  {term[0]}"} if len(term) >= 3 else set())
        out |= grams(term) - dropped
    return out


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a swap of neighbours counts once), capped at `limit + 1`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], prev2[j - 2] + 1)
        if min(row) > limit:
            return limit + 1
        prev2, prev = prev, row
    return prev[-1]


def allowed_typos(term: str) -> int:
    if len(term) <= 3:
        return 0
    return 1 if len(term) <= 6 else 2


@lru_cache(maxsize=1 << 16)  # names, domains and words repeat across candidates
def term_score(query: str, term: str) -> float:
    """How well one typed word matches one word of a key: 1 exact, then prefix, substring, typos."""
    if query == term:
        return 1.0
    if term.startswith(query):
        return 0.9
    if len(query) >= 3 and query in term:
        return 0.8
    limit = allowed_typos(query)
    if not limit or query[0] != term[0] or query.isdigit() != term.isdigit():
        return 0.0  # typos are forgiven after a right first letter, and a number is no name
    distance = min(edit_distance(query, term, limit), edit_distance(query, term[: len(query)], limit))
    return 0.7 - 0.1 * distance if distance <= limit else 0.0


def score(query: Sequence[str], terms: Sequence[str]) -> float:
    """0 when some typed word matches nothing; otherwise the mean of each word's best match."""
    if not query:
        return 0.0
    total = 0.0
    for word in query:
        best = max((term_score(word, term) for term in terms), default=0.0)
        if best <= 0:
            return 0.0
        total += best
    return total / len(query)
