"""The live refund quote beside the lines: what each line refunds, the totals, where the money goes.

It shows exactly the `ReturnQuote` the service computed (the same function records the return),
so the figure the customer is told is the figure recorded. Confirm is enabled only while the quote
on screen is the one for the current choices; any refusal is shown here, in words, in red.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QPushButton, QVBoxLayout, QWidget

from core.domain.returns import ReturnQuote
from ui.return_words import goes_to, money, tender_text
from ui.screens.returns_parts import empty, words
from ui.theme import repolish
from ui.touch import touch_size


def quote_rows(quote: ReturnQuote) -> list[tuple[str, str, str]]:
    """(words, amount, style) rows: each line with its deductions, then the totals."""
    rows: list[tuple[str, str, str]] = []
    for line in quote.lines:
        rows.append((f"{line.qty} × {line.name}", money(line.gross), ""))
        if line.discount:
            rows.append(("   order discount share", money(-line.discount), "hint"))
        if line.fee:
            rows.append(("   restocking fee", money(-line.fee), "hint"))
        if line.disposition:
            rows.append((f"   → {goes_to(line.disposition)}", "", "hint"))
    if quote.shipping:
        rows.append(("Shipping refunded", money(quote.shipping), ""))
    rows.append(("Total refund", money(quote.total), "subtitle"))
    return rows


class QuotePanel(QFrame):
    """Emits `confirm()` when the button is pressed with a quote on screen."""

    confirm = Signal()

    def __init__(self, button_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        self.quote: ReturnQuote | None = None
        self.heading = words("Refund", "subtitle")
        self.body = QWidget()
        self.body.setObjectName("LineWords")
        self.grid = QGridLayout(self.body)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setVerticalSpacing(4)
        self.tender = words("", "hint")
        self.message = words("Choose what comes back: units, a reason and a condition.", "hint")
        self.confirm_button = touch_size(QPushButton(button_text), width=300)
        self.confirm_button.setProperty("kind", "primary")
        self.confirm_button.setEnabled(False)
        self.confirm_button.clicked.connect(self.confirm)
        self.extra = QVBoxLayout()  # the receipt-less page puts the manager's approval here
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(10)
        layout.addWidget(self.heading)
        layout.addWidget(self.body)
        layout.addWidget(self.tender)
        layout.addStretch(1)
        layout.addWidget(self.message)
        layout.addLayout(self.extra)
        layout.addWidget(self.confirm_button)
        self.setFixedWidth(360)

    def show_quote(self, quote: ReturnQuote | None, *, confirm_text: str = "") -> None:
        """A fresh quote (or none: the choices are incomplete); the message line is cleared."""
        self.quote = quote
        empty(self.grid)
        if quote is not None:
            for i, (text, amount, kind) in enumerate(quote_rows(quote)):
                self.grid.addWidget(words(text, kind), i, 0)
                value = words(amount, kind)
                value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.grid.addWidget(value, i, 1)
            self.grid.setColumnStretch(0, 1)
            credit = quote.tender == "store credit"
            how = (
                "Issued at the till."
                if credit
                else "Recorded here; the till or payment provider pays it out."
            )
            where = tender_text("store_credit" if credit else "original_tender", quote.tender)
            self.tender.setText(f"{where}. {how}")
            if confirm_text:
                self.confirm_button.setText(confirm_text)
        else:
            self.tender.setText("")
        self.confirm_button.setEnabled(quote is not None and bool(quote.lines))

    def say(self, text: str, kind: str = "hint") -> None:
        self.message.setText(text)
        self.message.setProperty("kind", kind)
        repolish(self.message)

    def hold(self) -> None:
        """While a confirmation is being recorded: no second press."""
        self.confirm_button.setEnabled(False)
