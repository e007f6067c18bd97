"""The compiled loops give exactly what the Python they replace would."""

from __future__ import annotations

import random
import subprocess
import sys

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from numba.core.registry import CPUDispatcher

from core.routing import kernels, screening_kernel
from core.routing.kernels import alike
from core.routing.screening import _LOCATION_FILTERS

TIES = [0.05, 0.15, 0.25, 1.05, 2.675, 12.35, 123.45, 1.0000005, 4999.95, 0.0]


@settings(deadline=None)  # the first call may compile the kernel
@given(st.lists(st.floats(min_value=0, max_value=20_100, allow_nan=False), max_size=50))
def test_tenths_equal_round_to_the_last_bit(values: list[float]) -> None:
    found, near = screening_kernel.tenths(np.array(values + TIES, float))
    got = screening_kernel.tenths_of(found, near.tolist(), np.array(values + TIES, float))
    assert got == [round(x, 1) for x in values + TIES]
    assert all(type(x) is float for x in got)


def test_alike_numbers_distinct_rows_in_the_order_met() -> None:
    rows = np.array([[3, 1], [2, 2], [3, 1], [0, 0], [2, 2], [3, 1]], np.int64)
    firsts, inverse = alike(rows)
    assert firsts.tolist() == [0, 1, 3]
    assert inverse.tolist() == [0, 1, 0, 2, 1, 0]


def test_alike_tells_apart_rows_whose_folded_numbers_agree() -> None:
    # 0 * 1,000,003 + 1,000,003 and 1 * 1,000,003 + 0 fold alike; the rows differ.
    rows = np.array([[0, 1_000_003], [1, 0], [0, 1_000_003], [1, 0]], np.int64)
    firsts, inverse = alike(rows)
    assert firsts.tolist() == [0, 1]
    assert inverse.tolist() == [0, 1, 0, 1]


@settings(deadline=None)
@given(st.lists(st.tuples(st.integers(-3, 3), st.integers(-3, 3)), max_size=40))
def test_alike_groups_exactly_the_equal_rows(pairs: list[tuple[int, int]]) -> None:
    firsts, inverse = alike(np.array(pairs, np.int64).reshape(len(pairs), 2))
    distinct = list(dict.fromkeys(pairs))
    assert [pairs[i] for i in firsts.tolist()] == distinct
    assert [distinct[i] for i in inverse.tolist()] == pairs


def test_the_kernel_codes_location_filters_in_the_documented_order() -> None:
    codes = [getattr(screening_kernel, key.upper()) for key in _LOCATION_FILTERS]
    assert codes == list(range(1, len(_LOCATION_FILTERS) + 1))
    assert len(_LOCATION_FILTERS) + 1 == screening_kernel.FENCE


@settings(deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, screening_kernel.FENCE + 2), st.integers(0, 3), st.integers(0, 2)),
        max_size=40,
    )
)
def test_location_entries_number_kinds_as_sorted_distinct_values_then_own_values(
    rows: list[tuple[int, int, int]],
) -> None:
    failed = np.array([f for f, _, _ in rows], np.int64)
    loc_type = np.array([t for _, t, _ in rows], np.int64)
    used = np.array([u for _, _, u in rows], np.int64)
    at = np.arange(len(rows))
    found, entry, passing, own_at = screening_kernel.location_entries(at, failed, loc_type, 4, used, used + 1)
    kinds = [f * 4 + t if f else 0 for f, t, _ in rows]
    assert found.tolist() == sorted(set(kinds))
    full = [c for c, (f, _, _) in enumerate(rows) if f == screening_kernel.CAPACITY]
    pairs = list(dict.fromkeys(rows[c][2] for c in full))  # one entry per (used, capacity) met
    others = [
        c for c, (f, _, _) in enumerate(rows) if f in (screening_kernel.EXCLUDED, screening_kernel.DISTANCE)
    ]
    assert own_at.tolist() == [next(c for c in full if rows[c][2] == u) for u in pairs] + others
    rows_of = {c: len(found) + pairs.index(rows[c][2]) for c in full}
    rows_of |= {c: len(found) + len(pairs) + j for j, c in enumerate(others)}
    assert entry.tolist() == [rows_of.get(c, found.tolist().index(kind)) for c, kind in enumerate(kinds)]
    assert passing.tolist() == [c for c, (f, _, _) in enumerate(rows) if f == 0]


def test_said_by_group_says_each_failing_line_state_once() -> None:
    states = np.array([[0, 5, 9, 5, 7], [3, 0, 9, 3, 3]], np.int64)  # [line, location]
    groups = np.array([0, 1, 3, 4], np.int64)  # location 2 is in no group
    said_line, said_state, said_at, starts, ends, failing = screening_kernel.said_by_group(states, groups)
    assert list(zip(said_line.tolist(), said_state.tolist(), strict=True)) == [(1, 3), (0, 5), (0, 7)]
    assert said_at.tolist() == [0, 1, 1, 0, 2, 0]
    assert starts.tolist() == [0, 1, 2, 4] and ends.tolist() == [1, 2, 4, 6]
    assert failing.tolist() == [2, 3]  # the groups failing both lines


