"""Hard filters: which locations may take which lines of one order, and why the others may not.

Each location gets the first filter that removed it with the values that failed, because "why not
Northside?" needs an answer a person can check ("at daily capacity 40/40"), not a score. The
screening itself runs over numpy columns (`core.routing.screening`); this module holds what it
produces.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from core.routing.candidate_columns import Entry
from core.routing.columns import Picked
from core.routing.compiled import CompiledRules
from core.routing.snapshot import Destination, LocationSnapshot


@dataclass(slots=True)
class Line:
    """An order line with what routing needs of its product; `unit_value` is in ticks.

    Not frozen: every order makes one per line, a frozen dataclass's `__init__` sets each field
    through `object.__setattr__`, and nothing changes a line once made.
    """

    index: int
    sku: str
    qty: int
    unit_value: int
    weight_g: int
    category: str
    group: str


_NOTHING: dict[Any, Any] = {}  # shared by excluded locations, never written to


class Eligible:
    """The locations that passed every filter, as arrays indexed alike: candidate k is entry k.

    Columns rather than an object per location: about a hundred pass for every order, and the
    problem, the single-location seed and the explanation all read them a column at a time.
    Per-line figures are rows of a matrix: row `rows[line.index]` is that order line.
    """

    __slots__ = (
        "bonus",
        "capacity",
        "codes",
        "column",
        "dist_at",
        "distances",
        "labour",
        "locs",
        "origin",
        "origin_zones",
        "overstock",
        "pickup_here",
        "prio_at",
        "priority",
        "rows",
        "units",
        "usable",
        "weight_g",
    )

    def __init__(
        self,
        rows: dict[int, int],
        column: np.ndarray,
        locs: Picked[LocationSnapshot],
        pickup_here: np.ndarray,
        usable: np.ndarray,
        weight_g: np.ndarray,
        units: np.ndarray,
        labour: np.ndarray,
        overstock: np.ndarray,
        origin: np.ndarray,
        *,
        codes: list[str],
        dist: np.ndarray,
        prio: np.ndarray,
        distances: np.ndarray,
        origin_zones: tuple[str, ...],
    ) -> None:
        self.rows = rows  # order line index -> its row in the per-line matrices
        self.column = column  # each one's position in the order's `Screened` columns
        # picked from the network's column when read: routing reads the few it ships from
        self.locs, self.pickup_here = locs, pickup_here
        self.usable = usable  # [line row, k]: units k may give of the line (0: it cannot)
        self.weight_g = weight_g  # what each would send alone: every usable unit
        self.units = units  # how many units that is
        self.labour = labour  # ticks per unit picked
        self.overstock = overstock  # [line row, k]: ticks per unit (<= 0), the days-of-supply bonus
        self.origin = origin  # equal numbers, equal country and time zone (`LaneQuoter.lanes_at` groups)
        self.origin_zones = origin_zones  # the time zone of each such number
        n = len(locs)
        self.bonus = np.zeros(n, np.int64)  # the overstock bonus sending every usable unit (ticks, <= 0)
        self.priority = np.zeros(n, np.int64)  # ticks per shipment
        self.capacity = np.zeros(n, np.int64)  # ticks per shipment
        # For tie-breaks: codes, round(km * 10) and location priority (>= 0); the problem makes
        # lists of the two arrays for Python's loops when a search needs them.
        self.codes, self.dist_at, self.prio_at = codes, dist, prio
        self.distances = distances  # km to the destination

    def __len__(self) -> int:
        return len(self.locs)

    def unit_cost(self, row: int) -> np.ndarray:
        """Ticks per unit of a line from each location: labour plus its overstock bonus."""
        return self.labour + self.overstock[row]

    def subset(self, keep: list[int]) -> Eligible:
        """Only entries `keep`, in that order (locations no carrier serves are dropped).

        The per-line matrices are taken by `take`, which keeps them row-major (`[:, at]` gives a
        column-major copy for orders of several lines): the compiled loops would otherwise be
        compiled and kept once more for that layout, in the process routing the order.
        """
        at = np.array(keep, np.intp)
        out = Eligible(
            self.rows,
            self.column[at],
            self.locs.subset(at),
            self.pickup_here[at],
            self.usable.take(at, axis=1),
            self.weight_g[at],
            self.units[at],
            self.labour[at],
            self.overstock.take(at, axis=1),
            self.origin[at],
            codes=[self.codes[k] for k in keep],
            dist=self.dist_at[at],
            prio=self.prio_at[at],
            distances=self.distances[at],
            origin_zones=self.origin_zones,
        )
        out.bonus, out.priority, out.capacity = self.bonus[at], self.priority[at], self.capacity[at]
        return out


@dataclass(frozen=True, slots=True)
class OrderContext:
    method: str
    channel: str
    destination: Destination
    pickup_store: str | None


@dataclass(slots=True)
class Screened:
    """One order's screening: every considered location as columns, sorted by code, and the eligible
    ones as `Eligible` columns (`eligible.column[k]` is candidate k's position here).

    An excluded location keeps the first filter that removed it, the values that failed and the
    sentence; a location missing some lines keeps why per SKU: its `Entry`, the row `entry[k]` of
    the order's distinct ones (`entries`).
    """

    codes: list[str]
    names: list[str]
    types: list[str]
    km: np.ndarray  # kilometres, unrounded
    entry: list[int]
    entries: list[Entry]
    items: list[int]  # lines it could supply in full
    eligible: Eligible = field(init=False)  # set by the line filter, the last step of screening
    tenths: list[float] = field(init=False)  # `km` rounded as the explanation shows it
    at: np.ndarray = field(init=False)  # each one's index in the network's `columns()`

    def drop(self, k: int, key: str, rules: CompiledRules, values: dict[str, Any]) -> None:
        """Record an exclusion made after screening (no carrier takes the parcel) at column k."""
        unavailable = self.entries[self.entry[k]][3]
        self.entry[k] = len(self.entries)
        self.entries.append((key, values, rules.reasons[key].format(**values), unavailable))
