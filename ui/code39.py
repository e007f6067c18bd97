"""A Code 39 barcode drawn on screen, so the scanner self-test needs no printed sheet.

Code 39 is the simplest symbology every wedge scanner reads out of the box: each character is
nine elements (five bars, four spaces), three of them wide, framed by `*`. Handheld imagers read
it off a tablet screen; laser scanners need the printed test sheet, which shows the same code.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

# n = narrow, w = wide; elements alternate bar, space, bar, ... (five bars, four spaces)
PATTERNS = {
    "0": "nnnwwnwnn", "1": "wnnwnnnnw", "2": "nnwwnnnnw", "3": "wnwwnnnnn", "4": "nnnwwnnnw",
    "5": "wnnwwnnnn", "6": "nnwwwnnnn", "7": "nnnwnnwnw", "8": "wnnwnnwnn", "9": "nnwwnnwnn",
    "A": "wnnnnwnnw", "B": "nnwnnwnnw", "C": "wnwnnwnnn", "D": "nnnnwwnnw", "E": "wnnnwwnnn",
    "F": "nnwnwwnnn", "G": "nnnnnwwnw", "H": "wnnnnwwnn", "I": "nnwnnwwnn", "J": "nnnnwwwnn",
    "K": "wnnnnnnww", "L": "nnwnnnnww", "M": "wnwnnnnwn", "N": "nnnnwnnww", "O": "wnnnwnnwn",
    "P": "nnwnwnnwn", "Q": "nnnnnnwww", "R": "wnnnnnwwn", "S": "nnwnnnwwn", "T": "nnnnwnwwn",
    "U": "wwnnnnnnw", "V": "nwwnnnnnw", "W": "wwwnnnnnn", "X": "nwnnwnnnw", "-": "nwnnnnwnw",
    "*": "nwnnwnwnn",
}  # fmt: skip
WIDE = 3  # wide elements are three narrow ones


def modules(code: str) -> list[tuple[bool, int]]:
    """(is_bar, width in narrow units) for `*code*`, with a narrow gap between characters."""
    out: list[tuple[bool, int]] = []
    for i, char in enumerate(f"*{code}*"):
        if char not in PATTERNS:
            raise ValueError(f"Code 39 here cannot draw {char!r}")
        if i:
            out.append((False, 1))
        out += [(j % 2 == 0, WIDE if e == "w" else 1) for j, e in enumerate(PATTERNS[char])]
    return out


class Code39Widget(QWidget):
    """Black bars on a white quiet zone, whatever the theme: scanners need the contrast."""

    def __init__(self, code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._modules = modules(code)
        self._units = sum(w for _, w in self._modules) + 20  # ten narrow units of quiet zone each side
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setMinimumSize(self._units * 2, 96)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(self._units * 3, 110)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        unit = max(1, self.width() // self._units)  # whole pixels: blurred edges do not scan
        x = (self.width() - unit * (self._units - 20)) / 2
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("black"))
        for is_bar, width in self._modules:
            if is_bar:
                painter.drawRect(QRectF(x, 8, unit * width, self.height() - 16))
            x += unit * width
        painter.end()