@settings(deadline=None)
@given(st.lists(st.tuples(*[st.integers(-2, 2)] * 7), min_size=1, max_size=30), st.data())
def test_solo_entries_share_one_entry_per_distinct_set_of_components(
    cands: list[tuple[int, ...]], data: st.DataObject
) -> None:
    considered = len(cands) + 5
    column = data.draw(st.permutations(range(considered)))[: len(cands)]
    ticks, penalty, priority, labour, units, capacity, bonus = (
        np.array(c, np.int64) for c in zip(*cands, strict=True)
    )
    packed = kernels.solo_entries(
        ticks, penalty, priority, labour, units, capacity, bonus, np.array(column, np.int64), considered, -1
    )
    at, found = packed[:considered], packed[considered:].reshape(-1, kernels.SOLO_COMPONENTS)
    keys = [(t, pe, pr, lab * u, cap, bo) for t, pe, pr, lab, u, cap, bo in cands]
    assert [tuple(row) for row in found.tolist()] == list(dict.fromkeys(keys))
    expected = [0] * considered
    for k, key in enumerate(keys):
        if cands[k][0] != -1:
            expected[column[k]] = 1 + list(dict.fromkeys(keys)).index(key)
    assert at.tolist() == expected


@settings(deadline=None)
@given(st.integers(1, 3), st.integers(1, 12), st.data())
def test_screen_lines_columns_follow_from_the_line_states(
    lines: int, count: int, data: st.DataObject
) -> None:
    ints = st.integers(0, 5)
    atp = np.array(
        data.draw(st.lists(st.lists(ints, min_size=count, max_size=count), min_size=lines, max_size=lines))
    )
    safety = np.array(
        data.draw(st.lists(st.lists(ints, min_size=2, max_size=2), min_size=lines, max_size=lines))
    )
    loc_type = np.array(data.draw(st.lists(st.integers(0, 1), min_size=count, max_size=count)), np.intp)
    fenced = np.array(
        data.draw(
            st.lists(
                st.lists(st.integers(0, 1), min_size=count, max_size=count), min_size=lines, max_size=lines
            )
        )
    )
    qty = data.draw(st.lists(st.integers(1, 4), min_size=lines, max_size=lines))
    weight = data.draw(st.lists(st.integers(1, 900), min_size=lines, max_size=lines))
    km = np.array(data.draw(st.lists(st.floats(0, 5_000), min_size=count, max_size=count)), float)
    per_line = np.array(
        [(q, 1, 50, 1, w, *row) for q, w, row in zip(qty, weight, safety.tolist(), strict=True)], np.int64
    )
    stock = np.stack([np.ones_like(atp), atp], axis=1).astype(np.int64)  # [line, 2, location]
    state, _, items, firsts, missing, alike_as, keep, usable, per_kept = screening_kernel.screen_lines(
        np.arange(count), km, stock, loc_type, per_line, fenced.astype(np.int64)
    )
    given = np.minimum(atp - safety[:, loc_type], np.array(qty)[:, None]) * (fenced == 0)
    given[given < 1] = 0
    assert (state == 0).tolist() == (given > 0).tolist()
    assert items.tolist() == (given >= np.array(qty)[:, None]).sum(axis=0).tolist()
    assert keep.tolist() == np.flatnonzero(given.any(axis=0)).tolist()
    assert usable.tolist() == given[:, keep].tolist()
    assert per_kept[0].tolist() == (np.array(weight) @ usable).tolist()
    assert per_kept[1].tolist() == usable.sum(axis=0).tolist()
    assert per_kept[2].tolist() == np.rint(km[keep] * 10).astype(np.int64).tolist()
    assert missing.tolist() == np.flatnonzero(state.any(axis=0)).tolist()
    columns = [tuple(state[:, k]) for k in missing.tolist()]
    assert [tuple(state[:, k]) for k in firsts.tolist()] == list(dict.fromkeys(columns))
    assert [tuple(state[:, f]) for f in firsts[alike_as].tolist()] == columns


