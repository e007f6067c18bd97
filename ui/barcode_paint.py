"""Painting a Code 128 symbol with QPainter, on screen, into a PDF or on a printer.

The encoding is `core.domain.code128` (pure and tested); this only draws it. Bars are snapped to
whole device pixels (printer dots, PDF units at the writer's resolution, screen pixels): a bar
that is 2.6 dots wide prints as 2 or 3 depending on where it starts, and a scanner then reads
the wrong widths. The quiet zones stay white whatever the theme.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter

from core.domain.code128 import QUIET_ZONE, modules


def paint_code128(painter: QPainter, rect: QRectF, text: str, *, snap: bool = True) -> QRectF:
    """Draw `text` as Code 128 centred in `rect` (logical coordinates); returns the bars' rect.

    `snap=False` spreads the bars over the whole width instead (a small on-screen preview, where
    whole pixels would leave the symbol half as wide as on paper)."""
    bars = modules(text)
    units = sum(width for _, width in bars) + 2 * QUIET_ZONE
    transform = painter.combinedTransform()
    scale = transform.m11() or 1.0  # device units per logical unit across
    exact = rect.width() * scale / units
    device_module = max(1, math.floor(exact)) if snap else exact
    module = device_module / scale
    width = module * (units - 2 * QUIET_ZONE)
    x = rect.x() + (rect.width() - width) / 2
    # Snap the first bar to a device pixel so every bar edge lands on one.
    x = math.floor(x * scale) / scale if snap else x
    painter.save()
    painter.fillRect(
        QRectF(x - QUIET_ZONE * module, rect.y(), width + 2 * QUIET_ZONE * module, rect.height()),
        QColor("white"),
    )
    painter.setPen(Qt.PenStyle.NoPen)
    black = QColor("black")
    for is_bar, w in bars:
        if is_bar:
            painter.fillRect(QRectF(x, rect.y(), w * module, rect.height()), black)
        x += w * module
    painter.restore()
    return QRectF(x - width, rect.y(), width, rect.height())
