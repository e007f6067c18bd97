"""Converted quotes per (lane, weight class), kept across orders both as lists and as arrays.

The search prices one parcel at a time and reads a lane's list of `(ticks, quote)`; everything
before it (each candidate alone, every single-location plan, the bound that skips the search)
prices the order's ~100 candidates at once, which as arrays is one fancy index instead of a
Python loop. Both views are filled together, when a cell is first quoted.

Slot 0 stands for "pickup here": no lane, no list (the problem quotes it itself), and zero ticks
in the arrays, which is what a pickup at the store itself costs to ship.
"""

from __future__ import annotations

import numpy as np

from core.routing.shipping import RateQuote

Quoted = tuple[int, RateQuote] | None  # (ticks: shipping × weight + promise penalty, the quote)
MAX_SHARED_LANES = 20_000  # lanes a router's table keeps before starting afresh
MISSING = -2  # in `ticks`: not quoted yet
NO_CARRIER = -1  # in `ticks`: no service carries it
PICKUP = 0  # the slot of a candidate that is the pickup store itself
UNQUOTED = object()  # in `rows`: not quoted yet


class QuoteTable:
    """`rows[slot][weight class]` and the same cells' ticks and promise penalty as arrays."""

    __slots__ = ("by_lane", "classes", "penalty", "rows", "ticks")

    def __init__(self, classes: int) -> None:
        self.classes = classes
        self.clear()

    def clear(self) -> None:
        # lane id -> slot, -1: none yet (ids count up from 0 and lanes are reused across orders)
        self.by_lane = np.full(1024, -1, np.intp)
        self.rows: list[list[Quoted] | None] = [None]
        self.ticks = np.full((64, self.classes), MISSING, np.int64)
        self.penalty = np.zeros((64, self.classes), np.int64)  # the missed-promise part of `ticks`
        self.ticks[PICKUP] = 0

    @classmethod
    def shared_by(cls, quoter: object) -> QuoteTable | None:
        """A table a router keeps across orders, for a quoter with lanes (a rate broker); else None."""
        lane_table = getattr(quoter, "lane_table", None)
        return cls(lane_table().classes) if lane_table is not None else None

    def clear_if_full(self) -> None:
        if len(self) > MAX_SHARED_LANES:
            self.clear()

    def __len__(self) -> int:
        return len(self.rows) - 1  # lanes held (slot 0 is no lane)

    def slots(self, lanes: np.ndarray) -> np.ndarray:
        """Each lane's slot, rows made for lanes met the first time."""
        try:
            found = self.by_lane[lanes]
        except IndexError:  # a lane id beyond the array
            grown = np.full(2 * int(lanes.max()) + 1, -1, np.intp)
            grown[: len(self.by_lane)] = self.by_lane
            self.by_lane = grown
            found = self.by_lane[lanes]
        if len(found) and np.minimum.reduce(found) < 0:
            for lane in lanes[found < 0].tolist():
                self._add(lane)
            found = self.by_lane[lanes]
        return found

    def _add(self, lane: int) -> None:
        if self.by_lane[lane] >= 0:
            return  # met twice among one call's new lanes
        slot = self.by_lane[lane] = len(self.rows)
        self.rows.append([UNQUOTED] * self.classes)  # type: ignore[list-item]
        if slot == len(self.ticks):
            grown = np.full((2 * slot, self.classes), MISSING, np.int64)
            grown[:slot] = self.ticks
            self.ticks = grown
            self.penalty = np.concatenate([self.penalty, np.zeros_like(self.penalty)])

    def store(self, slot: int, wclass: int, found: Quoted, penalty: int) -> None:
        """Fill one cell in both views."""
        self.rows[slot][wclass] = found  # type: ignore[index]
        self.ticks[slot, wclass] = NO_CARRIER if found is None else found[0]
        self.penalty[slot, wclass] = penalty
