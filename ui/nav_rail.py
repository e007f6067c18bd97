"""The navigation rail: big buttons down the left edge, one per job of the store.

A rail rather than tabs or a menu: every destination is one tap away and wide enough for a thumb.
Manager-only destinations are not shown to associates (the services refuse them anyway).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap
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
    Destination("routing", "Routing", "◈", manager_only=True),
)
SETTINGS = Destination("settings", "Settings", "⚙")
SIGN_OUT = Destination("sign_out", "Sign out", "⏏")
# Glyph colours (normal, selected) per theme; they match rail_text / on_primary in the QSS files.
ICON_COLOURS = {"light": ("#1b2230", "#ffffff"), "dark": ("#dfe4ec", "#0b1220")}
ICON_PX = 32


def glyph_icon(glyph: str, normal: str, selected: str) -> QIcon:
    """A font glyph drawn as an icon, so the rail needs no image files and follows the theme."""
    icon = QIcon()
    for colour, state in ((normal, QIcon.State.Off), (selected, QIcon.State.On)):
        pixmap = QPixmap(ICON_PX * 2, ICON_PX * 2)  # drawn at 2x: sharp on high-density screens
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        font = QFont()
        font.setPixelSize(int(ICON_PX * 1.5))
        painter.setFont(font)
        painter.setPen(QColor(colour))
        painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, glyph)
        painter.end()
        pixmap.setDevicePixelRatio(2.0)
        icon.addPixmap(pixmap, QIcon.Mode.Normal, state)
    return icon


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
        self.sign_out = self._button(SIGN_OUT, checkable=False)
        self.sign_out.clicked.connect(self.sign_out_requested)
        layout.addWidget(self.sign_out)
        self.set_theme("light")

    def _button(self, destination: Destination, *, checkable: bool = True) -> QToolButton:
        button = QToolButton()
        button.setObjectName("NavButton")
        button.setText(destination.label)
        button.setAccessibleName(destination.label)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
        button.setIconSize(QSize(ICON_PX, ICON_PX))
        self.buttons[destination.key] = button
        if checkable:
            button.setCheckable(True)
            button.clicked.connect(lambda _=False, key=destination.key: self.chosen.emit(key))
            self.group.addButton(button)
        return button

    def set_theme(self, name: str) -> None:
        normal, selected = ICON_COLOURS.get(name, ICON_COLOURS["light"])
        for destination in (*DESTINATIONS, SETTINGS, SIGN_OUT):
            self.buttons[destination.key].setIcon(glyph_icon(destination.glyph, normal, selected))

    def show_for(self, *, manager: bool) -> None:
        """Show only what this person may open."""
        for destination in DESTINATIONS:
            self.buttons[destination.key].setVisible(manager or not destination.manager_only)

    def mark(self, key: str) -> None:
        self.buttons[key].setChecked(True)
