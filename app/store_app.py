"""Composition root of the store app: the database, the sync client, the services and the window.

Everything is built here and handed down (cosmicpython's bootstrap): the UI gets bound service
calls (`ui.ports.StoreServices`), the operation runner gets `Database.transaction`, and the status
bar and the setup screen get the sync client's async calls. Qt runs on a qasync loop, so the
relay's network work and the widgets share one thread without either waiting for the other.
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx
from PySide6.QtWidgets import QApplication

from app.store_pack import pack_services
from app.store_pick import pick_services
from core.domain.associates import Role, SignedIn
from core.domain.errors import ValidationError
from core.services import associates
from core.storage.database import Database
from sync.client import HubRefusedError, HubUnavailableError, SyncClient, store_io
from ui.ops import OpRunner
from ui.ports import PackServices, StoreServices
from ui.shell import StoreShell
from ui.sounds import ScanSounds
from ui.theme import ThemeManager


def device_name() -> str:
    """`OMS_DEVICE` names the tablet in the audit trail; the host name otherwise."""
    return os.environ.get("OMS_DEVICE") or socket.gethostname() or "tablet"


def build_services(
    client: SyncClient, *, device: str, demo: bool = False, pack: PackServices | None = None
) -> StoreServices:
    """Bind the core services (and the sync client) into the calls the screens make.

    `demo` treats the store as set up without a hub, so the demo can be tried on one machine.
    """

    async def enroll(hub_url: str, code: str) -> str:
        try:
            location = await client.enroll(hub_url, code, device)
        except HubUnavailableError as exc:
            raise ValidationError(
                f"could not reach the hub at {hub_url} ({exc}); check the address and the network"
            ) from exc
        except HubRefusedError as exc:
            raise ValidationError(f"the hub refused the enrolment: {exc.detail}") from exc
        client.notify()
        return location

    def with_device(person: SignedIn) -> SignedIn:
        return SignedIn(person.associate_id, person.name, person.role, device)

    return StoreServices(
        list_associates=lambda: associates.list_associates,
        sign_in=lambda who, pin: lambda s: associates.sign_in(s, who, pin, device=device),
        sign_out=lambda person: lambda s: associates.sign_out(s, with_device(person)),
        require_role=lambda person, role: (
            lambda s: associates.require_role(s, associates.actor_of(with_device(person)), Role(role))
        ),
        is_set_up=lambda: (lambda _s: True) if demo else (lambda s: store_io.credentials(s) is not None),
        sync_status=client.status,
        enroll=enroll,
        device=device,
        pack=pack,
        pick=pick_services(device),
    )


@dataclass
class StoreApp:
    """The running parts, kept together so they can be shut down in order."""

    database: Database
    client: SyncClient
    ops: OpRunner
    shell: StoreShell
    http: httpx.AsyncClient

    async def close(self) -> None:
        self.ops.shutdown()
        await self.http.aclose()
        self.client.close()
        self.database.close()


def assemble(
    app: QApplication,
    database: Database,
    *,
    theme: str = "light",
    demo: bool = False,
    sounds: bool = True,
    http: httpx.AsyncClient | None = None,
    documents_dir: Path | None = None,
) -> StoreApp:
    """Build the window and everything behind it (call with the qasync loop already installed).

    `http` is the sync client's HTTP client; tests pass one with an in-process transport.
    `documents_dir` is where label and slip PDFs are saved (default: `app.settings.documents_dir`).
    """
    http = http or httpx.AsyncClient(timeout=httpx.Timeout(15.0, connect=5.0))
    client = SyncClient(database, http)
    ops = OpRunner(database.transaction)
    themes = ThemeManager(app, theme)
    device = device_name()
    pack = pack_services(device, documents_dir=documents_dir)
    services = build_services(client, device=device, demo=demo, pack=pack)
    ops.changed.connect(lambda _tags: client.notify())  # a change was committed: push it soon
    shell = StoreShell(ops, services, themes, ScanSounds(app, enabled=sounds))
    return StoreApp(database, client, ops, shell, http)


def run(database_url: str, *, theme: str = "light", demo: bool = False) -> int:
    """`oms app`: open the database, show the window, sync in the background until the window closes."""
    import qasync  # the Qt/asyncio bridge is only needed when a window runs

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Store OMS")
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    database = Database.open(database_url)  # before the window: migrations must finish first
    store = assemble(app, database, theme=theme, demo=demo)

    async def main() -> None:
        closed = asyncio.Event()
        app.aboutToQuit.connect(closed.set)
        stop = asyncio.Event()
        relay = asyncio.ensure_future(store.client.run(stop)) if not demo else None
        store.shell.show()
        store.shell.start()
        await closed.wait()
        stop.set()
        if relay is not None:
            relay.cancel()
        await store.close()

    with loop:
        loop.run_until_complete(main())
    return 0
