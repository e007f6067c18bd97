"""Counting a product's shelves from the Inventory screen: the count, what it will record, Save.

The card starts at what the shelves should hold (the books less units already picked, packed or
bagged for a pickup), so an associate who finds that many just taps Save and nothing is recorded.
Stepping the count shows at once what saving will write ("2 fewer than expected: saving records
−2"). While the product is being picked the card says to count after the walk and cannot save.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QPushButton

from core.domain.stock_lookup import ShelfCount
from ui.stepper import Stepper
from ui.touch import Card, row_of, text_label, touch_size

MOST = 99_999  # a shelf count; the service takes up to a million from other callers


def preview_words(shelves: ShelfCount, counted: int) -> str:
    difference = shelves.variance(counted)
    if difference == 0:
        return "Matches what the shelves should hold: saving records nothing."
    side = "fewer" if difference < 0 else "more"
    return f"{abs(difference)} {side} than expected: saving records {difference:+d} on the books."


class ShelfCountCard(Card):
    """Emits `save(counted, expected)`; the screen records it and shows the stock read again."""

    save = Signal(int, int)

    def __init__(self) -> None:
        super().__init__(6)
        self.shelves: ShelfCount | None = None
        column = self.column
        self.expected = text_label("", "hint")
        self.stepper = Stepper("unit counted")
        self.stepper.changed.connect(lambda _value: self._preview())
        self.save_button = touch_size(QPushButton("Save count"), width=160)
        self.save_button.clicked.connect(self._save)
        row = row_of(QLabel("Counted:"), self.stepper, self.save_button)
        self.preview = text_label("")
        column.addWidget(text_label("Count the shelves", "subtitle"))
        column.addWidget(self.expected)
        column.addLayout(row)
        column.addWidget(self.preview)

    def show_shelves(self, shelves: ShelfCount, *, can_save: bool) -> None:
        self.shelves = shelves
        self.stepper.set_range(0, max(MOST, shelves.expected))
        self.stepper.set_value(max(shelves.expected, 0))
        off = f" − {shelves.off_shelf} picked, packed or bagged for orders" if shelves.off_shelf else ""
        self.expected.setText(
            f"The shelves should hold {shelves.expected} ({shelves.on_books} on the books{off})."
        )
        if shelves.being_picked:
            self.preview.setText(f"Being picked for {', '.join(shelves.being_picked)}: count after the walk.")
        else:
            self._preview()
        self.stepper.setEnabled(can_save and not shelves.being_picked)
        self.save_button.setEnabled(can_save and not shelves.being_picked)

    def _preview(self) -> None:
        if self.shelves is not None:
            self.preview.setText(preview_words(self.shelves, self.stepper.value))

    def _save(self) -> None:
        if self.shelves is not None:
            self.save_button.setEnabled(False)  # until the answer: one tap, one count
            self.save.emit(self.stepper.value, self.shelves.expected)
