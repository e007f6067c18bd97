"""Pictures of the store app's screens, rendered offscreen on a throwaway demo database.

Used by `oms screenshots` for the docs, and reusable by the demo: the same real widgets and
services as the running app, driven to a representative state, then `widget.grab().save()`.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from app.screenshots_inventory import render_inventory_screenshots
from app.screenshots_pack import render_pack_screenshots
from app.screenshots_pick import pick_shots, seed_pick_demo
from app.screenshots_pickup import render_pickup_screenshots
from app.screenshots_returns import render_returns_screenshots
from app.screenshots_routing import render_routing_screenshots
from core.domain.inventory import utc_now
from core.services.associates import add_demo_associates
from core.storage.database import Database
from sync.client.status import SyncStatus

if TYPE_CHECKING:
    from app.store_app import StoreApp

SIZE = (1280, 800)  # a 10" tablet in landscape


def settle(until: Callable[[], bool], timeout: float = 10.0) -> None:
    """Let Qt (and the operations it is waiting for) run until `until()` holds."""
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + timeout
    while not until():
        if time.monotonic() > deadline:
            raise TimeoutError("the screen did not reach the state to photograph")
        QApplication.processEvents()
        time.sleep(0.01)
    QApplication.processEvents()


def demo_status() -> SyncStatus:
    return SyncStatus(
        enrolled=True,
        location="CHI-01",
        online=True,
        pending=3,
        in_doubt=0,
        oldest_pending_age=timedelta(seconds=40),
        rejected=0,
        unread_messages=0,
        last_sync=utc_now() - timedelta(minutes=2),
    )


def show_with_demo_status(store: StoreApp) -> None:
    """Show the window at tablet size with a status bar that says online, as a live store would."""

    async def status() -> SyncStatus:
        return demo_status()

    store.shell.main.status._status_call = status
    store.shell.resize(*SIZE)
    store.shell.show()


def camera(store: StoreApp, out: Path, written: list[Path]) -> Callable[[str], None]:
    """`shot(name)`: once the window has settled, save it as `out/name.png` and note the file."""

    def shot(name: str) -> None:
        settle(lambda: store.ops.pending == 0 and not store.shell.themes.switching)
        path = out / f"{name}.png"
        store.shell.grab().save(str(path))
        written.append(path)

    return shot


def render_screenshots(out: Path) -> list[Path]:
    """Write setup, sign-in, main (light and dark), the Pick screens and the self-test PNGs into `out`."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import qasync
    from PySide6.QtWidgets import QApplication

    from app.store_app import assemble

    app = QApplication.instance() or QApplication(["oms-screenshots"])
    assert isinstance(app, QApplication)
    asyncio.set_event_loop(qasync.QEventLoop(app, already_running=True))
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        database = Database.open(str(Path(tmp) / "screens.db"))
        with database.transaction() as session:
            add_demo_associates(session)
        seed_pick_demo(database)
        store = assemble(app, database, demo=True, sounds=False)
        shell = store.shell

        show_with_demo_status(store)
        shot = camera(store, out, written)

        shell.pages.setCurrentWidget(shell.setup)
        shell.setup.hub.setText("https://hub.northwind.example")
        shell.setup.code.setText("7KQ4-M2XD")
        shot("setup")

        shell.show_sign_in()
        settle(lambda: len(shell.sign_in.cards) > 0)
        shell.sign_in.choose_id("1001")
        shell.sign_in.pin.setText("12")
        shot("sign_in")

        shell.sign_in.pin.setText("1234")
        shell.sign_in.submit()
        settle(lambda: shell.page == "main")
        shot("main_light")
        pick_shots(shell, store, shot, settle)

        shell.sign_out()
        settle(lambda: len(shell.sign_in.cards) > 0)
        shell.sign_in.choose_id("9001")
        shell.sign_in.pin.setText("9876")
        shell.sign_in.submit()
        settle(lambda: shell.page == "main")
        shell.main.settings.choose_theme("dark")
        shot("main_dark")

        shell.main.settings.choose_theme("light")
        shell.main.open_screen("settings")
        shell.main.handle_scan("SCQN&é\"'(-è_çà", "tab")
        shot("scanner_self_test")
        settings, people = shell.main.settings, shell.main.settings.people
        settle(lambda: len(people.rows) == 3)
        people.open_pin(people.rows[0])  # a new PIN for the first person, half typed
        people.new_pin.setText("2580")
        settings.verticalScrollBar().setValue(settings.verticalScrollBar().maximum())
        shot("settings_people")

        shell.close()
        store.ops.shutdown()
        store.client.close()
        database.close()
    written += render_pack_screenshots(out)
    written += render_pickup_screenshots(out)
    written += render_returns_screenshots(out)
    written += render_inventory_screenshots(out)
    written += render_routing_screenshots(out)
    return written
