"""Finishing a visit: the customer signs, and anything that stays behind is declared with a reason.

A partial pickup names, per line, how many units stay and why (declined, damaged, missing), and
whether the store refunds them or keeps declined ones for a later visit. The panel only gathers
that; `core.domain.handover.check_left` and the service judge it, so the rules live in one place.
What the panel refuses itself is what the service cannot see: a blank signature pad, or units
staying without a reason.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from core.domain.handover import DueItem, HandoverPlan, LeftLine
from core.domain.pickup import LeftOutcome, LeftReason
from ui.signature_pad import SignaturePad
from ui.touch import SPACING, kinetic, primary_button, text_label, touch_size

REASONS = {LeftReason.DECLINED: "Declined", LeftReason.DAMAGED: "Damaged", LeftReason.MISSING: "Missing"}


def _choices(parent: QWidget, names: dict[str, str]) -> tuple[QButtonGroup, dict[str, QPushButton]]:
    group = QButtonGroup(parent)
    group.setExclusive(True)
    buttons: dict[str, QPushButton] = {}
    for key, text in names.items():
        button = touch_size(QPushButton(text))
        button.setCheckable(True)
        # they share their row: a checked one's bold words must not be clipped to its plain width
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        group.addButton(button)
        buttons[key] = button
    return group, buttons


class LeftRow(QWidget):
    """One line of the order: how many units stay (− n +) and why."""

    def __init__(self, item: DueItem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.staying = 0
        self.count = QLabel("")
        self.count.setProperty("kind", "code")
        self.count.setFixedWidth(96)
        self.count.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.less = touch_size(QPushButton("−"))
        self.more = touch_size(QPushButton("+"))
        self.less.setAccessibleName(f"one less of {item.name} stays")
        self.more.setAccessibleName(f"one more of {item.name} stays")
        for button in (self.less, self.more):
            button.setStyleSheet("padding: 6px 4px;")
        self.less.clicked.connect(lambda: self.set_staying(self.staying - 1))
        self.more.clicked.connect(lambda: self.set_staying(self.staying + 1))
        self.group, self.reasons = _choices(self, {r.value: t for r, t in REASONS.items()})
        for button in self.reasons.values():
            button.setStyleSheet("padding: 6px 4px;")  # three words in a row beside the count
        row = QHBoxLayout()
        row.setSpacing(8)
        for widget in (self.less, self.count, self.more, *self.reasons.values()):
            row.addWidget(widget)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 4, 0, 8)
        box.setSpacing(4)
        box.addWidget(text_label(f"{item.name} ({item.qty} due)"))
        box.addLayout(row)
        self.set_staying(0)

    def set_staying(self, units: int) -> None:
        self.staying = max(0, min(self.item.qty, units))
        self.count.setText(f"{self.staying} stay" + ("s" if self.staying == 1 else ""))
        self.less.setEnabled(self.staying > 0)
        self.more.setEnabled(self.staying < self.item.qty)
        for button in self.reasons.values():
            button.setEnabled(self.staying > 0)

    def choose(self, reason: str) -> None:
        self.reasons[reason].setChecked(True)

    @property
    def reason(self) -> str | None:
        return next((r for r, b in self.reasons.items() if b.isChecked()), None)


class FinishPanel(QWidget):
    """Emits `complete(signature_png, left_lines, outcome)`, or `refused(message)` for a form that is
    not complete (nothing is sent to the service then)."""

    complete = Signal(bytes, object, str)
    refused = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[LeftRow] = []
        self.pad = SignaturePad()
        self.clear_button = touch_size(QPushButton("Clear signature"), width=180)
        self.clear_button.clicked.connect(self.pad.clear)
        sign_card = QFrame()
        sign_card.setObjectName("Card")
        sign_box = QVBoxLayout(sign_card)
        sign_box.setContentsMargins(20, 14, 20, 14)
        sign_box.setSpacing(SPACING)
        self.sign_title = text_label("Customer's signature", "subtitle")
        sign_box.addWidget(self.sign_title)
        sign_box.addWidget(self.pad, 1)
        sign_box.addWidget(self.clear_button)

        left_card = QFrame()
        left_card.setObjectName("Card")
        left_box = QVBoxLayout(left_card)
        left_box.setContentsMargins(20, 14, 20, 14)
        left_box.setSpacing(SPACING)
        left_box.addWidget(text_label("Anything staying behind?", "subtitle"))
        self.lines = QWidget()
        self.lines.setObjectName("LineWords")
        self.line_box = QVBoxLayout(self.lines)
        self.line_box.setContentsMargins(0, 0, 8, 0)
        self.line_box.setSpacing(4)
        scroll = QScrollArea()
        scroll.setObjectName("LeftLines")
        scroll.setStyleSheet("#LeftLines, #LeftLines > QWidget { background: transparent; }")
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.lines)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        kinetic(scroll)
        left_box.addWidget(scroll, 1)
        left_box.addWidget(text_label("What stays is", "hint"))
        self.outcome_group, self.outcomes = _choices(
            self, {LeftOutcome.REFUND.value: "Refunded", LeftOutcome.KEEP.value: "Kept for later"}
        )
        self.outcomes[LeftOutcome.REFUND.value].setChecked(True)
        outcome_row = QHBoxLayout()
        outcome_row.setSpacing(SPACING)
        for button in self.outcomes.values():
            outcome_row.addWidget(button)
        left_box.addLayout(outcome_row)

        self.back_button = touch_size(QPushButton("← Scanning"), width=160)
        self.complete_button = primary_button("Complete handover", self._submit, width=240)
        actions = QHBoxLayout()
        actions.setSpacing(SPACING)
        actions.addWidget(self.back_button)
        actions.addStretch(1)
        actions.addWidget(self.complete_button)
        middle = QHBoxLayout()
        middle.setSpacing(SPACING * 2)
        middle.addWidget(sign_card, 1)
        middle.addWidget(left_card, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACING)
        layout.addLayout(middle, 1)
        layout.addLayout(actions)

    def show_plan(self, plan: HandoverPlan, signer: str) -> None:
        self.pad.clear()
        self.sign_title.setText(f"Signature of {signer}" if signer else "Customer's signature")
        for row in self.rows:
            row.deleteLater()
        self.rows = [LeftRow(item) for item in plan.items]
        for row in self.rows:
            self.line_box.addWidget(row)
        self.outcomes[LeftOutcome.REFUND.value].setChecked(True)

    def row(self, sku: str) -> LeftRow:
        return next(r for r in self.rows if r.item.sku == sku)

    def choose_outcome(self, outcome: str) -> None:
        self.outcomes[outcome].setChecked(True)

    def _submit(self) -> None:
        if not self.pad.has_ink:
            self.refused.emit("Ask the customer to sign in the box first: nothing was recorded.")
            return
        left: list[LeftLine] = []
        for row in self.rows:
            if not row.staying:
                continue
            if row.reason is None:
                self.refused.emit(
                    f"{row.item.name}: {row.staying} stay; tap why (declined, damaged or missing). "
                    "Nothing was recorded."
                )
                return
            left.append(LeftLine(row.item.sku, row.staying, LeftReason(row.reason)))
        outcome = next(k for k, b in self.outcomes.items() if b.isChecked())
        self.complete.emit(self.pad.png(), left, outcome)
