"""GTIN check digits for the barcodes printed on retail goods (EAN-13 and UPC-A).

A scanner reads whatever is printed; validating the check digit at import time catches typos in
product files before an associate meets them at the shelf.
"""

from __future__ import annotations

from core.domain.errors import ValidationError

GTIN_LENGTHS = {12: "UPC-A", 13: "EAN-13"}


def gtin_check_digit(body: str) -> int:
    """Check digit for the digits of a GTIN without its last digit (mod-10, weights 3,1 from the right)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def validate_barcode(code: str, *, field: str = "barcode") -> str:
    """Return the barcode unchanged when it is a valid UPC-A or EAN-13, otherwise raise."""
    if not code.isdigit() or len(code) not in GTIN_LENGTHS:
        raise ValidationError(
            f"{code!r} is not a UPC-A (12 digits) or EAN-13 (13 digits) barcode", field=field
        )
    expected = gtin_check_digit(code[:-1])
    if int(code[-1]) != expected:
        kind = GTIN_LENGTHS[len(code)]
        raise ValidationError(f"{kind} {code} has check digit {code[-1]}, expected {expected}", field=field)
    return code


def make_ean13(body12: str) -> str:
    """Complete a 12-digit body into an EAN-13 by appending its check digit."""
    return body12 + str(gtin_check_digit(body12))
