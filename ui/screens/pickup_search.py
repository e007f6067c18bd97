"""The pickup counter's first page: what waits on the shelves, and a search box that answers as
you type.

Typing is debounced (250 ms after the last key) and each search runs on the database thread as an
operation; an answer that arrives after a newer query is dropped by generation number, so the
list never jumps back to an older search. Tiles are big buttons (a customer stands at the
counter; the associate taps with a thumb), rebuilt per answer: a search returns at most 20.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from core.domain.pickup_desk import PickupCard
from ui.tile_list import TileList
from ui.touch import SPACING, touch_size

DEBOUNCE_MS = 250


def day_text(moment: datetime) -> str:
    return moment.astimezone().strftime("%a %d %b")


def tile_text(card: PickupCard) -> str:
    items = f"{card.units} item{'s' if card.units != 1 else ''}"
    bags = f"{card.bags} bag{'s' if card.bags != 1 else ''}"
    state = {"held": "Part collected: rest kept", "ready": "Ready"}.get(card.state, card.state.capitalize())
    if card.locked:
        state = "Locked: a manager must unlock"
    proxy = f" · may be collected by {card.proxy_name}" if card.proxy_name else ""
    return (
        f"{card.order_id} · {card.customer_name}{proxy}\n"
        f"Shelf {card.shelf} · {items} · {bags} · {state} · keep until {day_text(card.claim_by)}"
    )


class PickupSearch(QWidget):
    """Emits `query(text)` after a pause in typing, `chosen(pickup_id)` on a tap, `restock()`, `settings()`."""

    query = Signal(str)
    chosen = Signal(str)
    restock = Signal()
    settings = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cards: list[PickupCard] = []
        self.tiles: dict[str, QPushButton] = {}
        heading = QLabel("Pickup")
        heading.setProperty("kind", "title")
        self.restock_button = touch_size(QPushButton("Restock tasks"), width=200)
        self.restock_button.clicked.connect(self.restock)
        self.settings_button = touch_size(QPushButton("Pickup settings"), width=180)
        self.settings_button.clicked.connect(self.settings)
        self.settings_button.hide()  # managers only (`show_manager_tools`)
        top = QHBoxLayout()
        top.setSpacing(SPACING)
        top.addWidget(heading, 1)
        top.addWidget(self.settings_button)
        top.addWidget(self.restock_button)
        self.field = QLineEdit()
        self.field.setPlaceholderText(
            "Scan the customer's QR code, or type an order number, name, phone or e-mail"
        )
        self.field.setClearButtonEnabled(True)
        self.field.setMinimumHeight(56)
        self.field.setAccessibleName("Find a pickup")
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(lambda: self.query.emit(self.field.text().strip()))
        self.field.textChanged.connect(lambda _text: self.timer.start())
        self.list = TileList("Looking for orders waiting to be collected…")
        self.summary = self.list.summary
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACING)
        layout.addLayout(top)
        layout.addWidget(self.field)
        layout.addWidget(self.list, 1)

    def show_manager_tools(self, manager: bool) -> None:
        self.settings_button.setVisible(manager)

    def set_restock_count(self, count: int) -> None:
        self.restock_button.setText(f"Restock tasks ({count})" if count else "Restock tasks")

    def show_cards(self, cards: list[PickupCard], summary: str) -> None:
        self.cards = cards
        self.tiles = {}
        for card in cards:
            tile = QPushButton(tile_text(card))
            tile.setObjectName("WorkTile")
            tile.setAccessibleName(f"Pickup order {card.order_id} for {card.customer_name}")
            tile.setCursor(Qt.CursorShape.PointingHandCursor)
            tile.clicked.connect(lambda _=False, pid=card.pickup_id: self.chosen.emit(pid))
            self.tiles[card.pickup_id] = tile
        self.list.set_tiles(list(self.tiles.items()), summary)
