"""The answer to every scan, and typing a code by hand when a label will not scan.

`ScanBanner` answers at once in four ways, so nobody depends on one sense: a colour, a glyph
(✔ / ⚠ / ✖), words, and a sound. `ManualEntry` is the fallback for a torn or faded label: a
big field and a button, sending the code down the same path as a scan.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ui.sounds import ScanSounds
from ui.theme import repolish
from ui.touch import SPACING, touch_size

GLYPHS = {"ok": "✔", "warn": "⚠", "error": "✖", "idle": "▮▮▯"}


@dataclass(frozen=True, slots=True)
class ScanAnswer:
    """What a screen says about a scan: `outcome` is ok, warn or error; `text` says it in words."""

    outcome: str
    text: str


class ScanBanner(QFrame):
    """Colour + glyph + words + sound for the latest scan."""

    def __init__(self, sounds: ScanSounds | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ScanBanner")
        self.setProperty("outcome", "idle")
        self._sounds = sounds
        self.glyph = QLabel(GLYPHS["idle"])
        self.glyph.setObjectName("ScanGlyph")
        self.text = QLabel("Ready to scan.")
        self.text.setWordWrap(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        layout.setSpacing(SPACING)
        layout.addWidget(self.glyph)
        layout.addWidget(self.text, 1)
        self.setMinimumHeight(72)

    @property
    def outcome(self) -> str:
        return str(self.property("outcome"))

    def show_answer(self, answer: ScanAnswer, *, sound: bool = True) -> None:
        """Show the answer; `sound=False` for a status line that answers no scan (it stays quiet)."""
        self.setProperty("outcome", answer.outcome)
        self.glyph.setText(GLYPHS.get(answer.outcome, "?"))
        self.text.setText(answer.text)
        self.setAccessibleDescription(f"{answer.outcome}: {answer.text}")
        repolish(self)
        for label in (self.glyph, self.text):
            repolish(label)
        if sound and self._sounds is not None:
            self._sounds.play(answer.outcome)


class ManualEntry(QWidget):
    """Type a code and press the button (or Enter): the same as scanning it."""

    submitted = Signal(str)

    def __init__(self, placeholder: str = "Type a barcode", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = QLineEdit()
        self.field.setPlaceholderText(placeholder)
        self.field.setClearButtonEnabled(True)
        self.field.returnPressed.connect(self._submit)
        self.button = touch_size(QPushButton("Enter code"), width=160)
        self.button.clicked.connect(self._submit)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACING)
        layout.addWidget(self.field, 1)
        layout.addWidget(self.button)

    def _submit(self) -> None:
        code = self.field.text().strip()
        if code:
            self.field.clear()
            self.submitted.emit(code)


def scan_footer(
    owner: QWidget, body: QWidget, sounds: ScanSounds | None, placeholder: str, on_scan: Callable[[str], None]
) -> tuple[ScanBanner, ManualEntry]:
    """Lay out a scanning screen: its `body` above, the answer banner and manual entry below, the same
    margins on every screen; a typed code goes to `on_scan` like a scan."""
    banner = ScanBanner(sounds)
    entry = ManualEntry(placeholder)
    entry.submitted.connect(on_scan)
    layout = QVBoxLayout(owner)
    layout.setContentsMargins(24, 20, 24, 20)
    layout.setSpacing(SPACING)
    layout.addWidget(body, 1)
    layout.addWidget(banner)
    layout.addWidget(entry)
    return banner, entry


def show_count(glyph: QLabel, count: QLabel, have: int, need: int, description: str) -> None:
    """A checklist row's state in a glyph and words ("✔", "2 of 2"), never colour alone."""
    done = have >= need
    glyph.setText("✔" if done else "◻")
    glyph.setProperty("kind", "ok" if done else None)
    count.setText(f"{have} of {need}")
    count.setProperty("kind", "ok" if done else "code")
    glyph.setAccessibleDescription(description)
    repolish(glyph)
    repolish(count)
