"""Building the store app for a UI test, and the steps tests repeat (signing in)."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.store_app import StoreApp, assemble
from core.storage.database import Database
from ui.shell import StoreShell


@dataclass
class Kit:
    store: StoreApp
    db: Database

    @property
    def shell(self) -> StoreShell:
        return self.store.shell


def _no_network(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("no network in UI tests", request=request)


def build_kit(qtbot: QtBot, qapp: QApplication, db: Database, *, demo: bool) -> Kit:
    """The real composition root; the sync client's HTTP never leaves the process."""
    store = assemble(qapp, db, demo=demo, http=httpx.AsyncClient(transport=httpx.MockTransport(_no_network)))
    qtbot.addWidget(store.shell)
    store.shell.resize(1280, 800)
    store.shell.show()
    store.shell.start()
    return Kit(store, db)


def close_kit(kit: Kit) -> None:
    kit.shell.hide()  # screens stop their polling timers when hidden
    kit.shell.scanner.detach()
    kit.shell.main.status.stop()
    kit.store.ops.shutdown()
    if kit.store.sync.made:
        kit.store.client.close()


def look(qtbot: QtBot) -> None:
    """The moment a person takes to see a new page before touching it: the event loop lays it out and paints.

    Without it a test chains two taps into one turn of the event loop, which no person can do,
    and the watchdog sees both handlers and the page's first paint as one stall.
    """
    qtbot.wait(30)


def sign_in(qtbot: QtBot, kit: Kit, associate_id: str, pin: str) -> None:
    """Tap a name, type the PIN, press Sign in, and wait for the answer."""
    screen = kit.shell.sign_in
    screen.choose_id(associate_id)
    screen.pin.setText(pin)
    qtbot.mouseClick(screen.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not screen.busy)
    if kit.shell.person is not None:
        qtbot.waitUntil(lambda: kit.shell.page == "main")  # shown on the turn after the answer


def wedge_type(qtbot: QtBot, widget: QWidget, text: str, *, gap_ms: int = 1) -> None:
    """Key presses carrying any character, as a wedge scanner's keyboard layout produces them.

    `qtbot.keyClicks` handles ASCII only (QTest aborts on é, ç...), and an AZERTY tablet turns a
    US scanner's digits into exactly those characters.
    """
    for char in text:
        key = ord(char.upper()) if char.isascii() else int(Qt.Key.Key_unknown)
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, char))
        qtbot.wait(gap_ms)
