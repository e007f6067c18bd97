"""The side panel of the queue: "Why this store?" for the chosen order, then its items and bins.

The routing reason comes from the hub with the assignment (or from the stored decision when this
database routed the order itself) and is shown as the plain sentences it is written in, one per
line, so an associate can answer a customer's "why is my order coming from you?" without jargon.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from core.domain.picking import FulfilmentDetail
from ui.touch import kinetic


def _label(text: str, kind: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    if kind:
        label.setProperty("kind", kind)
    return label


class WhyPanel(QScrollArea):
    """Shows one `FulfilmentDetail`; `show_message` for "choose an order" or an error."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("WhyPanel")
        self.setWidgetResizable(True)
        self.setMinimumWidth(340)
        self.detail: FulfilmentDetail | None = None
        self.why_labels: list[QLabel] = []
        self.show_message("Tap an order to see its items and why it came to this store.")
        kinetic(self)

    def _fresh(self) -> QVBoxLayout:
        body = QFrame()
        body.setObjectName("Card")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(10)
        self.setWidget(body)
        return layout

    def show_message(self, text: str) -> None:
        self.detail = None
        self.why_labels = []
        layout = self._fresh()
        layout.addWidget(_label(text, "hint"))
        layout.addStretch(1)

    def show_detail(self, detail: FulfilmentDetail) -> None:
        self.detail = detail
        row = detail.row
        layout = self._fresh()
        layout.addWidget(_label(f"Order {row.order_id}", "subtitle"))
        method = "pickup in store" if row.method == "pickup" else "ship to the customer"
        layout.addWidget(_label(f"{row.customer} · {method}", "hint"))
        layout.addSpacing(4)
        layout.addWidget(_label("Why this store?", "subtitle"))
        self.why_labels = [_label(sentence) for sentence in detail.why]
        for label in self.why_labels:
            layout.addWidget(label)
        for note in detail.rerouted:
            layout.addWidget(_label("↪ " + note, "warn"))
        layout.addSpacing(4)
        layout.addWidget(_label("Items", "subtitle"))
        for line in detail.lines:
            left = line.qty - line.rejected
            where = f"Bin {line.shelf.label}" + (
                f" (zone {line.shelf.zone}, aisle {line.shelf.aisle})" if line.shelf.zone else ""
            )
            what = f"{left} × {line.name}" if left else f"{line.name}: nothing left to pick here"
            text = f"{what}\n{where} · {line.sku}" + ("" if line.barcodes else " · no barcode")
            if line.rejected:
                text += f"\n{line.rejected} not picked here ({line.rejection_reason or 'rejected'})"
            layout.addWidget(_label(text))
        layout.addStretch(1)

    @property
    def why_text(self) -> str:
        return " ".join(label.text() for label in self.why_labels)
