"""Code 128 encoder: known vectors, the check symbol, code set choice, and a round trip through a
decoder written from the standard's tables (so the bars say what the label says)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.domain.code128 import (
    CODE_B,
    CODE_C,
    PATTERNS,
    START_B,
    START_C,
    STOP,
    check_value,
    encode,
    modules,
    width_in_modules,
)
from core.domain.errors import ValidationError
from core.domain.tracking import carrier_prefix, is_valid_tracking_number, tracking_number


def test_known_vector_code_set_b() -> None:
    # "Kingcean" in set B: 68 2b 49 4e 47 43 45 41 4e 40 6a (Trivial.Data's Code128.CreateB example)
    assert encode("Kingcean") == [0x68, 0x2B, 0x49, 0x4E, 0x47, 0x43, 0x45, 0x41, 0x4E, 0x40, 0x6A]


def test_known_vector_code_set_c() -> None:
    # Start C, 12, 34, check (105 + 1·12 + 2·34) mod 103 = 82, stop
    assert encode("1234") == [START_C, 12, 34, 82, STOP]


def test_check_symbol_is_weighted_sum_mod_103() -> None:
    # "PJJ123C" stays in B (a 3-digit run is too short for C): 104 + 48 + 2·42 + 3·42 + 4·17 + 5·18 + 6·19 + 7·35 = 879 ≡ 55
    assert encode("PJJ123C") == [START_B, 48, 42, 42, 17, 18, 19, 35, 55, STOP]
    assert check_value([START_B, 48, 42, 42, 17, 18, 19, 35]) == 55


def test_digit_runs_switch_to_set_c_with_whole_pairs() -> None:
    values = encode("PA1234567")  # 7 digits at the end: '1' in B, then 23 45 67 in C
    assert values[:5] == [START_B, 48, 33, 17, CODE_C]
    assert values[5:8] == [23, 45, 67]
    values = encode("123456AB")  # starts in C, leaves for B
    assert values[:5] == [START_C, 12, 34, 56, CODE_B]
    assert values[5:7] == [33, 34]


def test_every_symbol_is_eleven_modules_and_the_stop_thirteen() -> None:
    assert all(sum(map(int, p)) == 11 for p in PATTERNS[:106])
    assert sum(map(int, PATTERNS[STOP])) == 13
    text = "PA68063713339847"
    assert width_in_modules(text) == 11 * (len(encode(text)) - 1) + 13
    bars = modules(text)
    assert bars[0][0] and bars[-1][0]  # starts and ends with a bar


def test_refuses_what_it_cannot_encode() -> None:
    with pytest.raises(ValidationError):
        encode("")
    with pytest.raises(ValidationError, match="printable ASCII"):
        encode("café")


def _decode(bars: list[tuple[bool, int]]) -> str:
    """A reader's view: widths back to symbol values, check verified, code sets followed."""
    widths = "".join(str(w) for _, w in bars)
    table = {p: v for v, p in enumerate(PATTERNS)}
    values = [table[widths[i : i + 6]] for i in range(0, len(widths) - 7, 6)] + [table[widths[-7:]]]
    assert values[-1] == STOP and check_value(values[:-2]) == values[-2]
    text, in_c = "", values[0] == START_C
    for value in values[1:-2]:
        if in_c:  # in set C, 0–99 are digit pairs (99 is "99") and 100 switches to B
            text, in_c = (text + f"{value:02d}", True) if value < 100 else (text, value != CODE_B)
        elif value == CODE_C:  # in set B, 99 switches to C
            in_c = True
        else:
            text += chr(value + 32)
    return text


@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=40))
def test_round_trip(text: str) -> None:
    assert _decode(modules(text)) == text


def test_tracking_numbers_are_deterministic_and_checked() -> None:
    first = tracking_number("W0000042-S01", "Parcelway")
    assert first == tracking_number("W0000042-S01", "Parcelway")
    assert first != tracking_number("W0000043-S01", "Parcelway")
    assert first.startswith("PA") and len(first) == 16 and is_valid_tracking_number(first)
    broken = first[:-1] + str((int(first[-1]) + 1) % 10)
    assert not is_valid_tracking_number(broken)
    assert [carrier_prefix(c) for c in ("Metro Courier", "SwiftPost", "Parcelway", "")] == [
        "MC",
        "SP",
        "PA",
        "ZZ",
    ]
    assert _decode(modules(first)) == first
