"""Inventory: scan or type a product, see what this store holds of it, where, and who nearby has it.

The associate at the shelf with a customer asks "do we have it?", "where is it?" and, when the
answer is none, "where can they get it?". This store's numbers come from the tablet's own
database (so they answer offline too) and read like the shelf: on the shelves, held for orders,
kept back as safety stock, damaged, in quarantine, on the way, and what that leaves to promise.
The home bin and the other bins where units were counted answer "where"; the last movements
explain a number that looks wrong. Other locations come from the hub, nearest with stock first;
when the hub cannot be reached the list says so and the rest of the page stands.

Typing is debounced (250 ms) and every answer carries the generation of the question it answers,
so a slow answer never replaces a newer one. A scan searches at once, and a barcode or SKU that
names one product opens it.
"""

from __future__ import annotations

import asyncio

import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from core.domain.associates import SignedIn
from core.domain.stock_lookup import MovementLine, NearbyStock, ProductHit, StoreStock
from ui.inventory_ports import InventoryServices
from ui.ops import OpRunner, person_message
from ui.return_words import money
from ui.scan_panel import ScanAnswer, ScanBanner
from ui.screens.inventory_count import ShelfCountCard
from ui.sounds import ScanSounds
from ui.tile_list import TileList
from ui.touch import SPACING, card, kinetic, text_label

DEBOUNCE_MS = 250
NEARBY_SHOWN = 8
BUCKETS = (  # (field, words on screen)
    ("sellable", "On the shelves"),
    ("reserved", "Held for orders"),
    ("safety_stock", "Safety stock"),
    ("damaged", "Damaged"),
    ("quarantine", "In quarantine"),
    ("in_transit", "On the way"),
)


def units(n: int) -> str:
    return f"{n} unit{'s' if abs(n) != 1 else ''}"


def movement_text(line: MovementLine) -> str:
    when = line.occurred_at.astimezone().strftime("%a %d %b %H:%M")
    ref = f" · {line.reference}" if line.reference else ""
    return f"{when} · {line.reason.replace('_', ' ')} · {line.qty:+d} {line.bucket}{ref}"


def nearby_text(line: NearbyStock) -> str:
    where = f"{line.distance_km:,.0f} km away" if line.distance_km is not None else "distance unknown"
    stock = f"{line.atp} to promise" if line.atp > 0 else "none to promise"
    return f"{line.name} ({line.location}) · {where} · {stock}"


