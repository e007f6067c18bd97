"""A count changed by − and + buttons: a finger hits 64 × 48 px buttons, a spin box's arrows it misses."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from ui.touch import SPACING, text_label, touch_size


class Stepper(QWidget):
    """Emits `changed(value)` when a tap moves the count; `set_range` and `set_value` do not emit."""

    changed = Signal(int)

    def __init__(self, what: str, *, step: int = 1, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.low, self.high, self.value, self.step = 0, 0, 0, step
        self.minus = touch_size(QPushButton("−"), width=64)
        self.plus = touch_size(QPushButton("+"), width=64)
        for button in (self.minus, self.plus):
            button.setObjectName("StepButton")
            button.setFixedWidth(64)
        self.minus.setAccessibleName(f"One fewer {what}")
        self.plus.setAccessibleName(f"One more {what}")
        self.count = text_label("0", "code")
        self.count.setMinimumWidth(40)
        self.minus.clicked.connect(lambda: self._step(-self.step))
        self.plus.clicked.connect(lambda: self._step(self.step))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(SPACING)
        row.addWidget(self.minus)
        row.addWidget(self.count)
        row.addWidget(self.plus)

    def set_range(self, low: int, high: int) -> None:
        self.low, self.high = low, high
        self.set_value(self.value)

    def set_value(self, value: int) -> None:
        self.value = max(self.low, min(self.high, value))
        self.count.setText(str(self.value))
        self.minus.setEnabled(self.value > self.low)
        self.plus.setEnabled(self.value < self.high)

    def _step(self, by: int) -> None:
        before = self.value
        self.set_value(self.value + by)
        if self.value != before:
            self.changed.emit(self.value)
