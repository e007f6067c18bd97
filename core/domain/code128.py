"""Code 128 symbols for shipping labels: the tracking number every carrier's scanner reads.

Why Code 128 and not Code 39 (the scanner self-test's symbology): carriers require it on labels,
it encodes all printable ASCII, and runs of digits pack two to a symbol (code set C), so a
15-character tracking number stays short enough for a 4-inch label at a readable bar width.

Pure functions, no drawing: `encode` gives the symbol values (start, data, check, stop) and
`modules` the alternating bar/space widths that `ui.documents` paints. Code sets used:

* **B** for printable ASCII (32–126): value = character code − 32;
* **C** for pairs of digits: value = the two-digit number.

Code set selection follows ISO/IEC 15417 Annex E in its simple form: start in C when the text
opens with four or more digits (or is exactly two digits), otherwise B; inside B switch to C for a
digit run of six or more, or four or more that ends the text (an odd run leaves its first digit in
B so the C part is pairs); leave C for B when fewer than two digits remain.

The check symbol is (start value + Σ position × value) mod 103, positions counted from 1.
"""

from __future__ import annotations

from core.domain.errors import ValidationError

# Bar/space widths of each symbol value 0..106 (bar first; 106 is the stop with its final bar).
PATTERNS = (
    "212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212", "221213",
    "221312", "231212", "112232", "122132", "122231", "113222", "123122", "123221", "223211", "221132",
    "221231", "213212", "223112", "312131", "311222", "321122", "321221", "312212", "322112", "322211",
    "212123", "212321", "232121", "111323", "131123", "131321", "112313", "132113", "132311", "211313",
    "231113", "231311", "112133", "112331", "132131", "113123", "113321", "133121", "313121", "211331",
    "231131", "213113", "213311", "213131", "311123", "311321", "331121", "312113", "312311", "332111",
    "314111", "221411", "431111", "111224", "111422", "121124", "121421", "141122", "141221", "112214",
    "112412", "122114", "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111",
    "111242", "121142", "121241", "114212", "124112", "124211", "411212", "421112", "421211", "212141",
    "214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311", "113141",
    "114131", "311141", "411131", "211412", "211214", "211232", "2331112",
)  # fmt: skip
CODE_C, CODE_B = 99, 100  # switch to set C / set B
START_B, START_C, STOP = 104, 105, 106
QUIET_ZONE = 10  # modules of white each side, as the standard asks


def _digits_at(text: str, i: int) -> int:
    """How many digits in a row start at position i."""
    n = i
    while n < len(text) and text[n].isdigit():
        n += 1
    return n - i


def _check_text(text: str) -> None:
    if not text:
        raise ValidationError("nothing to encode in Code 128", field="barcode")
    bad = [c for c in text if not 32 <= ord(c) <= 126]
    if bad:
        raise ValidationError(
            f"Code 128 (code sets B and C) encodes printable ASCII only, not {bad[0]!r}", field="barcode"
        )


def data_values(text: str) -> list[int]:
    """Start symbol and data symbols (no check, no stop), choosing code sets B and C as above."""
    _check_text(text)
    opening = _digits_at(text, 0)
    in_c = opening >= 4 or (opening == 2 and len(text) == 2)
    values = [START_C if in_c else START_B]
    i = 0
    while i < len(text):
        run = _digits_at(text, i)
        if in_c:
            if run >= 2:
                values.append(int(text[i : i + 2]))
                i += 2
                continue
            values.append(CODE_B)
            in_c = False
        if run >= 6 or (run >= 4 and i + run == len(text)):
            if run % 2:  # keep the odd digit in B so C gets whole pairs
                values.append(ord(text[i]) - 32)
                i += 1
            values.append(CODE_C)
            in_c = True
            continue
        values.append(ord(text[i]) - 32)
        i += 1
    return values


def check_value(values: list[int]) -> int:
    """The modulo-103 check symbol of a start symbol followed by data symbols."""
    return (values[0] + sum(position * value for position, value in enumerate(values[1:], 1))) % 103


def encode(text: str) -> list[int]:
    """Every symbol value of the barcode for `text`: start, data, check, stop."""
    values = data_values(text)
    return [*values, check_value(values), STOP]


def modules(text: str) -> list[tuple[bool, int]]:
    """(is_bar, width in modules) for the whole symbol, without the quiet zones."""
    out: list[tuple[bool, int]] = []
    for value in encode(text):
        out += [(j % 2 == 0, int(w)) for j, w in enumerate(PATTERNS[value])]
    return out


def width_in_modules(text: str) -> int:
    """Bars and spaces only; add 2 × QUIET_ZONE for the printed width."""
    return sum(width for _, width in modules(text))
