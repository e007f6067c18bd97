"""A screen whose real work comes in a later part: it says what is coming, and already scans.

Scanning works here from day one (a UPC/EAN is checked for a valid check digit), so the scanner,
the sounds and the manual entry can be tried before Pick and Pack arrive.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from core.domain.barcodes import validate_barcode
from core.domain.errors import ValidationError
from ui.scan_panel import ManualEntry, ScanAnswer, ScanBanner
from ui.sounds import ScanSounds


def check_product_code(code: str) -> ScanAnswer:
    """A valid GTIN is ok; anything else is named as what it is."""
    try:
        validate_barcode(code)
    except ValidationError as exc:
        return ScanAnswer("error", f"{code}: {exc.message}")
    return ScanAnswer("ok", f"{code}: valid {'EAN-13' if len(code) == 13 else 'UPC-A'} barcode.")


class PlaceholderScreen(QWidget):
    def __init__(
        self, title: str, coming: str, sounds: ScanSounds | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        heading = QLabel(title)
        heading.setProperty("kind", "title")
        note = QLabel(coming)
        note.setWordWrap(True)
        card = QFrame()
        card.setObjectName("Card")
        inner = QVBoxLayout(card)
        inner.setContentsMargins(24, 20, 24, 20)
        inner.addWidget(note)
        hint = QLabel("Scanning already works here: scan any product, or type its barcode below.")
        hint.setProperty("kind", "hint")
        hint.setWordWrap(True)
        self.banner = ScanBanner(sounds)
        self.entry = ManualEntry()
        self.entry.submitted.connect(lambda code: self.handle_scan(code, None))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.setSpacing(16)
        layout.addWidget(heading)
        layout.addWidget(card)
        layout.addStretch(1)
        layout.addWidget(hint)
        layout.addWidget(self.banner)
        layout.addWidget(self.entry)

    def handle_scan(self, code: str, suffix: str | None) -> None:
        self.banner.show_answer(check_product_code(code))
