"""An order's bundles and the locations able to take each, in one compiled call.

Every order groups its lines into bundles (`core.routing.problem.Bundle`) and finds, per bundle,
the candidates able to take it and at what cost per unit or for the bundle. As numpy steps that was
half a dozen array calls per bundle and a Python object's worth of sums, then the same options
joined again into flat arrays for the compiled settling (`Problem.options_table`); here one call
makes the flat arrays, already in the search's bundle order, and each bundle reads its slice.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from core.routing.compiled_plans import MIN_COST, OPTIONS, PLACEABLE, SPLITTABLE, UNITS, VALUE, WEIGHT

# Columns of `bundle_options`' per-line argument.
ROW, QTY, GRAMS, UNIT_VALUE, INDEX = range(5)


@njit(cache=True, nogil=True)
def bundle_options(
    usable: np.ndarray,  # [line row, candidate]: units it may give (`Eligible.usable`)
    labour: np.ndarray,  # per candidate: ticks per unit picked
    overstock: np.ndarray,  # [line row, candidate]: the days-of-supply bonus per unit (<= 0)
    per_line: np.ndarray,  # [member]: ROW, QTY, GRAMS (per unit), UNIT_VALUE, INDEX; bundle by bundle
    first: np.ndarray,  # bundle b's members are per_line[first[b]:first[b + 1]]
    splittable: np.ndarray,  # per bundle: units of its one line may come from several locations
    max_shipments: int,
) -> np.ndarray:
    """`options_and_tables`' options alone, for the separate steps (`Problem`)."""
    return options_and_tables(usable, labour, overstock, per_line, first, splittable, max_shipments)[0]


