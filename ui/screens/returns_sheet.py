"""A return being put together: the lines (units, reason, condition) on the left, the refund on the right.

The same sheet serves an order's return and a return without a receipt (which adds the manager's
approval under the quote). It only shows and collects; the screen asks for quotes and records.
Every change of a line emits `choices_changed`; the screen waits for a pause, then asks the
service for a new quote.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from core.domain.return_desk import ReceiptlessItem, ReturnableLine
from core.domain.returns import ReturnRequest
from ui.screens.returns_line import ReturnLineRow
from ui.screens.returns_parts import BackHeading, refill, scroll_list, words
from ui.screens.returns_quote import QuotePanel
from ui.touch import SPACING


class ReturnSheet(QWidget):
    back = Signal()
    choices_changed = Signal()

    def __init__(self, back_text: str, confirm_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[ReturnLineRow] = []
        self._waiting: list[ReturnableLine] = []  # lines whose rows are still to be built
        top = BackHeading(back_text)
        self.back_button, self.title, self.subtitle = top.back_button, top.title, top.subtitle
        self.back_button.clicked.connect(self.back)
        scroll, self.list = scroll_list()
        self.quote = QuotePanel(confirm_text)
        middle = QHBoxLayout()
        middle.setSpacing(SPACING * 2)
        middle.addWidget(scroll, 1)
        middle.addWidget(self.quote)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACING)
        layout.addLayout(top)
        layout.addLayout(middle, 1)

    def clear_rows(self) -> None:
        self._waiting = []
        refill(self.list)
        self.rows = []
        self.quote.show_quote(None)

    def add_row(self, row: ReturnLineRow) -> ReturnLineRow:
        row.changed.connect(self.choices_changed)
        self.list.insertWidget(len(self.rows), row)
        self.rows.append(row)
        return row

    def show_order_lines(self, lines: Sequence[ReturnableLine]) -> None:
        """An order's lines, each with what may still come back and why not; one row per turn of the
        event loop (a row with its lists costs ~10 ms to style), so a long order never stalls the UI."""
        self.clear_rows()
        self._waiting = list(lines)
        QTimer.singleShot(0, self._next_row)

    @property
    def building(self) -> bool:
        return bool(self._waiting)

    def _next_row(self) -> None:
        if not self._waiting:
            return
        line = self._waiting.pop(0)
        row = ReturnLineRow(
            str(line.line_no), line.name, f"Line {line.line_no} · {line.sku}", line.unit_price
        )
        counted = f"{line.returnable} of {line.held} returnable" + (
            f" ({line.returned} returned before)" if line.returned else ""
        )
        row.set_limit(line.returnable, line.why_not, counted=counted)
        self.add_row(row)
        if self._waiting:
            QTimer.singleShot(0, self._next_row)
        else:
            self.quote.say(self.missing())
            self.choices_changed.emit()  # all rows are in: the panel says what to do next

    def row(self, key: str) -> ReturnLineRow | None:
        return next((r for r in self.rows if r.key == key), None)

    def chosen(self) -> list[ReturnLineRow]:
        return [r for r in self.rows if r.qty > 0]

    def missing(self) -> str:
        """What to choose before a quote can be asked ("" when the choices are complete)."""
        if self.rows and not self.building and not any(r.most for r in self.rows):
            return "Nothing on this order can come back: each line says why."
        if not self.chosen():
            return "Choose what comes back: units, a reason and a condition."
        return next((gap for gap in (r.missing() for r in self.rows) if gap), "")

    def order_requests(self) -> list[ReturnRequest]:
        """The chosen lines of an order (rows keyed by line number), as the services take them."""
        return [
            ReturnRequest(int(r.key), r.qty, r.chosen_reason, r.chosen_condition)  # type: ignore[arg-type]
            for r in self.chosen()
        ]

    def receiptless_items(self) -> list[ReceiptlessItem]:
        """The chosen items of a return without a receipt (rows keyed by SKU)."""
        return [
            ReceiptlessItem(r.key, r.qty, r.chosen_reason, r.chosen_condition)  # type: ignore[arg-type]
            for r in self.chosen()
        ]


class ManagerApproval(QWidget):
    """The manager's id and PIN, typed by the manager at the counter (never stored on screen)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("LineWords")
        self.manager = QLineEdit()
        self.manager.setPlaceholderText("Manager id")
        self.manager.setMaxLength(32)
        self.pin = QLineEdit()
        self.pin.setPlaceholderText("Manager PIN")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(12)
        fields = QHBoxLayout()
        fields.setSpacing(SPACING)
        fields.addWidget(self.manager, 1)
        fields.addWidget(self.pin, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(words("Manager approval", "subtitle"))
        layout.addLayout(fields)

    def values(self) -> tuple[str, str]:
        return self.manager.text().strip(), self.pin.text()

    def clear(self) -> None:
        self.manager.clear()
        self.pin.clear()
