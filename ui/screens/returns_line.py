"""One line coming back: how many units (a stepper), why, and what state they are in.

Used for an order's lines and for the items of a return without a receipt. The stepper never goes
past what the policy says may come back, and a line that may not come back at all says why in
words ("the 30-day return window … ended on …", "final sale", "already returned") instead of
offering a stepper. Reason and condition start unchosen: a unit's condition decides where it goes
(back on sale, damaged stock, quarantine), so it is asked, never assumed.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QListView,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from core.domain.returns import Condition, ReturnReason
from ui.return_words import CONDITIONS, REASONS, money
from ui.screens.returns_parts import words
from ui.theme import repolish
from ui.touch import SPACING, touch_size


class ChoiceList(QComboBox):
    """A combo box that draws its own "▾" in the theme's text colour (the themes give the arrow's
    place no image, which would otherwise leave it blank or framed)."""

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        painter = QPainter(self)
        painter.setPen(self.palette().color(QPalette.ColorRole.Text))
        arrow = QRect(self.width() - 34, 0, 28, self.height())
        painter.drawText(arrow, Qt.AlignmentFlag.AlignCenter, "▾")
        painter.end()


def _choice(placeholder: str, options: dict[str, str]) -> QComboBox:
    box = ChoiceList()
    box.setPlaceholderText(placeholder)
    for value, text in options.items():
        box.addItem(text, str(value))
    box.setCurrentIndex(-1)
    box.setView(QListView())  # a plain list takes the theme's 48 px rows (the default delegate ignores it)
    box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    box.setMinimumWidth(200)
    return touch_size(box)  # type: ignore[return-value]


class ReturnLineRow(QFrame):
    """Emits `changed()` whenever the units, the reason or the condition change."""

    changed = Signal()

    def __init__(
        self, key: str, name: str, detail: str, unit_price: Decimal, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        self.key, self.name = key, name
        self.most = 0
        self.qty = 0
        self.title = words(name, "subtitle")
        self.detail = words(f"{detail} · {money(unit_price)} each", "hint")
        self.limit = words("")
        self.limit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.minus, self.plus = QPushButton("−"), QPushButton("+")
        for button in (self.minus, self.plus):
            button.setObjectName("StepButton")
            touch_size(button).setFixedWidth(64)
        self.minus.setAccessibleName(f"One fewer {name}")
        self.plus.setAccessibleName(f"One more {name}")
        self.count = words("0", "code")
        self.count.setMinimumWidth(40)
        self.minus.clicked.connect(lambda: self.set_qty(self.qty - 1))
        self.plus.clicked.connect(lambda: self.set_qty(self.qty + 1))
        self.reason = _choice("Reason…", REASONS)  # type: ignore[arg-type]
        self.condition = _choice("Condition…", CONDITIONS)  # type: ignore[arg-type]
        self.reason.setAccessibleName(f"Reason for returning {name}")
        self.condition.setAccessibleName(f"Condition of {name}")
        self.reason.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.condition.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.controls = QWidget()
        self.controls.setObjectName("LineWords")
        row = QHBoxLayout(self.controls)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(SPACING)
        row.addWidget(self.minus)
        row.addWidget(self.count)
        row.addWidget(self.plus)
        row.addSpacing(SPACING)
        row.addWidget(self.reason, 1)
        row.addWidget(self.condition, 1)
        grid = QGridLayout(self)
        grid.setContentsMargins(18, 12, 18, 12)
        grid.setHorizontalSpacing(SPACING)
        grid.setVerticalSpacing(6)
        grid.addWidget(self.title, 0, 0)
        grid.addWidget(self.limit, 0, 1)
        grid.addWidget(self.detail, 1, 0, 1, 2)
        grid.addWidget(self.controls, 2, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

    def set_limit(self, most: int, why_not: str = "", *, counted: str = "") -> None:
        """At most `most` units; with none, `why_not` says why and the controls go away."""
        self.most = most
        if most <= 0:
            self.limit.setText(f"✖ {why_not[:1].upper()}{why_not[1:]}" if why_not else "✖ Nothing to return")
            self.limit.setProperty("kind", "warn")
            self.controls.hide()
        else:
            self.limit.setText(counted or f"{most} returnable")
            self.limit.setProperty("kind", "hint")
            self.controls.show()
        repolish(self.limit)
        self.set_qty(min(self.qty, max(most, 0)))

    def set_qty(self, qty: int) -> None:
        self.qty = max(0, min(self.most, qty))
        self.count.setText(str(self.qty))
        self.minus.setEnabled(self.qty > 0)
        self.plus.setEnabled(self.qty < self.most)
        self.changed.emit()

    def choose(self, reason: ReturnReason | None, condition: Condition | None) -> None:
        """Set the choices as a tap would (tests and screenshots drive the real combo boxes)."""
        for box, value in ((self.reason, reason), (self.condition, condition)):
            box.setCurrentIndex(box.findData(str(value)) if value is not None else -1)

    @property
    def chosen_reason(self) -> ReturnReason | None:
        data = self.reason.currentData()
        return ReturnReason(data) if data else None

    @property
    def chosen_condition(self) -> Condition | None:
        data = self.condition.currentData()
        return Condition(data) if data else None

    def missing(self) -> str:
        """What is still to choose before this line can be quoted ("" when nothing)."""
        if self.qty == 0:
            return ""
        gaps = [
            w
            for w, v in (("a reason", self.chosen_reason), ("a condition", self.chosen_condition))
            if v is None
        ]
        return f"Choose {' and '.join(gaps)} for {self.name}." if gaps else ""
