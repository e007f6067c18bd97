"""The network as numpy columns over location indices, so an order is screened in a few array steps.

Screening an order looks at every location holding any of its items (about 170 of 200): in plain
Python that is ~10 µs per location per order. Held as arrays (locations sorted by code, so index
order is code order), the distance and every filter are one vector operation over all of them.

The columns follow the snapshot they mirror: location rows are checked against the snapshot's
`LocationSnapshot` objects on every use, one list comparison in C that stops at identity (they
are frozen, so a change is a new object; an equal copy changes no column),
and a SKU's stock row is updated in place whenever `NetworkSnapshot.set_stock` or `drop_stock`
touches it (routing reserves stock of the very SKUs the next orders for popular items ask for).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import repeat
from math import cos, radians
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, TypeVar

import numpy as np

from core.routing.compiled import TYPES, CompiledFence

if TYPE_CHECKING:  # the snapshot holds these columns
    from core.routing.snapshot import LocationSnapshot, StockLevel

T = TypeVar("T")
MAX_STOCK_ROWS = 20_000  # SKUs whose rows are kept (8 bytes per location each) before starting afresh
_ATP = attrgetter("atp")


class LocationColumns:
    """Location attributes as arrays indexed alike, sorted by code; `locs[i]` is row i's snapshot."""

    def __init__(self, locations: Mapping[str, LocationSnapshot]) -> None:
        self.source = list(locations.values())
        self.position = {loc.code: j for j, loc in enumerate(self.source)}  # in `locations` order
        locs = sorted(self.source, key=lambda loc: loc.code)
        # Object arrays, not lists: an order's ~170 entries are picked from them in one step each.
        self.locs = _objects(locs)
        self.codes = _objects([loc.code for loc in locs])
        self.index = {loc.code: i for i, loc in enumerate(locs)}
        # What the explanation shows of each location besides its code.
        self.names = _objects([loc.name for loc in locs])
        self.types = _objects([str(loc.type) for loc in locs])
        lat = [radians(loc.latitude) for loc in locs]
        # What screening reads of each location, as two arrays (each array handed to the compiled
        # call costs its own conversion), and each row by name.
        # Latitude in radians and its cosine, longitude in degrees (as the formula takes it).
        self.place = np.array([lat, [cos(x) for x in lat], [loc.longitude for loc in locs]], float)
        self.lat, self.cos_lat, self.lon = self.place
        self._origins: dict[tuple[str, str], int] = {}
        self.origin_zones: tuple[str, ...] = ()  # the time zone of each origin number
        self.figures = np.array(
            [
                [loc.enabled for loc in locs],
                [loc.ships for loc in locs],
                [loc.pickup for loc in locs],
                [TYPES.index(loc.type) for loc in locs],  # index into TYPES
                [loc.daily_capacity for loc in locs],
                [loc.used_capacity_today for loc in locs],
                [max(loc.priority, 0) for loc in locs],  # priority, 0 at least
                [self._origin_of(loc) for loc in locs],
            ],
            np.int64,
        )
        # in the order `screening_kernel.screen_order` reads them
        self.enabled, self.ships, self.pickup, self.type, self.capacity, self.used, self.rank, self.origin = (
            self.figures
        )
        self._fences: dict[CompiledFence, np.ndarray] = {}

    def _set(self, i: int, loc: LocationSnapshot) -> None:
        lat = radians(loc.latitude)
        self.lat[i], self.cos_lat[i], self.lon[i] = lat, cos(lat), loc.longitude
        self.enabled[i], self.ships[i], self.pickup[i] = loc.enabled, loc.ships, loc.pickup
        self.type[i] = TYPES.index(loc.type)
        self.names[i], self.types[i] = loc.name, str(loc.type)
        self.capacity[i], self.used[i] = loc.daily_capacity, loc.used_capacity_today
        self.rank[i] = max(loc.priority, 0)
        self.origin[i] = self._origin_of(loc)

    def _origin_of(self, loc: LocationSnapshot) -> int:
        """Equal numbers for equal country and time zone: what the rate broker's lanes group by."""
        key = (loc.country, loc.timezone)
        if key not in self._origins:
            self._origins[key] = len(self._origins)
            self.origin_zones = (*self.origin_zones, loc.timezone)
        return self._origins[key]

    def follows(self, locations: Mapping[str, LocationSnapshot]) -> bool:
        """Bring changed rows up to date; False when locations were added or removed (rebuild)."""
        if len(locations) != len(self.source):
            return False
        current = list(locations.values())
        if current == self.source:  # in C: the same objects, or equal copies that change no column
            return True
        for loc, old in zip(current, self.source, strict=True):
            if loc is not old:
                i = self.index.get(loc.code)
                if i is None or old.code != loc.code:
                    return False
                self._take(i, loc)
        self.source = current
        return True

    def replace(self, loc: LocationSnapshot) -> None:
        """The snapshot swapped a location for a changed copy (same code): follow it in place.

        Saves `follows` its walk over every location on the next order; a change made behind the
        snapshot's back is still found by that walk.
        """
        self.source[self.position[loc.code]] = loc
        self._take(self.index[loc.code], loc)

    def _take(self, i: int, loc: LocationSnapshot) -> None:
        if loc.type != self.locs[i].type:
            self._fences.clear()
        self.locs[i] = loc
        self._set(i, loc)

    def fence_mask(self, fence: CompiledFence) -> np.ndarray:
        """Which locations a fence excludes by code or type (its order and category conditions aside)."""
        found = self._fences.get(fence)
        if found is None:
            found = self._fences[fence] = np.array(
                [fence.excludes(loc.code, loc.type) for loc in self.locs], bool
            )
        return found