def test_loaded_names_every_compiled_loop_and_turns_true_once_routing_ran() -> None:
    def dispatchers(module: object) -> set[CPUDispatcher]:
        return {
            v
            for v in vars(module).values()
            if isinstance(v, CPUDispatcher) and v.__module__ == module.__name__
        }

    assert dispatchers(kernels) == {*kernels._KERNELS, *kernels._INNER, *kernels._PYTHON_STEPS}
    assert dispatchers(screening_kernel) == {*screening_kernel.KERNELS, *screening_kernel.INNER}
    script = (
        "from core.routing import kernels\n"
        "from core.routing.benchmark import route_small_day\n"
        "print(kernels.loaded())\n"
        "route_small_day()\n"
        "print(kernels.loaded())\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "True"]


def _waits_by_rule(rows: list[tuple[int, int]], tie: list[int], code: list[int], keep: int) -> list[set[int]]:
    """The twins rule as first written: each class in tie order, the `keep` smallest codes so far."""
    out: list[set[int]] = [set() for _ in rows]
    classes: dict[tuple[int, int], list[int]] = {}
    for j, row in enumerate(rows):
        if row[0] >= 0:
            classes.setdefault(row, []).append(j)
    for members in classes.values():
        least: list[int] = []
        for j in sorted(members, key=lambda m: (tie[m], m)):
            out[j] = {m for m in least if code[m] < code[j]}
            least = sorted([*least, j], key=code.__getitem__)[:keep]
    return out


@settings(deadline=None)
@given(
    st.lists(st.tuples(st.integers(-1, 2), st.integers(0, 2), st.integers(0, 4)), max_size=30),
    st.integers(1, 4),
    st.randoms(use_true_random=False),
)
def test_twin_waits_follow_the_rule(
    options: list[tuple[int, int, int]], keep: int, rnd: random.Random
) -> None:
    rows = [(lane, cost) for lane, cost, _ in options]
    tie = [t for _, _, t in options]
    code = list(range(len(options)))
    rnd.shuffle(code)
    offsets, members = kernels.twin_waits(
        np.array(rows, np.int64).reshape(len(rows), 2),
        np.array(tie, np.int64),
        np.array(code, np.int64),
        keep,
    )
    got = [set(members[offsets[j] : offsets[j + 1]].tolist()) for j in range(len(rows))]
    assert got == _waits_by_rule(rows, tie, code, keep)


_option = st.tuples(st.integers(0, 5), st.integers(0, 9), st.integers(1, 4))  # candidate, unit ticks, usable
_bundle = st.tuples(
    st.lists(_option, max_size=6, unique_by=lambda o: o[0]),
    st.integers(1, 9),
    st.integers(1, 3),
    st.booleans(),
)


@settings(deadline=None)
@given(st.lists(_bundle, min_size=1, max_size=4))
def test_single_sums_add_up_each_candidate_alone(bundles: list[tuple[list, int, int, bool]]) -> None:
    n = 6
    starts = np.cumsum([0, *(len(options) for options, *_ in bundles)]).astype(np.int64)
    options = [o for opts, *_ in bundles for o in opts]

    def column(i: int) -> np.ndarray:
        return np.array([o[i] for o in options], np.int64).reshape(len(options))

    placed, weight, cost, member, at = kernels.single_sums(
        n,
        starts,
        column(0),
        column(1),
        column(2),
        np.array([(piece, units, split) for _, piece, units, split in bundles], np.int64),
    )
    want = {k: [0, 0, 0] for k in range(n)}
    for b, (opts, piece, units, split) in enumerate(bundles):
        for k, unit, usable in opts:
            qty = usable if split else 1
            want[k][0] += usable if split else units
            want[k][1] += piece * qty
            want[k][2] += unit * qty
            assert member[b, k]
        assert member[b].sum() == len(opts)
    assert [list(w) for w in zip(placed.tolist(), weight.tolist(), cost.tolist(), strict=True)] == [
        want[k] for k in range(n)
    ]
    assert at.tolist() == sorted({o[0] for o in options})


@settings(deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 5), st.integers(0, 2)), max_size=12))
def test_single_leaders_keep_every_plan_up_to_the_second_least_key(plans: list[tuple[int, int, int]]) -> None:
    """Kept: each carried plan whose (unplaced, total) is at most the second least, in candidate order."""
    no_carrier = 99
    n = len(plans)
    placed = np.array([3 - u for u, _, _ in plans], np.int64).reshape(n)
    cost = np.array([c for _, c, _ in plans], np.int64).reshape(n)
    fixed = np.array([f for _, _, f in plans], np.int64).reshape(n)
    ship = np.array([no_carrier if (c + f) % 4 == 3 else 1 for _, c, f in plans], np.int64).reshape(n)
    at, unplaced, total = kernels.single_leaders(np.arange(n), ship, placed, cost, fixed, 3, no_carrier)
    carried = [(u, c + 1 + f, k) for k, (u, c, f) in enumerate(plans) if (c + f) % 4 != 3]
    keys = sorted((u, t) for u, t, _ in carried)
    bar = keys[1] if len(keys) > 1 else (float("inf"), float("inf"))
    kept = [(k, u, t) for u, t, k in carried if (u, t) <= bar]
    assert list(zip(at.tolist(), unplaced.tolist(), total.tolist(), strict=True)) == kept


@settings(deadline=None)
@given(st.lists(st.lists(st.integers(0, 5), max_size=6, unique=True), min_size=1, max_size=4))
def test_lightest_pieces_take_each_candidates_lightest_bundle(bundles: list[list[int]]) -> None:
    pieces = [10 * (b + 1) for b in range(len(bundles))]
    starts = np.cumsum([0, *map(len, bundles)]).astype(np.int64)
    flat = np.array([k for ks in bundles for k in ks], np.int64).reshape(int(starts[-1]))
    per_bundle = np.array([(piece, 1, 0) for piece in pieces], np.int64)
    at, lightest = kernels.lightest_pieces(6, starts, flat, per_bundle)
    want = {}
    for ks, piece in zip(bundles, pieces, strict=True):
        for k in ks:
            want[k] = min(want.get(k, piece), piece)
    assert dict(zip(at.tolist(), lightest.tolist(), strict=True)) == want
    assert at.tolist() == sorted(want)
