"""The bottom strip: is the store in touch with the hub, how much is waiting, who is signed in.

The sync client's `status()` is asked every few seconds as a task on the asyncio loop (it reads
the database on its own worker thread); the strip says the answer in words and with a dot, since
colour alone is not enough. Offline is normal here (the store keeps working), so it is stated,
not alarmed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from core.domain.associates import SignedIn
from sync.client.status import SyncStatus
from ui.theme import repolish

POLL_MS = 5000
log = logging.getLogger(__name__)


def describe(status: SyncStatus | None) -> tuple[str, str]:
    """(state property, sentence) for a status; None means not known yet."""
    if status is None:
        return "unknown", "Sync: checking…"
    if not status.enrolled:
        return "unknown", "Not connected to a hub yet"
    state = {True: "online", False: "offline", None: "unknown"}[status.online]
    parts = [{True: "Online", False: "Offline: working locally", None: "Connecting…"}[status.online]]
    parts.append(
        "nothing waiting to send"
        if status.pending == 0
        else f"{status.pending} change{'s' if status.pending != 1 else ''} waiting to send"
    )
    parts.append(
        f"last sync {status.last_sync.astimezone().strftime('%H:%M')}" if status.last_sync else "never synced"
    )
    if status.rejected:
        parts.append(f"{status.rejected} refused by the hub: see Messages")
    return state, " · ".join(parts)


class StatusBar(QFrame):
    def __init__(
        self, status_call: Callable[[], Awaitable[SyncStatus]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("StatusBar")
        self._status_call = status_call
        self._task: asyncio.Future[None] | None = None
        self.status: SyncStatus | None = None
        self.dot = QLabel("●")
        self.dot.setObjectName("SyncDot")
        self.sync = QLabel()
        self.person = QLabel("")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 6, 16, 6)
        layout.setSpacing(10)
        layout.addWidget(self.dot)
        layout.addWidget(self.sync, 1)
        layout.addWidget(self.person)
        self.setMinimumHeight(44)
        self.show_status(None)
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)

    def start(self) -> None:
        self.poll()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        if self._task is not None:
            self._task.cancel()

    def poll(self) -> None:
        if self._task is not None and not self._task.done():
            return  # the last question has not been answered: do not pile up more
        self._task = asyncio.ensure_future(self._ask())

    async def _ask(self) -> None:
        try:
            status = await self._status_call()
        except Exception:  # the strip shows "checking…"; the relay logs its own failures
            log.exception("sync status unavailable")
            status = None
        if shiboken6.isValid(self):  # the window may have closed while the answer was on its way
            self.show_status(status)

    def show_status(self, status: SyncStatus | None) -> None:
        self.status = status
        state, text = describe(status)
        self.dot.setProperty("state", state)
        self.dot.setAccessibleName(state)
        self.sync.setText(text)
        repolish(self.dot)

    def show_person(self, person: SignedIn | None) -> None:
        if person is None:
            self.person.setText("")
        else:
            self.person.setText(f"{person.name} · {'Manager' if person.is_manager else 'Associate'}")
