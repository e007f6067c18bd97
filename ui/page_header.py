"""A sub-page's top line: a back button (a 48 px target on the left, where a thumb expects it) and
the page's title."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton

from ui.touch import SPACING, touch_size


def page_header(title: str, back_text: str, on_back: Callable[[], None]) -> tuple[QHBoxLayout, QPushButton]:
    """The row to put on top of the page, and its back button."""
    button = touch_size(QPushButton(back_text), width=160)
    button.clicked.connect(on_back)
    heading = QLabel(title)
    heading.setProperty("kind", "title")
    row = QHBoxLayout()
    row.setSpacing(SPACING)
    row.addWidget(button)
    row.addWidget(heading, 1)
    return row, button