def _objects(values: Sequence[T]) -> np.ndarray:
    """The values as a one-dimensional object array (numpy would look inside tuples and lists)."""
    out = np.empty(len(values), object)
    out[:] = values
    return out


def pick(values: Sequence[T] | np.ndarray, at: np.ndarray | list[int]) -> list[T]:
    """`[values[i] for i in at]` with the loop in C.

    An object array's fancy index is the cheapest; from a list (an order's own small tables) an
    `itemgetter` is, as making the array would cost more than it saves.
    """
    if isinstance(values, np.ndarray):
        return values[at].tolist()  # type: ignore[no-any-return]
    ks = at.tolist() if isinstance(at, np.ndarray) else at
    if len(ks) > 1:
        return list(itemgetter(*ks)(values))
    return [values[i] for i in ks]


class Picked(Sequence[T]):
    """`values[at[k]]` for each k, looked up when read: a column of which only a few entries are
    ever read (an order's ~100 eligible locations, of which routing reads the few it ships from).

    `values` is a network column, which follows the snapshot in place: read it while routing the
    order it was picked for.
    """

    __slots__ = ("at", "values")

    def __init__(self, values: np.ndarray, at: np.ndarray) -> None:
        self.values, self.at = values, at

    def __len__(self) -> int:
        return len(self.at)

    def __getitem__(self, k: int) -> T:  # type: ignore[override]
        return self.values[self.at[k]]  # type: ignore[no-any-return]

    def subset(self, keep: np.ndarray) -> Picked[T]:
        """Entries `keep`, in that order."""
        return Picked(self.values, self.at[keep])


class StockRows:
    """Per SKU, over location indices: whether a location has a stock row (0/1), and its ATP (0 if
    none), as rows of one [1, 2, location] int32 array: an order of one line hands it to screening as
    it is, and one of more lines stacks them."""

    def __init__(self, columns: LocationColumns) -> None:
        self.columns = columns
        self.rows: dict[str, np.ndarray] = {}

    def row(self, sku: str, held: Mapping[str, StockLevel]) -> np.ndarray:
        found = self.rows.get(sku)
        if found is None:
            if len(self.rows) >= MAX_STOCK_ROWS:
                self.rows.clear()
            n, get = len(self.columns.codes), self.columns.index.get
            at = np.fromiter(map(get, held, repeat(n)), np.intp, len(held))
            # 32 bits: a network's many kept rows take half the memory (numpy refuses a larger ATP).
            levels = np.fromiter(map(_ATP, held.values()), np.int32, len(held))
            rows = np.zeros((2, n + 1), np.int32)  # index n collects locations storage no longer knows
            rows[0, at], rows[1, at] = 1, levels
            found = self.rows[sku] = rows[:, :n].reshape(1, 2, n).copy()  # contiguous, as numba takes it
        return found

    def update(self, sku: str, code: str, level: StockLevel | None) -> None:
        """The location's stock row for the SKU is now `level` (None: it has none)."""
        found = self.rows.get(sku)
        i = self.columns.index.get(code)
        if found is not None and i is not None:
            found[0, :, i] = (1, level.atp) if level is not None else (0, 0)
