"""Signing a shared tablet out when nobody has touched it for a while.

A tablet left on a counter signed in lets the next person act under someone else's name. Any
tap, key (a scan is keys) or touch anywhere in the app restarts the countdown; when it runs out
`timed_out` fires and the shell signs the person out. What a walk had in its totes is already
saved (`core.services.pick_progress`), so a timeout mid-walk loses nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from ui import app_filters

INPUT = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.KeyPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate,
    QEvent.Type.Wheel,
}


class IdleWatch(QObject):
    timed_out = Signal()

    def __init__(self, app: QApplication, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._app = app
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.timed_out)
        app_filters.install(app, self)

    @property
    def armed(self) -> bool:
        return self.timer.isActive()

    def arm(self, minutes: int) -> None:
        self.timer.start(minutes * 60_000)

    def disarm(self) -> None:
        self.timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if self.timer.isActive() and event.type() in INPUT:
            self.timer.start()  # the same interval, from now
        return False

    def detach(self) -> None:
        self.timer.stop()
        app_filters.remove(self._app, self)
