"""Store S01's tablet enrolled at a real hub reached in process, for screens that talk to the hub."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from core.domain.associates import SignedIn
from core.services.associates import add_demo_associates
from tests.sync.hub_harness import Hub, Store
from tests.ui.pick_kit import run_async


@contextmanager
def enrolled_s01(qtbot: QtBot, folder: Path) -> Iterator[tuple[Hub, Store]]:
    """The hub on its own SQLite file; S01's store database with the demo associates, enrolled and synced."""
    hub = Hub(folder / "hub.db")
    store = Store(folder / "s01.db", hub.asgi)
    with store.db.transaction() as session:
        add_demo_associates(session)
    run_async(qtbot, store.enroll(hub, "S01"))
    try:
        yield hub, store
    finally:
        run_async(qtbot, store.close())
        hub.close()


def on_screen(qtbot: QtBot, screen: QWidget, person: SignedIn) -> None:
    """A screen alone at tablet size, told who is signed in."""
    qtbot.addWidget(screen)
    screen.resize(1180, 800)
    screen.show()
    screen.set_person(person)  # type: ignore[attr-defined]
