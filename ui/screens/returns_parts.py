"""Small pieces every Returns page is built from: words, a flickable list, a heading with a way back."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLayout, QPushButton, QScrollArea, QVBoxLayout, QWidget

from ui.screens.pick_task import label
from ui.touch import SPACING, kinetic, touch_size


def words(text: str = "", kind: str = "") -> QLabel:
    return label(kind, text=text)


def empty(layout: QLayout) -> None:
    """Take every widget out of `layout` and delete it (rows are rebuilt when their data changes)."""
    while layout.count():
        item = layout.takeAt(0)
        if item is not None and item.widget() is not None:
            item.widget().deleteLater()


def scroll_list() -> tuple[QScrollArea, QVBoxLayout]:
    """A kinetic scroll area and the column its rows go into (rows are inserted above a stretch)."""
    body = QWidget()
    rows = QVBoxLayout(body)
    rows.setContentsMargins(0, 0, 0, 0)
    rows.setSpacing(SPACING)
    rows.addStretch(1)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setWidget(body)
    kinetic(scroll)
    return scroll, rows


def refill(rows: QVBoxLayout) -> None:
    """Empty a `scroll_list` column, keeping its closing stretch."""
    empty(rows)
    rows.addStretch(1)


def column(owner: QWidget, *parts: QWidget | QLayout, stretch: int = -1) -> QVBoxLayout:
    """Lay `parts` out top to bottom in `owner`, edge to edge; part number `stretch` takes the rest."""
    layout = QVBoxLayout(owner)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(SPACING)
    chosen = stretch % len(parts)
    for i, part in enumerate(parts):
        if isinstance(part, QLayout):
            layout.addLayout(part, 1 if i == chosen else 0)
        else:
            layout.addWidget(part, 1 if i == chosen else 0)
    return layout


class BackHeading(QHBoxLayout):
    """A 48 px way back on the left, then a title and a line under it."""

    def __init__(self, back_text: str, title: str = "", kind: str = "subtitle") -> None:
        super().__init__()
        self.setSpacing(SPACING)
        self.back_button = touch_size(QPushButton(back_text), width=150)
        self.title = words(title, kind)
        self.subtitle = words("", "hint")
        column = QVBoxLayout()
        column.setSpacing(2)
        column.addWidget(self.title)
        column.addWidget(self.subtitle)
        # A page title stands alone, level with the button. (Only ever hide here: showing a label
        # that has no parent yet would open it as a window of its own.)
        if kind == "title":
            self.subtitle.hide()
        self.addWidget(self.back_button)
        self.addLayout(column, 1)
