"""The explanation's considered locations held as columns, expanded to JSON rows only when asked.

An order considers about 170 locations, and each has its entry in `explanation.candidates`
(`CANDIDATE_KEYS`). Screening and pricing already produce those entries as lists indexed alike, so
the decision keeps the lists: the text is rendered from them, the hub stores them as they are
(`to_stored`, one list per key), and the public JSON's one dictionary per location is made only
when the full decision JSON is asked for (`rows`). Expanding the stored lists gives exactly the
rows the planner would have written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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


@dataclass(slots=True)
class CandidateColumns:
    """One list per key of `CANDIDATE_KEYS`, all indexed alike, in screening order (by code)."""

    location: list[str]
    name: list[str]
    type: list[str]
    distance_km: list[float]
    eligible: list[bool]
    excluded_by: list[str | None]
    reason: list[str]
    values: list[dict[str, Any]]
    scores: list[dict[str, str]]  # money as text
    total: list[str | None]
    unavailable: list[dict[str, str]]
    items: list[int]

    def __len__(self) -> int:
        return len(self.location)

    def rows(self) -> list[Row]:
        """The public JSON's `explanation.candidates`: one dictionary per location."""
        return [
            {
                "location": code,
                "name": name,
                "type": kind,
                "distance_km": km,
                "eligible": eligible,
                "excluded_by": why,
                "reason": reason,
                "values": values,
                "scores": scores,
                "total": total,
                "unavailable": unavailable,
                "items": items,
            }
            for code, name, kind, km, eligible, why, reason, values, scores, total, unavailable, items in zip(
                self.location,
                self.name,
                self.type,
                self.distance_km,
                self.eligible,
                self.excluded_by,
                self.reason,
                self.values,
                self.scores,
                self.total,
                self.unavailable,
                self.items,
                strict=True,
            )
        ]

    def row(self, i: int) -> Row:
        """Location i's JSON row."""
        return {key: getattr(self, key)[i] for key in CANDIDATE_KEYS}

    def find(self, code: str) -> int | None:
        """The index of a location, None when it was not considered."""
        try:
            return self.location.index(code)
        except ValueError:
            return None

    def to_stored(self) -> dict[str, list[Any]]:
        """The stored form: the lists themselves, keyed like a row."""
        return {key: getattr(self, key) for key in CANDIDATE_KEYS}

    @classmethod
    def from_stored(cls, stored: dict[str, list[Any]]) -> CandidateColumns:
        return cls(*(stored[key] for key in CANDIDATE_KEYS))

    @classmethod
    def from_rows(cls, rows: list[Row]) -> CandidateColumns:
        """From JSON rows; rows stored before a key existed lack it and get its empty value."""
        return cls(
            *([c[key] if key in c else _DEFAULTS.get(key, {}) for c in rows] for key in CANDIDATE_KEYS)
        )
