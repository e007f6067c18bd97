"""The explanation's considered locations held as columns, expanded to JSON rows only when asked.

An order considers about 170 locations, and each has its entry in `explanation.candidates`
(`CANDIDATE_KEYS`). Screening and pricing already produce those entries as lists indexed alike, so
the decision keeps the lists: the text is rendered from them, the hub stores them as they are
(`to_stored`), and the public JSON's one dictionary per location is made only when the full
decision JSON is asked for (`rows`). Expanding the stored lists gives exactly the rows the planner
would have written.

What a location was excluded by (or what it lacks) and what it would cost alone repeat across
locations: an order's 170 locations have a dozen distinct exclusions (every store but the pickup
store is "not the pickup store") and a few dozen distinct prices. So those are held, and stored,
dictionary-encoded: each distinct one once (`entries`, `prices`) and per location its index into
them (`entry`, `price`). Routing never makes the per-location copies at all, and a stored
decision is less than half the size it was with every location's copy written out (12.8 against
32.8 KB on the benchmark's day).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from core.routing.columns import pick

CANDIDATE_KEYS = (
    "location",
    "name",
    "type",
    "distance_km",
    "eligible",
    "excluded_by",
    "reason",
    "values",
    "scores",
    "total",
    "unavailable",
    "items",
)
Row = dict[str, Any]  # a candidate as the decision JSON shows it: CANDIDATE_KEYS, money as text
_DEFAULTS: dict[str, Any] = {"name": "", "type": "", "distance_km": 0.0, "reason": "", "items": 0}


# A location's exclusion: (excluded_by, values, reason, unavailable); excluded_by None: it passed.
# A tuple when routed, a list when read back from JSON: read alike.
Entry = Sequence[Any]
Price = Sequence[Any]  # (scores, total), money as text; ({}, None): not priced
ENTRY_KEYS = ("excluded_by", "values", "reason", "unavailable")
PRICE_KEYS = ("scores", "total")
_LISTED = ("location", "name", "type", "distance_km", "items")  # one value per location


@dataclass(slots=True)
class CandidateColumns:
    """Per location (in screening order, by code) its code, name, type, distance and lines in full,
    and its row in the order's distinct exclusions (`entries`) and prices alone (`prices`)."""

    location: list[str]
    name: list[str]
    type: list[str]
    distance_km: list[float]
    items: list[int]
    entry: list[int]  # per location: its row in `entries`
    entries: list[Entry]
    price: list[int]  # per location: its row in `prices`
    prices: list[Price]

    def __len__(self) -> int:
        return len(self.location)

    def entry_of(self, i: int) -> Entry:
        return self.entries[self.entry[i]]

    def rows(self) -> list[Row]:
        """The public JSON's `explanation.candidates`: one dictionary per location."""
        excluded_by, values, reason, unavailable = pick_columns(self.entries, self.entry, 4)
        scores, total = pick_columns(self.prices, self.price, 2)
        return [
            {
                "location": code,
                "name": name,
                "type": kind,
                "distance_km": km,
                "eligible": why is None,
                "excluded_by": why,
                "reason": said,
                "values": shown,
                "scores": priced,
                "total": amount,
                "unavailable": lacking,
                "items": items,
            }
            for code, name, kind, km, why, said, shown, priced, amount, lacking, items in zip(
                self.location,
                self.name,
                self.type,
                self.distance_km,
                excluded_by,
                reason,
                values,
                scores,
                total,
                unavailable,
                self.items,
                strict=True,
            )
        ]

    def row(self, i: int) -> Row:
        """Location i's JSON row."""
        why, values, reason, unavailable = self.entry_of(i)
        scores, total = self.prices[self.price[i]]
        return {
            "location": self.location[i],
            "name": self.name[i],
            "type": self.type[i],
            "distance_km": self.distance_km[i],
            "eligible": why is None,
            "excluded_by": why,
            "reason": reason,
            "values": values,
            "scores": scores,
            "total": total,
            "unavailable": unavailable,
            "items": self.items[i],
        }

    def find(self, code: str) -> int | None:
        """The index of a location, None when it was not considered.

        Screening lists locations by code, so a binary search finds it; columns in another order
        (written by hand, say) are searched from the start.
        """
        codes = self.location
        i = bisect_left(codes, code)
        if i < len(codes) and codes[i] == code:
            return i
        try:
            return codes.index(code)
        except ValueError:
            return None

    def to_stored(self) -> dict[str, Any]:
        """The stored form: the per-location lists, and each distinct entry and price as a row
        (`ENTRY_KEYS`, `PRICE_KEYS`); the lists first, in `_LISTED` order."""
        return {
            "location": self.location,
            "name": self.name,
            "type": self.type,
            "distance_km": self.distance_km,
            "items": self.items,
            "entry": self.entry,
            "entries": self.entries,
            "price": self.price,
            "prices": self.prices,
        }

    @classmethod
    def from_stored(cls, stored: dict[str, Any]) -> CandidateColumns:
        """From `to_stored`'s form (its rows read back as lists), or the earlier one listing every
        location's values in full."""
        if "entries" not in stored:
            return cls.from_lists(stored)
        return cls(
            *(stored[key] for key in _LISTED),
            stored["entry"],
            stored["entries"],
            stored["price"],
            stored["prices"],
        )

    @classmethod
    def from_lists(cls, lists: dict[str, list[Any]]) -> CandidateColumns:
        """From one list per key of `CANDIDATE_KEYS`: every location its own entry and price."""
        every = list(range(len(lists["location"])))
        return cls(
            *(lists[key] for key in _LISTED),
            every,
            list(zip(*(lists[key] for key in ENTRY_KEYS), strict=True)),
            every,
            list(zip(*(lists[key] for key in PRICE_KEYS), strict=True)),
        )

    @classmethod
    def from_rows(cls, rows: list[Row]) -> CandidateColumns:
        """From JSON rows; rows stored before a key existed lack it and get its empty value."""
        return cls.from_lists(
            {key: [c[key] if key in c else _DEFAULTS.get(key, {}) for c in rows] for key in CANDIDATE_KEYS}
        )


def pick_columns(table: list[tuple[Any, ...]], at: list[int], width: int) -> list[list[Any]]:
    """The columns of `[table[i] for i in at]`, a table of `width`-wide rows.

    The table is small (an order's distinct entries) and `at` long (its ~170 locations): the
    table is turned into columns first, then each is picked in one C loop, so no row of the long
    result is ever made.
    """
    if not table:
        return [[] for _ in range(width)]
    return [pick(column, at) for column in zip(*table, strict=True)]
