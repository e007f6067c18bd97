"""A recorded return: what happened to the money and the units, the receipt, Print and Save PDF.

The preview is the receipt's own painting (`ui.return_receipt`), made on the background thread, so
what the associate sees is what the customer takes home.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from core.domain.return_desk import ReturnReceipt
from ui.return_words import condition_text, goes_to, money, tender_text
from ui.screens.returns_parts import words
from ui.touch import SPACING, button_row, paper_preview, touch_size

PREVIEW_WIDTH = 360


def unit_lines(receipt: ReturnReceipt) -> str:
    """Where each line's units went, in words (an inspection names its task)."""
    out = []
    for line in receipt.lines:
        task = f" (inspection task {line.task_id})" if line.task_id else ""
        out.append(
            f"• {line.qty} × {line.name}: {condition_text(line.condition)}, {goes_to(line.disposition)}{task}"
        )
    return "\n".join(out)


class DonePage(QWidget):
    print_receipt = Signal()
    save_pdf = Signal()
    next_return = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.receipt: ReturnReceipt | None = None
        self.title = words("", "title")
        self.refund = words("", "subtitle")
        self.units = words("")
        self.print_button = touch_size(QPushButton("Print"), width=140)
        self.save_button = touch_size(QPushButton("Save PDF"), width=150)
        self.next_button = touch_size(QPushButton("Next return"), width=180)
        self.next_button.setProperty("kind", "primary")
        actions = button_row(
            [
                (self.print_button, self.print_receipt),
                (self.save_button, self.save_pdf),
                (self.next_button, self.next_return),
            ]
        )
        left = QVBoxLayout()
        left.setSpacing(SPACING)
        left.addWidget(self.title)
        left.addWidget(self.refund)
        left.addWidget(self.units)
        left.addStretch(1)
        left.addLayout(actions)
        self.preview = paper_preview("Receipt preview…", "Return receipt preview", PREVIEW_WIDTH, 792 / 612)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACING * 2)
        layout.addLayout(left, 1)
        layout.addWidget(self.preview, 0, Qt.AlignmentFlag.AlignTop)

    def show_receipt(self, receipt: ReturnReceipt) -> None:
        self.receipt = receipt
        self.title.setText(f"Return {receipt.return_id} recorded")
        self.refund.setText(f"{money(receipt.total)} · {tender_text(receipt.refund_method, receipt.tender)}")
        self.units.setText(unit_lines(receipt))
        self.preview.setPixmap(QPixmap())
        self.preview.setText("Receipt preview…")

    def set_preview(self, image: QImage) -> None:
        self.preview.setPixmap(QPixmap.fromImage(image))
