"""The compiled loops give exactly what the Python they replace would."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from core.routing import kernels
from core.routing.kernels import alike
from core.routing.screening import _LOCATION_FILTERS, _tenths

TIES = [0.05, 0.15, 0.25, 1.05, 2.675, 12.35, 123.45, 1.0000005, 4999.95, 0.0]


@settings(deadline=None)  # the first call may compile the kernel
@given(st.lists(st.floats(min_value=0, max_value=20_100, allow_nan=False), max_size=50))
def test_tenths_equal_round_to_the_last_bit(values: list[float]) -> None:
    got = _tenths(np.array(values + TIES, float), values + TIES)
    assert got == [round(x, 1) for x in values + TIES]
    assert all(type(x) is float for x in got)


def test_alike_numbers_distinct_rows_in_the_order_met() -> None:
    rows = np.array([[3, 1], [2, 2], [3, 1], [0, 0], [2, 2], [3, 1]], np.int64)
    firsts, inverse = alike(rows)
    assert firsts.tolist() == [0, 1, 3]
    assert inverse.tolist() == [0, 1, 0, 2, 1, 0]


@settings(deadline=None)
@given(st.lists(st.tuples(st.integers(-3, 3), st.integers(-3, 3)), max_size=40))
def test_alike_groups_exactly_the_equal_rows(pairs: list[tuple[int, int]]) -> None:
    firsts, inverse = alike(np.array(pairs, np.int64).reshape(len(pairs), 2))
    distinct = list(dict.fromkeys(pairs))
    assert [pairs[i] for i in firsts.tolist()] == distinct
    assert [distinct[i] for i in inverse.tolist()] == pairs


def test_the_kernel_codes_location_filters_in_the_documented_order() -> None:
    codes = [getattr(kernels, key.upper()) for key in _LOCATION_FILTERS]
    assert codes == list(range(1, len(_LOCATION_FILTERS) + 1))
    assert len(_LOCATION_FILTERS) + 1 == kernels.FENCE
