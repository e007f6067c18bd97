"""A throwaway store of its own for a screen's pictures: seeded, opened in the app, signed in, closed.

Each screen's shots (`app/screenshots_<screen>.py`) need their own catalog and orders so they touch
no other shot; the app around them is always built the same way: a temporary database with the
demo associates, the real composition root in demo mode, a fixed sync status, 1280 × 800, and an
orderly close (the screen's background jobs, the operation thread, the sync client).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.demo.network import DemoSizes, build_network
from core.domain.network import ProductSpec
from core.services.demo_load import load_demo_network
from core.services.outbox import SyncKey, set_setting
from core.storage.database import Database

if TYPE_CHECKING:
    import httpx

Shot = Callable[[str], None]


def demo_catalog_store(database: Database) -> dict[str, list[ProductSpec]]:
    """The demo retailer's network loaded, S01 as this store; its products by category."""
    network = build_network(DemoSizes(stores=3, skus=200))
    with database.transaction() as session:
        load_demo_network(session, network)
        set_setting(session, SyncKey.LOCATION, "S01")
    return {
        c: [p for p in network.products if p.category == c] for c in {p.category for p in network.products}
    }


def render_on_own_store(
    out: Path,
    screen: str,
    seed: Callable[[Database], Any],
    drive: Callable[[Any, Database, Any, Path, Shot], list[Path]],
    *,
    person: tuple[str, str] = ("1001", "1234"),
    http: httpx.AsyncClient | None = None,
) -> list[Path]:
    """`seed(database)` fills the store and returns what `drive(shell, database, seeded, out, shot)`
    needs; `drive` photographs with `shot(name)` and returns any further files it wrote into `out`.
    With `http` (a client reaching a hub, which `seed` enrolled the store at) the app talks to that
    hub instead of running in demo mode."""
    import asyncio
    import tempfile

    import qasync
    from PySide6.QtWidgets import QApplication

    from app.screenshots import camera, settle, show_with_demo_status
    from app.store_app import assemble
    from core.services.associates import add_demo_associates

    app = QApplication.instance() or QApplication(["oms-screenshots"])
    assert isinstance(app, QApplication)
    asyncio.set_event_loop(qasync.QEventLoop(app, already_running=True))
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        database = Database.open(str(Path(tmp) / f"{screen}.db"))
        with database.transaction() as session:
            add_demo_associates(session)
        seeded = seed(database)
        documents = Path(tmp) / "documents"
        store = assemble(app, database, demo=http is None, http=http, sounds=False, documents_dir=documents)
        shell = store.shell

        show_with_demo_status(store)
        shot = camera(store, out, written)

        try:
            shell.start()
            settle(lambda: shell.page == "sign_in" and len(shell.sign_in.cards) > 0)
            shell.sign_in.choose_id(person[0])
            shell.sign_in.pin.setText(person[1])
            shell.sign_in.submit()
            settle(lambda: shell.page == "main")
            written += drive(shell, database, seeded, out, shot)
        finally:
            shell.main.status.stop()
            shell.scanner.detach()
            shell.close()
            close_jobs = getattr(shell.main.screen(screen), "close_jobs", None)
            if close_jobs is not None:  # a screen with background jobs (PDFs) stops them
                close_jobs()
            store.ops.shutdown()
            store.client.close()
            database.close()
    return written
