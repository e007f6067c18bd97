"""`bundle_options` against the array steps it replaced, on random candidates and orders."""

from __future__ import annotations

import numpy as np
import pytest

from core.routing.bundle_kernel import bundle_options, unpack_options


def _reference(
    usable: np.ndarray,
    labour: np.ndarray,
    overstock: np.ndarray,
    bundles: list[list[tuple[int, int, int, int, int]]],
    split: list[bool],
    max_shipments: int,
) -> list[tuple[object, ...]]:
    """Per bundle, most constrained first: (members, options, unit, usable, grams, units, value,
    least cost, placeable), as the numpy steps before the compiled call made them."""
    out = []
    for members, splittable in zip(bundles, split, strict=True):
        row = members[0][0]
        units = sum(m[1] for m in members)
        grams = sum(m[2] * m[1] for m in members)
        value = sum(m[3] * m[1] for m in members)
        if splittable:
            got = usable[row]
            ks = (got > 0).nonzero()[0]
            unit = (labour + overstock[row])[ks]
            given = got[ks]
            placeable = min(units, int(np.sort(given)[::-1][:max_shipments].sum()))
            least = (int(unit.min()) if len(ks) else 0) * placeable
        else:
            able = np.ones(len(labour), bool)
            unit_all = np.zeros(len(labour), np.int64)
            for r, qty, *_ in members:
                able &= usable[r] >= qty
                unit_all += (labour + overstock[r]) * qty
            ks = able.nonzero()[0]
            unit, given = unit_all[ks], unit_all[ks]
            placeable = units if len(ks) else 0
            least = int(unit.min()) if len(ks) else 0
        out.append(
            (members, ks.tolist(), unit.tolist(), given.tolist(), grams, units, value, least, placeable)
        )
    out.sort(key=lambda b: (len(b[1]), -b[4], b[0][0][4]))  # type: ignore[index]
    return out


@pytest.mark.parametrize("seed", range(300))
def test_bundle_options_match_the_array_steps(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, lines = int(rng.integers(0, 12)), int(rng.integers(0, 7))
    usable = rng.integers(0, 4, (lines, n)).astype(np.int64)
    labour = rng.integers(0, 50, n).astype(np.int64)
    overstock = -rng.integers(0, 80, (lines, n)).astype(np.int64)  # bonuses can outweigh labour
    # Lines in groups of one to three; a group of one line may split its units.
    bundles: list[list[tuple[int, int, int, int, int]]] = []
    split: list[bool] = []
    order = rng.permutation(lines).tolist()
    while order:
        size = int(rng.integers(1, 4))
        taken, order = order[:size], order[size:]
        members = [
            (r, int(rng.integers(1, 4)), int(rng.choice([100, 500, 500, 2000])), int(rng.integers(1, 9)), r)
            for r in taken
        ]
        bundles.append(members)
        split.append(len(members) == 1 and bool(rng.integers(0, 2)))
    max_shipments = int(rng.integers(1, 4))
    flat = [m for members in bundles for m in members]
    first = np.array([0, *np.cumsum([len(b) for b in bundles])], np.int64)
    packed = bundle_options(
        usable,
        labour,
        overstock,
        np.array(flat, np.int64).reshape(len(flat), 5),
        first,
        np.array(split, np.bool_),
        max_shipments,
    )
    order_of, starts, at, unit, given, per_bundle = unpack_options(packed, len(bundles))
    expected = _reference(usable, labour, overstock, bundles, split, max_shipments)
    assert len(order_of) == len(expected)
    for j, (b, want) in enumerate(zip(order_of.tolist(), expected, strict=True)):
        members, ks, unit_want, given_want, grams, units, value, least, placeable = want
        assert bundles[b] == members
        s, e = starts[j], starts[j + 1]
        assert at[s:e].tolist() == ks
        assert unit[s:e].tolist() == unit_want
        assert given[s:e].tolist() == given_want
        weight = grams // units if split[b] else grams
        assert per_bundle[j].tolist() == [weight, units, split[b], value, least, placeable]
