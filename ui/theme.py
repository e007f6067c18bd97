"""Light and dark themes as QSS files in `resources/themes`, switched at run time.

Stylesheets live in files (not in code) so a designer can change a colour without touching
Python, and are read with importlib.resources so they work from a wheel as well as a checkout.
Widgets that change look with their state (a scan answer, the sync light) carry a dynamic property
the QSS selects on, and `repolish` makes Qt re-read it.
"""

from __future__ import annotations

from importlib import resources

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QWidget

from ui.touch import TEXT

THEMES = ("light", "dark")


def load_qss(name: str) -> str:
    if name not in THEMES:
        raise ValueError(f"unknown theme {name!r}; choose one of {', '.join(THEMES)}")
    return resources.files("resources.themes").joinpath(f"{name}.qss").read_text(encoding="utf-8")


def repolish(widget: QWidget) -> None:
    """Re-apply the stylesheet after a dynamic property the QSS selects on has changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


class ThemeManager(QObject):
    """Holds the current theme and applies it to the whole application."""

    theme_changed = Signal(str)

    def __init__(self, app: QApplication, name: str = "light") -> None:
        super().__init__(app)
        self._app = app
        self.name = ""
        font = QFont(app.font())
        font.setPixelSize(TEXT)
        app.setFont(font)
        self.apply(name)

    def apply(self, name: str) -> None:
        qss = load_qss(name)
        self._app.setStyleSheet(qss)
        self.name = name
        self.theme_changed.emit(name)

    def toggle(self) -> None:
        self.apply("dark" if self.name == "light" else "light")
