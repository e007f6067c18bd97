"""The pickup QR code as a picture: PNG bytes made with `segno` (pure Python, no Qt).

The payload (`core.domain.pickup.qr_payload`) is already signed; this only draws it. The same
bytes go into the customer's e-mail as an inline image and onto the counter screen, so what the
customer shows is what the tablet expects. Error correction level M survives a cracked phone
screen or a crumpled print-out while keeping the symbol small enough for a phone to display.
"""

from __future__ import annotations

import io
import re

import segno

from core.domain.pickup import QR_PREFIX

# A payload inside a text (the e-mail body carries it on its own line): prefix, body, signature.
PAYLOAD_IN_TEXT = re.compile(rf"{QR_PREFIX}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")


def qr_png(payload: str, *, scale: int = 8, border: int = 4) -> bytes:
    """The QR symbol of `payload` as PNG bytes (`scale` pixels per module, a quiet zone of `border`)."""
    symbol = segno.make(payload, error="m", micro=False)
    out = io.BytesIO()
    symbol.save(out, kind="png", scale=scale, border=border)
    return out.getvalue()


def payload_in(text: str) -> str | None:
    """The first pickup QR payload written in `text`, if any."""
    found = PAYLOAD_IN_TEXT.search(text)
    return found.group(0) if found else None
