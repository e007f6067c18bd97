"""Light and dark themes as QSS files in `resources/themes`, switched at run time without a freeze.

Stylesheets live in files (not in code) so a designer can change a colour without touching
Python, and are read with importlib.resources so they work from a wheel as well as a checkout.

Re-styling costs about 1 ms per widget (Qt re-polishes each one), so setting a new stylesheet on
the whole application at once blocks the UI thread for well over 100 ms once the app has all its
screens. The first theme is applied to the application before the window shows; a later switch
sets the new sheet on each screen in turn, the visible one first, one screen per turn of the event
loop (a widget's own sheet wins over the application's), so input keeps flowing between them.
The restyle runs with the application-wide input filters lifted (`ui.app_filters`): Qt sends
every child its style events at once, and each one passed through a Python filter otherwise.
Widgets that change look with their state carry a dynamic property the QSS selects on, and
`repolish` makes Qt re-read it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from importlib import resources

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QWidget

from ui import app_filters
from ui.touch import TEXT

THEMES = ("light", "dark")


@cache  # read once: a switch is a tap, and the file does not change while the app runs
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
    """Holds the current theme; applies it to the app once, then screen by screen on a switch."""

    theme_changed = Signal(str)  # at the start of a switch (cheap things follow at once)
    switch_finished = Signal(str)

    def __init__(self, app: QApplication, name: str = "light") -> None:
        super().__init__(app)
        self._app = app
        self.name = name
        self._generation = 0
        self._pending: list[QWidget] = []
        self._qss = ""
        # The screens to restyle on a switch, visible first; set by the window that owns them.
        self.targets: Callable[[], Sequence[QWidget]] = lambda: []
        font = QFont(app.font())
        font.setPixelSize(TEXT)
        app.setFont(font)
        app.setStyleSheet(load_qss(name))

    @property
    def switching(self) -> bool:
        return bool(self._pending)

    def apply(self, name: str) -> None:
        """Switch to `name`: one screen now, the others on the following turns of the event loop."""
        self._qss = load_qss(name)
        self.name = name
        self._generation += 1
        self._pending = list(self.targets())
        self.theme_changed.emit(name)
        self._next(self._generation)

    def _next(self, generation: int) -> None:
        if generation != self._generation:
            return  # a newer switch took over
        while self._pending:
            widget = self._pending.pop(0)
            if shiboken6.isValid(widget):
                # Paint its own background: the containers above it keep the first theme's sheet.
                self._restyle(widget)
                break
        if self._pending:
            QTimer.singleShot(0, lambda: self._next(generation))
        else:
            self.switch_finished.emit(self.name)

    def style_late(self, widget: QWidget) -> None:
        """A screen built after a switch would otherwise show the application's (first) sheet."""
        if self._qss:
            self._restyle(widget)

    def _restyle(self, widget: QWidget) -> None:
        """Qt re-polishes every child at once: thousands of style events, none of them input."""
        widget.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        with app_filters.lifted():
            widget.setStyleSheet(self._qss)

    def toggle(self) -> None:
        self.apply("dark" if self.name == "light" else "light")
