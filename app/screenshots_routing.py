"""The Routing picture for `oms screenshots`: a manager has paused S01 with a reason.

Routing's switches live at the hub, so this store is enrolled at a real hub app on the demo
retailer, reached in process (`httpx.ASGITransport`, no socket), and the screen talks to it as a
tablet on the network would.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import httpx

from app.screenshot_store import Shot, render_on_own_store
from core.demo.network import DemoSizes, build_network
from core.services.demo_load import load_demo_network
from core.services.hub.access import create_enrolment_code
from core.storage.database import Database

HUB_URL = "http://hub.local"


def _hub_database(folder: Path) -> Database:
    database = Database.open(str(folder / "hub.db"))
    with database.transaction() as session:
        load_demo_network(session, build_network(DemoSizes(stores=3, skus=200)))
    return database


def routing_screenshots(shell: Any, shot: Shot) -> list[Path]:
    from app.screenshots import settle

    shell.main.open_screen("routing")  # a manager: the services check the role first
    settle(lambda: shell.main.current == "routing")
    screen = shell.main.screen("routing")
    settle(lambda: screen.status is not None and not screen.busy)
    screen.reason_buttons["Short-staffed"].click()
    screen.note.setText("two call-outs, back at 2 pm")
    screen.switch()
    settle(lambda: screen.status is not None and not screen.status.enabled and not screen.busy)
    shot("routing")
    return []


def render_routing_screenshots(out: Path) -> list[Path]:
    from app.demo_headless import run_async
    from sync.client import SyncClient
    from sync.hub import create_app

    with tempfile.TemporaryDirectory() as tmp:
        hub_db = _hub_database(Path(tmp))
        http = httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(hub_db)), timeout=30.0)

        def enrol(database: Database) -> None:
            with hub_db.transaction() as session:
                code = create_enrolment_code(session, "S01")
            client = SyncClient(database, http)
            try:
                run_async(client.enroll(HUB_URL, code, "tablet-S01"))
                run_async(client.sync_once())
            finally:
                client.close()

        def drive(shell: Any, _database: Database, _seeded: None, _out: Path, shot: Shot) -> list[Path]:
            return routing_screenshots(shell, shot)

        try:
            return render_on_own_store(out, "routing", enrol, drive, person=("9001", "9876"), http=http)
        finally:
            run_async(http.aclose())
            hub_db.close()
