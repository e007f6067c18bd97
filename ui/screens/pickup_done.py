"""The end of a visit: what left with the customer, what was refunded or kept, and what to put back."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from core.domain.pickup_desk import HandoverResult
from ui.touch import SPACING, primary_button


def result_lines(result: HandoverResult, collector: str, names: Mapping[str, str]) -> list[str]:
    """The visit in sentences, each a separate line on the card; `names` gives products' names by SKU."""

    def _units(counts: dict[str, int]) -> str:
        return ", ".join(f"{qty} × {names.get(sku, sku)}" for sku, qty in sorted(counts.items()))

    who = f" by {collector}" if collector else ""
    head = "collected" if result.state == "collected" else "part collected: the rest is kept on the shelf"
    lines = [f"Order {result.order_id} {head}{who}."]
    if result.handed_over:
        lines.append(f"Handed over: {_units(result.handed_over)}.")
    if result.refunded:
        lines.append(f"Refunded to the original payment: {_units(result.refunded)} (${result.refund_total}).")
    if result.kept:
        lines.append(f"Kept for a later visit: {_units(result.kept)}. Verify again when they come back.")
    if result.restock_tasks:
        tasks = ", ".join(f"TASK:{t}" for t in result.restock_tasks)
        lines.append(f"Put the declined units back: restock {tasks} (Restock tasks on the Pickup page).")
    return lines


class DonePanel(QWidget):
    """Emits `next_customer()`."""

    next_customer = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        card = QFrame()
        card.setObjectName("Card")
        self.box = QVBoxLayout(card)
        self.box.setContentsMargins(24, 18, 24, 18)
        self.box.setSpacing(SPACING)
        self.title = QLabel("✔ Handed over")
        self.title.setProperty("kind", "ok")
        self.text = QLabel("")
        self.text.setWordWrap(True)
        self.box.addWidget(self.title)
        self.box.addWidget(self.text)
        self.button = primary_button("Next customer", self.next_customer.emit, width=220)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACING)
        layout.addWidget(card)
        layout.addStretch(1)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignRight)

    def show_result(self, result: HandoverResult, collector: str, names: Mapping[str, str]) -> None:
        self.title.setText("✔ Collected" if result.state == "collected" else "✔ Part collected")
        self.text.setText("\n".join(result_lines(result, collector, names)))
