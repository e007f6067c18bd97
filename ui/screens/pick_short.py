"""The short-pick panel: look in the other bins first, then say how many and why, see what it does.

An in-window panel (no modal dialog: principle 6 and DESIGN.md's "no exec() in async code"). It
first lists the other bins of this store where the SKU was counted, since most "missing" items are
just on another shelf. Each choice of quantity and reason asks the service for a preview, which
says in sentences what confirming will do to the order and the stock; Confirm is enabled only
when the preview on screen is the one for the current choice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.domain.picking import PickTask, ShortLine, ShortPickPreview, ShortReason
from ui.ops import OpRunner, person_message
from ui.pick_ports import PickServices
from ui.screens.pick_card import ChoiceButton
from ui.screens.pick_model import if_alive
from ui.theme import repolish
from ui.touch import SPACING, text_label, touch_size

REASONS = (
    (ShortReason.NOT_FOUND, "Not found"),
    (ShortReason.DAMAGED, "Damaged"),
    (ShortReason.OTHER, "Other"),
)


class ShortPickPanel(QFrame):
    """`confirmed(lines, reason, note)` when the associate confirms; `closed()` on Cancel / Found it."""

    confirmed = Signal(list, str, str)
    closed = Signal()

    def __init__(self, ops: OpRunner, services: PickServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        self._ops, self._services = ops, services
        self._lines_for: Callable[[int], Sequence[ShortLine]] = lambda _n: []
        self.task: PickTask | None = None
        self.most = 1
        self.qty = 1
        self.preview: ShortPickPreview | None = None
        self._asked = 0

        self.title = text_label("", "subtitle")
        self.look = text_label("", "hint")
        self.found_button = touch_size(QPushButton("Found it: back to scanning"), width=260)
        self.found_button.clicked.connect(self.closed)
        self.minus = touch_size(QPushButton("−"), width=64)
        self.plus = touch_size(QPushButton("+"), width=64)
        self.count = text_label("", "subtitle")
        self.minus.clicked.connect(lambda: self.set_qty(self.qty - 1))
        self.plus.clicked.connect(lambda: self.set_qty(self.qty + 1))
        self.reason_group = QButtonGroup(self)
        self.reason_buttons: dict[ShortReason, QPushButton] = {}
        reasons = QHBoxLayout()
        reasons.setSpacing(SPACING)
        for reason, text in REASONS:
            button = ChoiceButton(text)
            button.clicked.connect(lambda _=False, r=reason: self.choose_reason(r))
            self.reason_group.addButton(button)
            self.reason_buttons[reason] = button
            reasons.addWidget(button)
        reasons.addStretch(1)
        self.note = QLineEdit()
        self.note.setPlaceholderText("What happened? (needed for Other)")
        self.note.textChanged.connect(lambda _t: self._update_confirm())
        self.effects = text_label("Choose a reason to see what this does.", "hint")
        self.message = text_label("", "error")
        self.cancel_button = touch_size(QPushButton("Cancel"), width=140)
        self.cancel_button.clicked.connect(self.closed)
        self.confirm_button = touch_size(QPushButton("Confirm short pick"), width=240)
        self.confirm_button.setProperty("kind", "primary")
        self.confirm_button.clicked.connect(self._confirm)

        stepper = QHBoxLayout()
        stepper.setSpacing(SPACING)
        stepper.addWidget(text_label("Units short:"))
        stepper.addWidget(self.minus)
        stepper.addWidget(self.count)
        stepper.addWidget(self.plus)
        stepper.addStretch(1)
        look_row = QHBoxLayout()
        look_row.addWidget(self.look, 1)
        look_row.addWidget(self.found_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.confirm_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(14)
        layout.addWidget(self.title)
        layout.addLayout(look_row)
        layout.addLayout(stepper)
        layout.addLayout(reasons)
        layout.addWidget(self.note)
        layout.addWidget(text_label("What this does", "subtitle"))
        layout.addWidget(self.effects)
        layout.addStretch(1)
        layout.addLayout(buttons)

    def open(self, task: PickTask, remaining: int, lines_for: Callable[[int], Sequence[ShortLine]]) -> None:
        """Start over for `task`: all its remaining units short, no reason chosen yet."""
        self.task, self.most, self._lines_for = task, remaining, lines_for
        self.title.setText(f"Short pick: {task.name} ({task.sku}) · bin {task.shelf.label}")
        self.look.setText("Looking for other bins with this item…")
        self.found_button.hide()
        self.reason_group.setExclusive(False)
        for button in self.reason_buttons.values():
            button.setChecked(False)
        self.reason_group.setExclusive(True)
        self.note.clear()
        self.note.hide()
        self.message.setText("")
        self.qty = remaining
        self.set_qty(remaining)

    @property
    def reason(self) -> ShortReason | None:
        return next((r for r, b in self.reason_buttons.items() if b.isChecked()), None)

    def set_qty(self, qty: int) -> None:
        self.qty = max(1, min(self.most, qty))
        self.count.setText(f"{self.qty} of {self.most}")
        self.minus.setEnabled(self.qty > 1)
        self.plus.setEnabled(self.qty < self.most)
        self._ask_preview()

    def choose_reason(self, reason: ShortReason) -> None:
        self.reason_buttons[reason].setChecked(True)
        self.note.setVisible(reason is ShortReason.OTHER)
        self._ask_preview()

    def _ask_preview(self) -> None:
        """Preview with the chosen reason (or "other" just to learn the other bins before one is chosen)."""
        self._asked += 1
        asked, self.preview = self._asked, None
        self._update_confirm()
        lines = list(self._lines_for(self.qty))
        if not lines:
            return
        reason = self.reason or ShortReason.OTHER

        def show(preview: ShortPickPreview) -> None:
            if asked != self._asked:
                return
            self._show_bins(preview)
            if self.reason is not None:
                self.preview = preview
                self.effects.setText("\n".join(f"• {e}" for e in preview.effects))
                self.effects.setProperty("kind", "")
                repolish(self.effects)
            self._update_confirm()

        def failed(exc: BaseException) -> None:
            if asked == self._asked:
                self.message.setText(person_message(exc))

        self._ops.run(
            self._services.preview_short(lines, reason), if_alive(self, show), if_alive(self, failed)
        )

    def _show_bins(self, preview: ShortPickPreview) -> None:
        if preview.other_bins:
            where = ", ".join(f"bin {b.shelf.label} ({b.qty} counted there)" for b in preview.other_bins[:3])
            self.look.setText(f"Look here first: {where}.")
            self.look.setProperty("kind", "warn")
            self.found_button.show()
        else:
            self.look.setText("No other bin in this store was counted with this item.")
            self.look.setProperty("kind", "hint")
            self.found_button.hide()
        repolish(self.look)

    def _update_confirm(self) -> None:
        ready = self.preview is not None and self.reason is not None
        if self.reason is ShortReason.OTHER and not self.note.text().strip():
            ready = False
        self.confirm_button.setEnabled(ready)
        if self.reason is None:
            self.effects.setText("Choose a reason to see what this does.")
        repolish(self.confirm_button)

    def _confirm(self) -> None:
        if self.preview is not None and self.reason is not None:
            self.confirm_button.setEnabled(False)
            self.confirmed.emit(list(self.preview.lines), self.reason.value, self.note.text().strip())
