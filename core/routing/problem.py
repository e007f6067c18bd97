"""One order's optimisation problem: bundles of lines, the locations that may take them, and costs.

Shipping depends on the total weight a location sends, so it is not a per-line cost: the quoter is
asked per (location, weight) and the answer memoised for the order. Both searches assume a quote
never gets cheaper as the weight grows (true of every weight-tiered rate sheet); the lower bounds
rely on it.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cached_property
from itertools import accumulate
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from core.routing.bundle_kernel import bundle_options, member_columns, unpack_options
from core.routing.candidates import Eligible, Line
from core.routing.columns import pick
from core.routing.compiled import CompiledRules, to_ticks
from core.routing.compiled_plans import MIN_COST, PLACEABLE, UNITS, VALUE, WEIGHT
from core.routing.kernels import quoted_ticks
from core.routing.quote_table import MISSING, NO_CARRIER, UNQUOTED, Quoted, QuoteTable
from core.routing.shipping import Address, RateQuote, ShipmentRequest, ShippingQuoter
from core.routing.snapshot import NetworkSnapshot

if TYPE_CHECKING:  # a broker's lanes, made through the quoter
    from core.routing.rates.lanes import LaneQuoter, LaneTable

Part = tuple[int, int, int]  # (bundle index, candidate index, units)
QuoteArrays = tuple[np.ndarray, np.ndarray, np.ndarray]  # ticks [slot, weight class], slots, class floors
# `kernels.single_sums`' arguments after the candidate count: (starts, candidate, unit ticks,
# usable units, per bundle), the options of bundle b at starts[b]:starts[b + 1]; per bundle its
# grams (per unit if splittable), units, splittable, value, least cost and placeable units
OptionsTable = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]
Column = Sequence[Any] | np.ndarray  # a value per candidate


class Bundle:
    """Lines that must travel together (an item group), or one line; only single lines split units.

    Its options are a span of the order's options table (`Options`): the arrays and the list a
    search reads are made from it when read, and the dictionaries the search and the baseline look
    options up in on first use, as most orders are settled by compiled loops that read the table
    itself, and their decision reads none of them.
    """

    __slots__ = (
        "_end",
        "_option_set",
        "_options",
        "_start",
        "_table",
        "_unit_cost",
        "_usable",
        "forced_unplaced",
        "lines",
        "min_cost",
        "splittable",
        "units",
        "value",
        "weight_g",
    )

    def __init__(
        self,
        lines: tuple[Line, ...],
        splittable: bool,
        table: Options,
        start: int,
        end: int,
        figures: list[int],
    ) -> None:
        """Its options are `table`'s start:end; `figures`: its row of the table's per-bundle columns."""
        self.lines, self.splittable = lines, splittable
        self.units = figures[UNITS]
        self.weight_g = figures[WEIGHT] * self.units if splittable else figures[WEIGHT]
        self.value = figures[VALUE]
        self.min_cost = figures[MIN_COST]  # its placeable units at their cheapest
        self.forced_unplaced = self.units - figures[PLACEABLE]  # units no option can take whatever the plan
        self._table, self._start, self._end = table, start, end
        self._options: list[int] | None = None
        self._option_set: frozenset[int] | None = None
        self._unit_cost: dict[int, int] | None = None
        self._usable: dict[int, int] | None = None

    @property
    def at(self) -> np.ndarray:
        """The candidates able to take it, in their first order (the search reorders `options`)."""
        return self._table.table()[1][self._start : self._end]

    @property
    def unit_at(self) -> np.ndarray:
        """Ticks per unit when splittable, else for the bundle, over `at`."""
        return self._table.table()[2][self._start : self._end]

    @property
    def usable_at(self) -> np.ndarray | None:
        """Units each of `at` can give (splittable only)."""
        return self._table.table()[3][self._start : self._end] if self.splittable else None

    @property
    def options(self) -> list[int]:
        """Candidate indices able to take it, as a list the search may put in its own order."""
        if self._options is None:
            self._options = self.at.tolist()
        return self._options

    @options.setter
    def options(self, options: list[int]) -> None:
        self._options = options

    @property
    def option_set(self) -> frozenset[int]:
        if self._option_set is None:
            self._option_set = frozenset(self.options)
        return self._option_set

    @property
    def unit_cost(self) -> dict[int, int]:
        """Candidate -> ticks (per unit when splittable, else for the bundle)."""
        if self._unit_cost is None:
            self._unit_cost = dict(zip(self.at.tolist(), self.unit_at.tolist(), strict=True))
        return self._unit_cost

    @property
    def usable(self) -> dict[int, int]:
        """Candidate -> units it can give (splittable only)."""
        if self._usable is None:
            given = self.usable_at
            self._usable = {} if given is None else dict(zip(self.at.tolist(), given.tolist(), strict=True))
        return self._usable


@dataclass(slots=True)
class Plan:  # not frozen: the search makes thousands, and nothing changes one once made
    key: tuple[object, ...]  # (unplaced units, cost ticks, *tie-break values): smaller is better
    parts: tuple[Part, ...]
    locations: frozenset[int]

    @property
    def unplaced(self) -> int:
        return self.key[0]  # type: ignore[return-value]

    @property
    def cost(self) -> int:
        return self.key[1]  # type: ignore[return-value]


class Found(NamedTuple):
    """What one compiled call worked out before its problem was made (`core.routing.fused`)."""

    bundles: list[Bundle]
    options: Options
    fixed: np.ndarray  # `Problem.fixed_at`
    lanes: LaneQuoter | None  # the order's view of the broker's lanes; None when nothing ships
    lane: np.ndarray  # `Problem.lane_ids`
    slot: np.ndarray  # each candidate's slot in the shared quote table


class Problem:
    def __init__(
        self,
        lines: list[Line],
        cands: Eligible,
        rules: CompiledRules,
        quoter: ShippingQuoter,
        network: NetworkSnapshot,
        destination: Address,
        ready_at: datetime,
        promise_by: datetime | None,
        shared: QuoteTable | None = None,
        found: Found | None = None,
    ) -> None:
        """`shared` keeps converted lane quotes across orders; only for one rule set and one quoter.
        `found`: the bundles and lanes one compiled call already worked out (`core.routing.fused`)."""
        self.rules, self.cands, self.quoter, self.network = rules, cands, quoter, network
        self.destination, self.ready_at, self.promise_by = destination, ready_at, promise_by
        self.n = len(cands)
        self.codes = cands.codes
        self._tie_columns: list[Column] | None = None  # `single_ties`, made on first use
        self._ranks: tuple[np.ndarray, np.ndarray] | None = None  # `tie_ranks`, made on first use
        self.quotes: dict[int, Quoted] = {}  # weight_g * candidates + candidate (quoters without lanes)
        if found is None:
            self.fixed_at = np.asarray(cands.priority + cands.capacity, np.int64)  # per candidate, ticks
            self.bundles, self._options = _bundles(lines, cands, rules)
        else:
            self.fixed_at, self.bundles, self._options = found.fixed, found.bundles, found.options
        self.total_units = sum(b.units for b in self.bundles)
        # A quoter that shares quotes between origins (RateBroker.lanes) is asked once per lane and
        # weight class; each candidate then reads its lane's row of converted quotes.
        # The order's view (`LaneQuoter`) is made only when some candidate ships: a pickup at the
        # store itself, most pickup orders, needs none.
        lane_table = getattr(quoter, "lane_table", None)
        self._lane_table: LaneTable | None = lane_table() if lane_table is not None else None
        self._bounds = self._lane_table.floor_bounds if self._lane_table is not None else ()
        if found is not None:
            self._lanes, self._lane, self._slot = found.lanes, found.lane, found.slot
            self._table = shared  # type: ignore[assignment]
            return
        self._lanes = None
        self._lane = np.full(self.n, -1, np.int64)  # lane ids, -1 for the pickup store itself
        self._slot = np.zeros(self.n, np.intp)  # each candidate's slot in the quote table
        if self._lane_table is not None:
            self._table = shared if shared is not None else QuoteTable(self._lane_table.classes)
            self._find_lanes()

    @cached_property
    def _rows(self) -> list[list[Quoted] | None]:
        """Each candidate's lane's list of converted quotes (None: the pickup store itself, or no
        lanes), for the loops that price one parcel at a time; made on first use, as the compiled
        loops read the table's arrays instead."""
        if self._lane_table is None:
            return [None] * self.n
        return pick(self._table.rows, self._slot)

    @cached_property
    def fixed(self) -> list[int]:
        """`fixed_at` as a list, for the searches' loops (most orders never search)."""
        return self.fixed_at.tolist()  # type: ignore[no-any-return]

    def _find_lanes(self) -> None:
        """Every shipping candidate's lane and its slot in the quote table, found for all at once."""
        cands, table = self.cands, self._table
        shipping = (~cands.pickup_here).nonzero()[0]
        if not len(shipping):
            return
        lanes = self._lanes = self.quoter.lanes(self.destination, self.ready_at, self.promise_by)  # type: ignore[attr-defined]
        ids = lanes.lanes_at(
            cands.locs, cands.distances, shipping, cands.origin[shipping], cands.origin_zones
        )
        self._lane[shipping] = ids
        self._slot[shipping] = table.slots(ids)

    def options_table(self) -> OptionsTable:
        """Every bundle's options as flat arrays, for compiled loops over all of them (`OptionsTable`)."""
        return self._options.table()

    def ship(self, k: int, weight_g: int) -> int | None:
        """Ticks to send `weight_g` from candidate k (shipping × weight + promise penalty), None if no carrier."""
        row = self._rows[k]
        found = row[bisect_left(self._bounds, weight_g)] if row is not None else UNQUOTED
        if found is UNQUOTED:
            found = self.quote(k, weight_g)
        return None if found is None else found[0]  # type: ignore[index]

    def ticks_at(self, ks: np.ndarray, weights_g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """`ship(k, w)` for each candidate k and its weight w, and the missed-promise part of it.

        Ticks are `NO_CARRIER` where no service carries the parcel. With lanes this is a read of
        the quote table's arrays; only cells never quoted before go through `quote`.
        """
        if self._lane_table is None:
            found = [self.quote(k, w) for k, w in zip(ks.tolist(), weights_g.tolist(), strict=True)]
            return (
                np.array([NO_CARRIER if q is None else q[0] for q in found], np.int64),
                np.array([self._penalty(q) for q in found], np.int64),
            )
        table, floors, n = self._table, self._lane_table.floors_g, len(ks)
        found = quoted_ticks(table.ticks, table.penalty, self._slot, floors, ks, weights_g, MISSING)
        if len(found) > 2 * n:  # cells never quoted: quote them, and read again
            unquoted = found[2 * n :]
            for k, w in zip(ks[unquoted].tolist(), weights_g[unquoted].tolist(), strict=True):
                self.quote(k, w)
            found = quoted_ticks(table.ticks, table.penalty, self._slot, floors, ks, weights_g, MISSING)
        return found[:n], found[n : 2 * n]

    @property
    def priced_by_lanes(self) -> bool:
        """Whether quotes come from the quote table's arrays (a quoter with lanes), not one by one."""
        return self._lane_table is not None

    def quote_arrays(self) -> QuoteArrays:
        """The quote table as compiled loops read it; cells never quoted hold MISSING (`quote` fills them)."""
        assert self._lane_table is not None, "only for a quoter with lanes (`priced_by_lanes`)"
        return self._table.ticks, self._slot, self._lane_table.floors_g

    def parcels(self, ks: np.ndarray, weight_g: int) -> tuple[np.ndarray, np.ndarray]:
        """A parcel of `weight_g` sent from each candidate in `ks` alone: its ticks with the
        candidate's fixed costs, and whether any carrier takes it (where none does, the ticks are
        meaningless)."""
        ticks, _ = self.ticks_at(ks, np.full(len(ks), weight_g, np.int64))
        return ticks + self.fixed_at[ks], ticks != NO_CARRIER

    def quote(self, k: int, weight_g: int) -> Quoted:
        slot = int(self._slot[k])  # 0: the pickup store itself, or no lanes
        row = self._table.rows[slot] if slot else None
        if row is not None:
            i = bisect_left(self._bounds, weight_g)
            found = row[i]
            if found is UNQUOTED:
                lanes = self._lanes
                assert lanes is not None  # a slot is only given to a candidate with a lane
                found = quote_cell(
                    self._table, lanes, int(self._lane[k]), slot, i, self.rules, self.promise_by
                )
            return found  # type: ignore[return-value]
        key = weight_g * self.n + k
        found = self.quotes.get(key, UNQUOTED)
        if found is not UNQUOTED:
            return found  # type: ignore[return-value]
        if self.cands.pickup_here[k]:
            day = self.ready_at.date()
            result: Quoted = (0, RateQuote("", "pickup", Decimal("0.00"), 0, day, day, True))
        else:
            request = ShipmentRequest(
                self.network.address(self.codes[k]),
                self.destination,
                Decimal(weight_g) / 1000,
                self.ready_at,
                self.promise_by,
            )
            result = self._ticks(self.quoter.quote(request))
        self.quotes[key] = result
        return result

    def lane_ids(self) -> np.ndarray:
        """Each candidate's rate-broker lane (equal lanes, equal shipping for every weight); -1 for
        the pickup store itself and for quoters without lanes."""
        return self._lane if self._lane_table is not None else np.full(self.n, -1, np.int64)

    def _penalty(self, found: Quoted) -> int:
        """The missed-promise part of a converted quote's ticks."""
        return 0 if found is None else self._miss(found[1])

    def _miss(self, q: RateQuote) -> int:
        return missed(q, self.rules, self.promise_by)

    def _ticks(self, q: RateQuote | None) -> Quoted:
        return converted(q, self.rules, self.promise_by)

    @cached_property
    def dist(self) -> list[int]:
        """Each candidate's distance in tenths of a km, as a list for the searches' loops."""
        return self.cands.dist_at.tolist()  # type: ignore[no-any-return]

    @cached_property
    def prio(self) -> list[int]:
        """Each candidate's priority (>= 0), as a list for the searches' loops."""
        return self.cands.prio_at.tolist()  # type: ignore[no-any-return]

    def tie_values(self, opened: list[int], parts: list[Part] | tuple[Part, ...]) -> tuple[object, ...]:
        """A plan's values on the rule set's tie-breaks. Most orders ask this of two plans only
        (the best and the runner-up), so the distances and priorities are read from the arrays."""
        out: list[object] = []
        for name in self.rules.tie_breaks:
            if name == "fewest_shipments":
                out.append(len(opened))
            elif name == "shortest_distance":
                out.append(sum(map(self.cands.dist_at.item, opened)))
            elif name == "lowest_priority":
                out.append(sum(map(self.cands.prio_at.item, opened)))
            else:
                out.append(tuple((self.codes[k], q) for _, k, q in parts))
        return tuple(out)

    def single_ties(self, k: int) -> tuple[object, ...]:
        """What location k adds to a plan's tie-break values, in the rule set's order.

        Orders single-location plans (and twins) as their `tie_values` would: the shipment count is
        the same for all of them, and their parts, compared last, begin with their location's code.
        """
        columns = self._tie_columns
        if columns is None:
            columns = self._tie_columns = self._location_ties(self.dist, self.prio, self.codes)
        return tuple([column[k] for column in columns])

    def tie_ranks(self) -> tuple[np.ndarray, np.ndarray]:
        """Per candidate: its rank on `single_ties` (equal where they tie), and its rank by code.

        Integers, so a search orders twins in array steps instead of by a tuple per location.
        Screening lists locations by code, so a candidate's rank by code is its column's there.
        """
        if self._ranks is None:
            n, cands = self.n, self.cands
            code = np.empty(n, np.int64)
            code[np.argsort(cands.column)] = np.arange(n)
            keys = self._location_ties(cands.dist_at, cands.prio_at, code)
            tie = np.zeros(n, np.int64)
            if keys:
                order = np.lexsort(keys[::-1])
                differs = np.zeros(n, bool)
                for key in keys:
                    differs[1:] |= key[order][1:] != key[order][:-1]
                tie[order] = np.cumsum(differs)
            self._ranks = (tie, code)
        return self._ranks

    def _location_ties(self, dist: Column, prio: Column, codes: Column) -> list[Column]:
        """The columns of `single_ties` in the rule set's order, given as lists or as arrays."""
        named = {"shortest_distance": dist, "lowest_priority": prio, "location_code": codes}
        return [named[name] for name in self.rules.tie_breaks if name in named]

    def unit_ticks(self, b: int, k: int, qty: int) -> int:
        bundle = self.bundles[b]
        return bundle.unit_cost[k] * qty if bundle.splittable else bundle.unit_cost[k]

    def part_weight(self, b: int, qty: int) -> int:
        bundle = self.bundles[b]
        return bundle.weight_g // bundle.units * qty if bundle.splittable else bundle.weight_g

    def evaluate(self, parts: tuple[Part, ...]) -> Plan | None:
        """The full key of a complete plan, or None when it breaks the split policy or cannot ship."""
        weight: dict[int, int] = {}
        value: dict[int, int] = {}
        cost = placed = 0
        for b, k, qty in parts:
            bundle = self.bundles[b]
            weight[k] = weight.get(k, 0) + self.part_weight(b, qty)
            value[k] = value.get(k, 0) + (
                bundle.value // bundle.units * qty if bundle.splittable else bundle.value
            )
            cost += self.unit_ticks(b, k, qty)
            placed += qty
        if len(weight) > self.rules.max_shipments:
            return None
        if len(weight) > 1 and any(v < self.rules.min_shipment_value for v in value.values()):
            return None
        for k, w in weight.items():
            s = self.ship(k, w)
            if s is None:
                return None
            cost += s + self.fixed[k]
        cost += self.rules.shipment_penalty * max(len(weight) - 1, 0)
        opened = list(dict.fromkeys(k for _, k, _ in parts))
        key = (self.total_units - placed, cost, *self.tie_values(opened, parts))
        return Plan(key, parts, frozenset(weight))


def missed(q: RateQuote, rules: CompiledRules, promise_by: datetime | None) -> int:
    """The missed-promise penalty of a quote: a converted quote's ticks are its shipping plus this."""
    return 0 if q.meets_promise or promise_by is None else rules.promise_miss


def converted(q: RateQuote | None, rules: CompiledRules, promise_by: datetime | None) -> Quoted:
    """A carrier's quote as plans are priced: (shipping × its weight + missed-promise penalty, quote)."""
    if q is None:
        return None
    return to_ticks(q.cost * rules.shipping_weight) + missed(q, rules, promise_by), q


def quote_cell(
    table: QuoteTable,
    lanes: LaneQuoter,
    lane: int,
    slot: int,
    wclass: int,
    rules: CompiledRules,
    promise_by: datetime | None,
) -> Quoted:
    """Ask the broker for a cell of the shared quote table never quoted, and keep it there."""
    found = converted(lanes.quote(lane, wclass), rules, promise_by)
    table.store(slot, wclass, found, 0 if found is None else missed(found[1], rules, promise_by))
    return found


COMPONENTS = ("shipping", "promise_miss", "shipment_penalty", "priority", "labour", "capacity", "overstock")


def _bundles(lines: list[Line], cands: Eligible, rules: CompiledRules) -> tuple[list[Bundle], Options]:
    """The order's bundles, most constrained first, and their options table (`bundle_options`)."""
    members = Members(lines, cands.rows, rules)
    packed = bundle_options(
        cands.usable, cands.labour, cands.overstock, *member_columns(members.packed), rules.max_shipments
    )
    return members.bundles(packed)


class Members:
    """An order's lines grouped into bundles, and the per-line rows `bundle_options` reads."""

    __slots__ = ("groups", "packed", "split")

    def __init__(self, lines: list[Line], rows: dict[int, int], rules: CompiledRules) -> None:
        keep = rules.keep_groups
        groups: dict[str | int, list[Line]] = {}  # a group's name, or a line alone by its index
        for line in lines:
            groups.setdefault(line.group if keep and line.group else line.index, []).append(line)
        self.groups = list(groups.values())
        # Units of one line may come from any location holding some, unless it travels with a group.
        self.split = [rules.split_units and not (keep and bool(ms[0].group)) for ms in self.groups]
        # One array, one argument of a compiled call (`bundle_kernel.member_columns` reads it).
        flat = [len(self.groups), 0, *accumulate(map(len, self.groups)), *self.split]
        flat += [
            value
            for ms in self.groups
            for m in ms
            for value in (rows[m.index], m.qty, m.weight_g, m.unit_value, m.index)
        ]
        self.packed = np.array(flat, np.int64)

    def bundles(self, packed: np.ndarray) -> tuple[list[Bundle], Options]:
        """The bundles and their options table from `bundle_options`' result."""
        members, split = self.groups, self.split
        nb, width = len(members), PLACEABLE + 1
        table = Options(packed, nb)
        order_starts = packed[: 2 * nb + 1].tolist()  # the bundles' order, then where their options start
        figures = packed[len(packed) - nb * width :].tolist()
        bundles = [
            Bundle(
                tuple(members[b]), split[b], table, order_starts[nb + j], order_starts[nb + j + 1],
                figures[j * width : (j + 1) * width],
            )
            for j, b in enumerate(order_starts[:nb])
        ]  # fmt: skip
        return bundles, table


class Options:
    """`bundle_options`' result for one order, and the options table (`OptionsTable`) it holds,
    whose views are made on first use: the one-call kernel reads the result itself, and only the
    searches and settling in Python read the table."""

    __slots__ = ("_nb", "_packed", "_table")

    def __init__(self, packed: np.ndarray, nb: int) -> None:
        self._packed, self._nb = packed, nb
        self._table: OptionsTable | None = None

    def table(self) -> OptionsTable:
        if self._table is None:
            _, starts, at, unit, usable, per_bundle = unpack_options(self._packed, self._nb)
            self._table = (starts, at, unit, usable, per_bundle)
        return self._table
