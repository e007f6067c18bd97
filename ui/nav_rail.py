"""The navigation rail: big buttons down the left edge, one per job of the store.

A rail rather than tabs or a menu: every destination is one tap away and wide enough for a thumb.
Manager-only destinations are not shown to associates (the services refuse them anyway).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QFrame, QToolButton, QVBoxLayout, QWidget


@dataclass(frozen=True, slots=True)
class Destination:
    key: str
    label: str
    glyph: str
    manager_only: bool = False


DESTINATIONS = (
    Destination("pick", "Pick", "☰"),
    Destination("pack", "Pack", "▣"),
    Destination("pickup", "Pickup", "⇄"),
    Destination("returns", "Returns", "↺"),
    Destination("inventory", "Inventory", "▤"),
    Destination("routing", "Routing", "⌖", manager_only=True),
)
SETTINGS = Destination("settings", "Settings", "⚙")


class NavRail(QFrame):
    """Emits `chosen(key)`; `sign_out_requested` from the button at the bottom."""

    chosen = Signal(str)
    sign_out_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("NavRail")
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[str, QToolButton] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 12, 8, 12)
        layout.setSpacing(6)
        for destination in DESTINATIONS:
            layout.addWidget(self._button(destination))
        layout.addStretch(1)
        layout.addWidget(self._button(SETTINGS))
        self.sign_out = QToolButton()
        self.sign_out.setObjectName("NavButton")
        self.sign_out.setText("⏏\nSign out")
        self.sign_out.setAccessibleName("Sign out")
        self.sign_out.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.sign_out.clicked.connect(self.sign_out_requested)
        layout.addWidget(self.sign_out)

    def _button(self, destination: Destination) -> QToolButton:
        button = QToolButton()
        button.setObjectName("NavButton")
        button.setText(f"{destination.glyph}\n{destination.label}")
        button.setAccessibleName(destination.label)
        button.setCheckable(True)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.clicked.connect(lambda _=False, key=destination.key: self.chosen.emit(key))
        self.group.addButton(button)
        self.buttons[destination.key] = button
        return button

    def show_for(self, *, manager: bool) -> None:
        """Show only what this person may open."""
        for destination in DESTINATIONS:
            self.buttons[destination.key].setVisible(manager or not destination.manager_only)

    def mark(self, key: str) -> None:
        self.buttons[key].setChecked(True)
