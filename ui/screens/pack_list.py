"""The Pack list: picked orders waiting at the bench, the most urgent promise first.

Big tiles rather than a table: an associate with a parcel in one hand taps one with a thumb, or
scans the order number on the pick slip instead. A store has tens of these at a time, not
thousands, so the tiles are plain widgets in a kinetic scroll area, rebuilt when the list changes.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from core.domain.packing import PackCard
from ui.touch import SPACING, kinetic


def due_text(moment: datetime | None) -> str:
    return f"due {moment.astimezone().strftime('%a %d %b %H:%M')}" if moment else "no promise date"


def tile_text(card: PackCard) -> str:
    method = (
        "Pickup"
        if card.delivery_method == "pickup"
        else " ".join(part for part in ("Ship", card.carrier, card.service) if part)
    )
    items = f"{card.units} item{'s' if card.units != 1 else ''}"
    step = "Packed: print and hand over" if card.state == "packed" else "Picked: check and pack"
    return (
        f"{card.order_id} · {card.customer_name}\n{method} · {items} · {due_text(card.promise_by)} · {step}"
    )


class PackList(QWidget):
    """Emits `chosen(fulfilment_id)` when a tile is tapped."""

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cards: list[PackCard] = []
        self.tiles: dict[str, QPushButton] = {}
        heading = QLabel("Pack")
        heading.setProperty("kind", "title")
        self.summary = QLabel("Looking for picked orders…")
        self.summary.setProperty("kind", "hint")
        self.body = QWidget()
        self.rows = QVBoxLayout(self.body)
        self.rows.setContentsMargins(0, 0, 0, 0)
        self.rows.setSpacing(SPACING)
        self.rows.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.body)
        kinetic(self.scroll)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACING)
        layout.addWidget(heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.scroll, 1)

    def show_cards(self, cards: list[PackCard]) -> None:
        self.cards = cards
        for tile in self.tiles.values():
            tile.deleteLater()
        self.tiles = {}
        for i, card in enumerate(cards):
            tile = QPushButton(tile_text(card))
            tile.setObjectName("WorkTile")
            tile.setAccessibleName(f"Pack order {card.order_id} for {card.customer_name}")
            tile.setCursor(Qt.CursorShape.PointingHandCursor)
            tile.clicked.connect(lambda _=False, fid=card.fulfilment_id: self.chosen.emit(fid))
            self.rows.insertWidget(i, tile)
            self.tiles[card.fulfilment_id] = tile
        if not cards:
            self.summary.setText("Nothing to pack. Orders appear here once they are picked.")
        else:
            count = len(cards)
            self.summary.setText(
                f"{count} order{'s' if count != 1 else ''} ready at the bench. "
                "Tap one, or scan its order number."
            )

    def find(self, code: str) -> PackCard | None:
        """The card whose order or fulfilment number was scanned."""
        wanted = code.strip().upper()
        return next((c for c in self.cards if wanted in (c.order_id.upper(), c.fulfilment_id.upper())), None)