@njit(cache=True, nogil=True)
def options_and_tables(
    usable: np.ndarray,
    labour: np.ndarray,
    overstock: np.ndarray,
    per_line: np.ndarray,
    first: np.ndarray,
    splittable: np.ndarray,
    max_shipments: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """`Problem.options_table` made from the candidates' columns, bundles most constrained first.

    A whole bundle's options are the candidates giving every member line in full, each at its
    labour and bonus for all the bundle's units; a splittable line's are those giving any unit, at
    their cost per unit, with the units each may give. Bundles are ordered by how many options
    they have, then heaviest first, then by their first line (failures surface early and the
    search's bound tightens sooner).

    Returns, end to end (`unpack_options`), (order, starts, flat_at, flat_unit, flat_usable,
    per_bundle): bundle j of the result is bundle order[j] of the arguments, its options
    flat_*[starts[j]:starts[j + 1]]; flat_usable is a whole bundle's cost again (the compiled
    loops read it only for splittable ones); per_bundle the columns `core.routing.compiled_plans`
    names (WEIGHT per unit when splittable). Then, for a compiled seed in the same call, what
    `compiled_plans.bundle_tables` would make of them (at, able, unit, bundle) from the tables
    the options come from, but for unit's cells where a candidate cannot take the bundle (not 0).
    """
    nb, n = len(first) - 1, len(labour)
    able = np.zeros((nb, n), np.bool_)
    unit = np.zeros((nb, n), np.int64)
    count = np.zeros(nb, np.int64)
    grams = np.zeros(nb, np.int64)  # what each weighs whole
    figures = np.zeros((nb, PLACEABLE + 1), np.int64)
    for b in range(nb):
        units = value = 0
        for m in range(first[b], first[b + 1]):
            units += per_line[m, QTY]
            grams[b] += per_line[m, GRAMS] * per_line[m, QTY]
            value += per_line[m, UNIT_VALUE] * per_line[m, QTY]
        row = per_line[first[b], ROW]
        # Candidates innermost, a member line at a time: rows read and written in order, which
        # the compiler turns into vector steps (most orders weigh ~100 candidates per bundle).
        able_b, unit_b = able[b], unit[b]
        if splittable[b]:
            given, bonus = usable[row], overstock[row]
            for k in range(n):
                able_b[k] = given[k] > 0
                unit_b[k] = labour[k] + bonus[k]
        else:
            able_b[:] = True
            for m in range(first[b], first[b + 1]):
                qty, given, bonus = per_line[m, QTY], usable[per_line[m, ROW]], overstock[per_line[m, ROW]]
                for k in range(n):
                    able_b[k] &= given[k] >= qty
                    unit_b[k] += (labour[k] + bonus[k]) * qty
        options, cheapest = 0, 0
        for k in range(n):
            if able_b[k]:
                if not options or unit_b[k] < cheapest:
                    cheapest = unit_b[k]
                options += 1
        count[b] = options
        figures[b, UNITS], figures[b, SPLITTABLE], figures[b, VALUE] = units, splittable[b], value
        if splittable[b]:
            # At most max_shipments locations share the line: the largest of them bound what fits.
            given = np.sort(usable[row][able[b]])[::-1]
            placeable = min(units, given[:max_shipments].sum())
            figures[b, WEIGHT] = grams[b] // units
            figures[b, MIN_COST] = cheapest * placeable
        else:
            placeable = units if count[b] else 0
            figures[b, WEIGHT] = grams[b]
            figures[b, MIN_COST] = cheapest
        figures[b, PLACEABLE] = placeable
    order = np.arange(nb)
    for j in range(1, nb):  # insertion sort: an order has a handful of bundles
        b = order[j]
        i = j
        while i > 0 and _before(b, order[i - 1], count, grams, per_line, first):
            order[i] = order[i - 1]
            i -= 1
        order[i] = b
    starts = np.zeros(nb + 1, np.int64)
    for j in range(nb):
        starts[j + 1] = starts[j] + count[order[j]]
    flat_at = np.empty(starts[nb], np.int64)
    flat_unit = np.empty(starts[nb], np.int64)
    flat_usable = np.empty(starts[nb], np.int64)
    per_bundle = np.empty((nb, PLACEABLE + 1), np.int64)
    bundle = np.empty((nb, OPTIONS + 1), np.int64)
    width = 1
    for b in range(nb):
        width = max(width, count[b])
    at_table = np.full((nb, width), -1, np.int64)
    for j in range(nb):
        b, at = order[j], starts[j]
        per_bundle[j], bundle[j, :OPTIONS], bundle[j, OPTIONS] = figures[b], figures[b], count[b]
        row = per_line[first[b], ROW]
        for k in range(n):
            if able[b, k]:
                at_table[j, at - starts[j]] = k
                flat_at[at], flat_unit[at] = k, unit[b, k]
                flat_usable[at] = usable[row, k] if splittable[b] else unit[b, k]
                at += 1
    packed = np.concatenate((order, starts, flat_at, flat_unit, flat_usable, per_bundle.ravel()))
    return packed, at_table, able[order], unit[order], bundle


@njit(cache=True, nogil=True)
def member_columns(members: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`bundle_options`' per_line, first and splittable from `Members.packed`, which holds, end to
    end, the number of bundles, then first, splittable (1 or 0) and per_line's rows."""
    nb = members[0]
    return members[2 * nb + 2 :].reshape(-1, 5), members[1 : nb + 2], members[nb + 2 : 2 * nb + 2]


def unpack_options(packed: np.ndarray, nb: int) -> tuple[np.ndarray, ...]:
    """`bundle_options`' arrays from the one it returns end to end (numba hands each array it
    returns to Python through a Python call of its own): views, nothing copied."""
    starts = packed[nb : 2 * nb + 1]
    total = int(starts[nb])
    flat = packed[2 * nb + 1 : 2 * nb + 1 + 3 * total].reshape(3, total)
    return (
        packed[:nb],
        starts,
        flat[0],
        flat[1],
        flat[2],
        packed[2 * nb + 1 + 3 * total :].reshape(nb, PLACEABLE + 1),
    )


@njit(cache=True, nogil=True)
def _before(
    b: int, c: int, count: np.ndarray, grams: np.ndarray, per_line: np.ndarray, first: np.ndarray
) -> bool:
    """Whether bundle b goes before bundle c: fewer options, then heavier, then its first line first."""
    if count[b] != count[c]:
        return count[b] < count[c]
    if grams[b] != grams[c]:
        return grams[b] > grams[c]
    return per_line[first[b], INDEX] < per_line[first[c], INDEX]
