"""A line saying what the list holds, above a flickable column of big tiles rebuilt per answer.

For the short lists at a counter (tens of orders or tasks, not thousands): plain widgets in a
kinetic scroll area, the newest answer replacing the last. Long lists use a Qt model instead
(`ui.screens.pick_model`).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from ui.touch import SPACING, kinetic


class TileList(QWidget):
    def __init__(self, summary: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tiles: dict[Hashable, QWidget] = {}
        self.summary = QLabel(summary)
        self.summary.setProperty("kind", "hint")
        self.summary.setWordWrap(True)
        body = QWidget()
        self.rows = QVBoxLayout(body)
        self.rows.setContentsMargins(0, 0, 8, 0)
        self.rows.setSpacing(SPACING)
        self.rows.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(body)
        kinetic(self.scroll)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACING)
        layout.addWidget(self.summary)
        layout.addWidget(self.scroll, 1)

    def set_tiles(self, tiles: Sequence[tuple[Hashable, QWidget]], summary: str) -> None:
        """Replace the tiles with `(key, widget)` pairs, in order, and say what they are."""
        for tile in self.tiles.values():
            tile.deleteLater()
        self.tiles = {}
        for i, (key, tile) in enumerate(tiles):
            self.rows.insertWidget(i, tile)
            self.tiles[key] = tile
        self.summary.setText(summary)
