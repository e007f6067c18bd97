"""Finding the order a customer brings back: scan the receipt or packing slip, or search as you type.

The scan is handled by the screen (it can arrive with any widget focused); this page holds the
search box, which asks the database after a pause in typing, and the orders found as big tiles.
Typing searches this store's database; a scanned or entered code (Enter) that is not there is asked
of the hub by the screen, so an order from any channel or store can come back here. The way to a
return without a receipt and to the inspection list starts here.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QWidget

from core.domain.return_desk import OrderHit
from ui.return_words import money
from ui.screens.returns_parts import column, refill, scroll_list, words
from ui.theme import repolish
from ui.touch import SPACING, touch_size

SEARCH_PAUSE_MS = 250


def hit_text(hit: OrderHit) -> str:
    placed = hit.placed_at.astimezone().strftime("%a %d %b %Y")
    return f"{hit.order_id} · {hit.customer_name}\n{hit.channel.capitalize()} order · placed {placed} · {money(hit.total)}"


class FindPage(QWidget):
    """`search(text)` after a pause in typing, `submitted(text)` on Enter (a code, looked up like a
    scan); `chosen(order id)` when a tile is tapped."""

    search = Signal(str)
    submitted = Signal(str)
    chosen = Signal(str)
    no_receipt = Signal()
    inspections = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hits: list[OrderHit] = []
        self.tiles: dict[str, QPushButton] = {}
        heading = words("Returns", "title")
        self.no_receipt_button = touch_size(QPushButton("No receipt"), width=170)
        self.no_receipt_button.clicked.connect(self.no_receipt)
        self.inspections_button = touch_size(QPushButton("Inspections"), width=190)
        self.inspections_button.clicked.connect(self.inspections)
        top = QHBoxLayout()
        top.setSpacing(SPACING)
        top.addWidget(heading, 1)
        top.addWidget(self.no_receipt_button)
        top.addWidget(self.inspections_button)
        self.field = QLineEdit()
        self.field.setPlaceholderText(
            "Scan the receipt or packing slip, or type an order number, name, e-mail or phone"
        )
        self.field.setClearButtonEnabled(True)
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(SEARCH_PAUSE_MS)
        self._pause.timeout.connect(self._search_now)
        self.field.textChanged.connect(lambda _t: self._pause.start())
        self.field.returnPressed.connect(self._submit)
        self.summary = words("Scan the barcode on the customer's receipt or packing slip.", "hint")
        scroll, self.rows = scroll_list()
        column(self, top, self.field, self.summary, scroll)

    def _submit(self) -> None:
        text = self.field.text().strip()
        if len(text) >= 2:
            self._pause.stop()
            self.submitted.emit(text)

    def _search_now(self) -> None:
        text = self.field.text().strip()
        if len(text) >= 2:
            self.summary.setText(f"Looking for “{text}”…")
            self.search.emit(text)
        elif not text:
            self.show_hits([], "")

    def show_hits(self, hits: list[OrderHit], asked: str) -> None:
        self.hits = hits
        refill(self.rows)
        self.tiles = {}
        for i, hit in enumerate(hits):
            tile = QPushButton(hit_text(hit))
            tile.setObjectName("WorkTile")
            tile.setAccessibleName(f"Return from order {hit.order_id} for {hit.customer_name}")
            tile.setCursor(Qt.CursorShape.PointingHandCursor)
            tile.clicked.connect(lambda _=False, oid=hit.order_id: self.chosen.emit(oid))
            self.rows.insertWidget(i, tile)
            self.tiles[hit.order_id] = tile
        if not asked:
            self.summary.setText("Scan the barcode on the customer's receipt or packing slip.")
        elif not hits:
            self.summary.setText(f"No order matches “{asked}”. Check the spelling, or try the phone number.")
        else:
            count = len(hits)
            self.summary.setText(
                f"{count} order{'s' if count != 1 else ''} for “{asked}”. Tap the customer's."
            )
        self.summary.setProperty("kind", "warn" if asked and not hits else "hint")
        repolish(self.summary)

    def set_inspections(self, waiting: int) -> None:
        self.inspections_button.setText(f"Inspections ({waiting})" if waiting else "Inspections")