def kinetic_panel(panel: QWidget) -> QScrollArea:
    """The stock panel in a flickable area: the movements and nearby lists can outgrow the screen."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(panel)
    kinetic(area)
    return area


class StockPanel(QWidget):
    """One product at this store; the nearby list is filled in when the hub answers."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stock: StoreStock | None = None
        self.can_count = False  # someone is signed in to name on the count
        self.title = text_label("Scan a product or search for it to see its stock.", "subtitle")
        self.detail = text_label("", "hint")
        self.promise = text_label("", "title")
        self.sum = text_label("", "hint")
        self.counts: dict[str, tuple[QWidget, QWidget]] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(SPACING * 2)
        grid.setVerticalSpacing(4)
        for i, (field, words) in enumerate(BUCKETS):
            name, count = text_label(words), text_label("", "code")
            count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(name, i // 2, (i % 2) * 2)
            grid.addWidget(count, i // 2, (i % 2) * 2 + 1)
            self.counts[field] = (name, count)
        self.summary_card, summary = card(6)
        summary.addWidget(self.title)
        summary.addWidget(self.detail)
        summary.addWidget(self.promise)
        summary.addWidget(self.sum)
        summary.addLayout(grid)
        self.where_card, where = card(6)
        where.addWidget(text_label("Where in this store", "subtitle"))
        self.where = text_label("")
        where.addWidget(self.where)
        self.nearby_card, nearby = card(6)
        nearby.addWidget(text_label("Other locations", "subtitle"))
        self.nearby = text_label("")
        nearby.addWidget(self.nearby)
        self.count_card = ShelfCountCard()
        self.moves_card, moves = card(6)
        moves.addWidget(text_label("Latest movements here", "subtitle"))
        self.moves = text_label("")
        moves.addWidget(self.moves)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 8, 0)
        layout.setSpacing(SPACING)
        # At least as tall as the cards' text: the scroll area scrolls instead of squeezing them
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        for panel in (self.summary_card, self.where_card, self.nearby_card, self.count_card, self.moves_card):
            layout.addWidget(panel)
        layout.addStretch(1)
        self.show_stock(None)

    def show_stock(self, stock: StoreStock | None) -> None:
        self.stock = stock
        for panel in (self.where_card, self.count_card, self.nearby_card, self.moves_card):
            panel.setVisible(stock is not None)
        self.promise.setVisible(stock is not None)
        if stock is None:
            self.title.setText("Scan a product or search for it to see its stock.")
            self.detail.setText("")
            self.sum.setText("")
            for name, count in self.counts.values():
                name.hide()
                count.hide()
            return
        product = stock.product
        self.title.setText(product.name)
        self.detail.setText(
            f"{product.sku} · {product.category} · {money(product.price)} · at {stock.location}"
        )
        self.promise.setText(f"{units(max(stock.atp, 0))} to promise" if stock.atp > 0 else "None to promise")
        self.promise.setProperty("kind", "title" if stock.atp > 0 else "error")
        levels = stock.levels
        self.sum.setText(
            f"{levels.sellable} on the shelves − {levels.reserved} held for orders − "
            f"{levels.safety_stock} safety stock = {stock.atp}"
        )
        for field, (name, count) in self.counts.items():
            name.show()
            count.show()
            count.setText(str(getattr(levels, field)))
        self.where.setText(self._where_text(stock))
        self.count_card.show_shelves(stock.shelves, can_save=self.can_count)
        self.moves.setText(
            "\n".join(movement_text(m) for m in stock.recent) or "Nothing has moved this product here yet."
        )
        self.nearby.setText("Asking the hub…")

    @staticmethod
    def _where_text(stock: StoreStock) -> str:
        lines = []
        if stock.home is not None:
            shelf = stock.home
            spot = f" (zone {shelf.zone}, aisle {shelf.aisle})" if shelf.zone else ""
            lines.append(f"Home bin {shelf.code}{spot}")
        else:
            lines.append("No home bin set in this store.")
        lines += [f"Also counted in {b.shelf.code}: {units(b.qty)}" for b in stock.other_bins]
        return "\n".join(lines)

    def show_nearby(self, lines: list[NearbyStock]) -> None:
        if not lines:
            self.nearby.setText("No other location has held this product.")
            return
        with_stock = [line for line in lines if line.atp > 0]
        shown = with_stock[:NEARBY_SHOWN] or lines[:NEARBY_SHOWN]
        more = len(with_stock) - len(shown) if with_stock else 0
        text = "\n".join(nearby_text(line) for line in shown)
        if not with_stock:
            text = "None to promise anywhere else.\n" + text
        self.nearby.setText(text + (f"\n(+{more} more with stock)" if more > 0 else ""))

    def show_nearby_message(self, text: str) -> None:
        self.nearby.setText(text)


class InventoryScreen(QWidget):
    def __init__(
        self,
        ops: OpRunner,
        services: InventoryServices,
        sounds: ScanSounds | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ops, self.services = ops, services
        self.person: SignedIn | None = None
        self.hits: list[ProductHit] = []
        self.tiles: dict[str, QPushButton] = {}
        self._generation = 0  # of the search
        self._showing = 0  # of the product shown
        self._nearby_task: asyncio.Future[None] | None = None
        heading = text_label("Inventory", "title")
        self.field = QLineEdit()
        self.field.setPlaceholderText("Scan a product, or type its name or SKU")
        self.field.setClearButtonEnabled(True)
        self.field.setMinimumHeight(56)
        self.field.setAccessibleName("Find a product")
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(lambda: self.search(self.field.text()))
        self.field.textEdited.connect(lambda _text: self.timer.start())
        self.results = TileList("Products matching your search are listed here.")
        self.panel = StockPanel()
        self.panel.count_card.save.connect(self.count)
        self.scroll = kinetic_panel(self.panel)
        body = QHBoxLayout()
        body.setSpacing(SPACING * 2)
        body.addWidget(self.results, 2)
        body.addWidget(self.scroll, 3)
        self.banner = ScanBanner(sounds)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(SPACING)
        layout.addWidget(heading)
        layout.addWidget(self.field)
        layout.addLayout(body, 1)
        layout.addWidget(self.banner)

    @property
    def stock(self) -> StoreStock | None:
        return self.panel.stock

    def set_person(self, person: SignedIn | None) -> None:
        """Told by the main window at sign-in and sign-out; a count names who made it."""
        self.person = person
        self.panel.can_count = person is not None

    def count(self, counted: int, expected: int) -> None:
        stock = self.stock
        if stock is None or self.person is None:
            return
        sku, where = stock.product.sku, stock.location
        asked = self._showing

        def recorded(fresh: StoreStock) -> None:
            if not shiboken6.isValid(self):
                return
            difference = counted - expected
            if asked == self._showing:
                self._display(fresh, asked)
            text = (
                f"Counted {counted}: it matches, nothing recorded."
                if difference == 0
                else f"Counted {counted}: recorded {difference:+d} for {sku} at {where}; the hub hears of it at the next sync."
            )
            self.banner.show_answer(ScanAnswer("ok" if difference == 0 else "warn", text), sound=False)

        def refused(exc: BaseException) -> None:  # said on the banner; the numbers are read again
            if shiboken6.isValid(self):
                self._failed(exc)
                self._read(sku, announce=False)

        call = self.services.count(self.person, sku, counted, expected)
        self.ops.run(call, recorded, refused, changes={"stock", "outbox"})

    def handle_scan(self, code: str, suffix: str | None) -> None:
        """A scan searches at once; a barcode names one product, which opens."""
        self.timer.stop()
        self.field.setText(code)
        self.search(code, open_single=True)

    def search(self, text: str, *, open_single: bool = False) -> None:
        self._generation += 1
        asked = self._generation

        def answered(hits: list[ProductHit]) -> None:
            if asked != self._generation or not shiboken6.isValid(self):
                return  # a newer search is out
            self._show_hits(hits, text.strip())
            if open_single and len(hits) == 1:
                self.open_product(hits[0].sku)
            elif open_single and not hits:
                self.banner.show_answer(
                    ScanAnswer("error", f"{text.strip()}: no product with that code or name")
                )

        self.ops.run(self.services.find(text), answered, self._failed)

    def _show_hits(self, hits: list[ProductHit], text: str) -> None:
        self.hits = hits
        self.tiles = {}
        for hit in hits:
            tile = QPushButton(f"{hit.name}\n{hit.sku} · {hit.category} · {money(hit.price)}")
            tile.setObjectName("WorkTile")
            tile.setAccessibleName(f"Product {hit.name}, {hit.sku}")
            tile.setCursor(Qt.CursorShape.PointingHandCursor)
            tile.setCheckable(True)  # the open product stays marked in the list
            tile.setChecked(self.stock is not None and self.stock.product.sku == hit.sku)
            tile.clicked.connect(lambda _=False, sku=hit.sku: self.open_product(sku))
            self.tiles[hit.sku] = tile
        if not text:
            summary = "Products matching your search are listed here."
        elif hits:
            summary = f"{len(hits)} product{'s' if len(hits) != 1 else ''} match “{text}”"
        else:
            summary = f"No product matches “{text}”."
        self.results.set_tiles(list(self.tiles.items()), summary)

    def open_product(self, sku: str) -> None:
        for key, tile in self.tiles.items():
            tile.setChecked(key == sku)
        self._read(sku, announce=True)

    def _read(self, sku: str, *, announce: bool) -> None:
        """This store's stock of `sku`, then the hub's nearby list; `announce` says it on the banner."""
        self._showing += 1
        asked = self._showing

        def answered(stock: StoreStock) -> None:
            if asked != self._showing or not shiboken6.isValid(self):
                return
            self._display(stock, asked)
            if announce:
                tone = "ok" if stock.atp > 0 else "warn"
                text = f"{stock.product.name}: {max(stock.atp, 0)} to promise here"
                self.banner.show_answer(ScanAnswer(tone, text), sound=False)

        self.ops.run(self.services.stock(sku), answered, self._failed)

    def _display(self, stock: StoreStock, asked: int) -> None:
        self.panel.show_stock(stock)
        self._ask_nearby(stock.product.sku, asked)

    def _ask_nearby(self, sku: str, asked: int) -> None:
        nearby = self.services.nearby
        if nearby is None:
            self.panel.show_nearby_message("This tablet has no hub to ask about other locations.")
            return
        if self._nearby_task is not None and not self._nearby_task.done():
            self._nearby_task.cancel()  # the product changed: its answer is of no use now

        async def ask() -> None:
            try:
                lines = await nearby(sku)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # offline, not enrolled, refused: said in the list's place
                if shiboken6.isValid(self) and asked == self._showing:
                    self.panel.show_nearby_message(person_message(exc))
                return
            if shiboken6.isValid(self) and asked == self._showing:
                self.panel.show_nearby(lines)

        self._nearby_task = asyncio.ensure_future(ask())

    def _failed(self, exc: BaseException) -> None:
        if shiboken6.isValid(self):
            self.banner.show_answer(ScanAnswer("error", person_message(exc)))
