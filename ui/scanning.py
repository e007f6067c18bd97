"""Keyboard-wedge scanners caught at application level by keystroke timing, wherever focus is.

A hardware scanner "types" its code and a suffix (Enter or Tab) far faster than a person: a few
milliseconds per character. `ScanDetector` is an event filter on the QApplication. It holds back
printable key presses for a moment; when the next one comes within `gap_ms` the burst grows, and a
burst of at least `min_length` characters ended by Enter/Tab within the same gap is a scan: it is
swallowed and emitted as `scanned(code, suffix)`, so no text field fills up with barcode digits
and no button is "pressed" by the Enter. When the gap is longer (a person typing), the held keys
are re-sent to the widget they were meant for, unchanged and in order, about `gap_ms` later: too
short for a person to notice. A fast burst without any suffix is handed on as typing and reported
as `burst_without_suffix`, which the scanner self-test uses to say "program an Enter suffix".
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from ui import app_filters

SUFFIXES = {Qt.Key.Key_Return: "enter", Qt.Key.Key_Enter: "enter", Qt.Key.Key_Tab: "tab"}
FLUSH_ON = {QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.FocusOut}
MODIFIER_KEYS = {Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_Meta, Qt.Key.Key_AltGr}


@dataclass(slots=True)
class _HeldKey:
    target: QWidget  # the widget the key was for; it may be deleted by the time we re-send it
    key: int
    modifiers: Qt.KeyboardModifier
    text: str
    at_ms: float


class ScanDetector(QObject):
    """Installs itself on the application; see the module docstring for the rule."""

    scanned = Signal(str, str)  # code, suffix ("enter" or "tab")
    burst_without_suffix = Signal(str)

    def __init__(
        self,
        app: QApplication,
        parent: QObject | None = None,
        *,
        gap_ms: float = 30.0,
        min_length: int = 4,
    ) -> None:
        """Filter `app`'s keys until `detach()` or until `parent` (default: the app) is deleted."""
        super().__init__(parent or app)
        self.gap_ms = gap_ms
        self.min_length = min_length
        self.enabled = True
        self._held: list[_HeldKey] = []
        self._replaying = False
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.timeout.connect(self._on_quiet)
        app_filters.install(app, self)

    def detach(self) -> None:
        self.flush()
        app = QApplication.instance()
        if app is not None:
            app_filters.remove(app, self)

    @staticmethod
    def _now_ms() -> float:
        return time.monotonic() * 1000.0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if self._held and event.type() in FLUSH_ON:
            self.flush()  # a tap or click acts on what was typed so far, so hand it over first
        if (
            self._replaying
            or not self.enabled
            or event.type() != QEvent.Type.KeyPress
            or not isinstance(watched, QWidget)  # the window sees each key first; act once, on the widget
        ):
            return False
        assert isinstance(event, QKeyEvent)
        key = Qt.Key(event.key())
        if key in MODIFIER_KEYS:
            return False  # a scanner presses Shift for capitals; it neither ends nor breaks a burst
        now = self._now_ms()
        if self._held and now - self._held[-1].at_ms > self.gap_ms:
            self.flush()  # the last key waited too long for company: it was a person
        if key in SUFFIXES:
            return self._on_suffix(SUFFIXES[key])
        text = event.text()
        ctrl = event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
        if event.isAutoRepeat() or len(text) != 1 or not text.isprintable() or ctrl:
            self.flush()
            return False  # arrows, Backspace, shortcuts... go straight through (after what was held)
        self._held.append(_HeldKey(watched, event.key(), event.modifiers(), text, now))
        self._flush_timer.start(max(1, int(self.gap_ms) + 5))
        return True

    def _on_suffix(self, suffix: str) -> bool:
        if len(self._held) >= self.min_length:
            code = "".join(k.text for k in self._held)
            self._held.clear()
            self._flush_timer.stop()
            self.scanned.emit(code, suffix)
            return True
        self.flush()
        return False

    def _on_quiet(self) -> None:
        """No key followed in time: a scanner without a suffix, or a person. Either way, it is typing."""
        if len(self._held) >= self.min_length:
            self.burst_without_suffix.emit("".join(k.text for k in self._held))
        self.flush()

    def flush(self) -> None:
        """Re-send the held keys to the widgets they were meant for."""
        self._flush_timer.stop()
        held, self._held = self._held, []
        self._replaying = True
        try:
            for k in held:
                if not shiboken6.isValid(k.target):
                    continue
                for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    QApplication.sendEvent(k.target, QKeyEvent(kind, k.key, k.modifiers, k.text))
        finally:
            self._replaying = False
