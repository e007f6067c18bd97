"""Tracking numbers for shipping labels, made the same way every time for the same fulfilment.

Why deterministic: a label printed twice (a jammed printer, a second tablet, a reprint after the
app restarted) must carry the same number, and the `shipped` event that tells the hub must name the
number that is on the box. Deriving it from the fulfilment id needs no counter, no network and no
coordination between tablets. Real carrier integration (buying labels through an API) would replace
this with the carrier's own number; the shape stays.

Format: a two-letter carrier prefix, 13 digits taken from SHA-256 of the fulfilment id, and a
mod-10 check digit (GTIN weighting), e.g. `PA48210937551236`. Digits after the prefix make the
Code 128 symbol short (code set C packs them in pairs).
"""

from __future__ import annotations

import hashlib
import re

from core.domain.barcodes import gtin_check_digit

BODY_DIGITS = 13


def carrier_prefix(carrier: str) -> str:
    """Initials of the carrier's words, camel case counting as words ('Metro Courier' → MC,
    'SwiftPost' → SP), else its first two letters ('Parcelway' → PA); ZZ when it has no letters."""
    words = re.findall(r"[A-Z][a-z]*|[a-z]+", re.sub(r"[^A-Za-z]+", " ", carrier))
    if len(words) >= 2:
        return (words[0][0] + words[1][0]).upper()
    letters = "".join(words).upper()
    return (letters * 2)[:2] if letters else "ZZ"


def tracking_number(fulfilment_id: str, carrier: str) -> str:
    """The tracking number printed on this fulfilment's label (see the module docstring)."""
    digest = int.from_bytes(hashlib.sha256(fulfilment_id.encode("utf-8")).digest()[:8], "big")
    body = f"{digest % 10**BODY_DIGITS:0{BODY_DIGITS}d}"
    return f"{carrier_prefix(carrier)}{body}{gtin_check_digit(body)}"


def is_valid_tracking_number(number: str) -> bool:
    """Two letters, 13 digits and the right check digit: catches a mistyped number at a glance."""
    prefix, body, check = number[:2], number[2:-1], number[-1:]
    return (
        len(number) == 2 + BODY_DIGITS + 1
        and prefix.isalpha()
        and body.isdigit()
        and check.isdigit()
        and gtin_check_digit(body) == int(check)
    )
