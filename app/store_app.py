"""Composition root of the store app: the database, the sync client, the services and the window.

Everything is built here and handed down (cosmicpython's bootstrap): the UI gets bound service
calls (`ui.ports.StoreServices`), the operation runner gets `Database.transaction`, and the status
bar and the setup screen get the sync client's async calls. Qt runs on a qasync loop, so the
relay's network work and the widgets share one thread without either waiting for the other.

Only what the sign-in screen needs is imported before it is painted (cold start, issue 5): each
screen's services are bound by a factory the screen calls when it is built, importing their module
then (`pick`, `pack` below), and the sync client is made after the first paint (`app.sync_link`).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from app.sync_link import SyncLink, enrolled
from app.warm_up import WarmUp
from core.domain.associates import Role, SignedIn
from core.domain.errors import ValidationError
from core.services import associates
from core.storage.database import Database
from ui.ops import OpRunner
from ui.ports import StoreServices
from ui.shell import StoreShell
from ui.sounds import ScanSounds
from ui.theme import ThemeManager

if TYPE_CHECKING:  # annotations only: the screens' ports load with their screens
    import httpx

    from app.pickup_timer import PickupTimer
    from sync.client import SyncClient
    from ui.inventory_ports import InventoryServices
    from ui.people_ports import PeopleServices
    from ui.pick_ports import PickServices
    from ui.pickup_ports import PickupServices
    from ui.ports import PackServices
    from ui.returns_ports import ReturnsServices
    from ui.routing_ports import RoutingServices


# Imported on a background thread once the first page is painted (`app.warm_up`): the sync client
# and each screen's services and module. A screen added to `ui.main_window` adds its own here.
WORKSPACE_MODULES = (
    "sync.client.relay",
    "app.pickup_timer",
    "app.store_pick",
    "app.store_pack",
    "app.store_pickup",
    "app.store_returns",
    "app.store_inventory",
    "app.store_routing",
    "app.store_people",
    "ui.screens.pick",
    "ui.screens.pack",
    "ui.screens.pickup",
    "ui.screens.returns",
    "ui.screens.inventory",
    "ui.screens.routing",
    "ui.screens.people",
    "ui.screens.settings",
    "ui.screens.placeholder",
)


def _load_print_support() -> None:
    """A warm-up job (Qt's print plugin, off the UI thread); by then the workspace has imported it."""
    from ui.printing import load_print_support

    load_print_support()


def device_name() -> str:
    """`OMS_DEVICE` names the tablet in the audit trail; the host name otherwise."""
    return os.environ.get("OMS_DEVICE") or socket.gethostname() or "tablet"


def build_services(
    sync: SyncLink,
    *,
    device: str,
    demo: bool = False,
    documents_dir: Path | None = None,
) -> StoreServices:
    """Bind the core services (and the sync client, made when first asked for) into the screens' calls.

    `demo` treats the store as set up without a hub, so the demo can be tried on one machine.
    """

    async def enroll(hub_url: str, code: str) -> str:
        from sync.client import HubRefusedError, HubUnavailableError

        try:
            location = await sync.client().enroll(hub_url, code, device)
        except HubUnavailableError as exc:
            raise ValidationError(
                f"could not reach the hub at {hub_url} ({exc}); check the address and the network"
            ) from exc
        except HubRefusedError as exc:
            raise ValidationError(f"the hub refused the enrolment: {exc.detail}") from exc
        sync.client().notify()
        return location

    def pick() -> PickServices:
        from app.store_pick import pick_services

        return pick_services(device)

    def pack() -> PackServices:
        from app.store_pack import pack_services

        return pack_services(device, documents_dir=documents_dir)

    def returns() -> ReturnsServices:
        from app.store_returns import hub_lookup, hub_search, returns_services

        if demo:  # no hub: only this store's orders
            return returns_services(device, documents_dir=documents_dir)
        return returns_services(
            device,
            documents_dir=documents_dir,
            fetch_order=hub_lookup(sync.client),
            search_hub=hub_search(sync.client),
        )

    def pickup() -> PickupServices:
        from app.store_pickup import pickup_services

        return pickup_services(device)

    def inventory() -> InventoryServices:
        from app.store_inventory import hub_nearby, inventory_services

        return inventory_services(device, None if demo else hub_nearby(sync.client))

    def routing() -> RoutingServices:
        from app.store_routing import routing_services

        return routing_services(sync.client, device)

    def people() -> PeopleServices:
        from app.store_people import people_services

        return people_services(device)

    def with_device(person: SignedIn) -> SignedIn:
        return SignedIn(person.associate_id, person.name, person.role, device)

    return StoreServices(
        list_associates=lambda: associates.list_associates,
        sign_in=lambda who, pin: lambda s: associates.sign_in(s, who, pin, device=device),
        sign_out=lambda person: lambda s: associates.sign_out(s, with_device(person)),
        require_role=lambda person, role: (
            lambda s: associates.require_role(s, associates.actor_of(with_device(person)), Role(role))
        ),
        is_set_up=lambda: (lambda _s: True) if demo else enrolled,
        sync_status=sync.status,
        enroll=enroll,
        device=device,
        pack=pack,
        pick=pick,
        returns=returns,
        pickup=pickup,
        inventory=inventory,
        routing=None if demo else routing,
        people=people,
        idle_minutes=lambda: associates.idle_sign_out_minutes,
    )


@dataclass
class StoreApp:
    """The running parts, kept together so they can be shut down in order."""

    database: Database
    sync: SyncLink
    ops: OpRunner
    shell: StoreShell
    warm_up: WarmUp  # `done`: the workspace's modules are imported, its screens are being built

    @property
    def client(self) -> SyncClient:
        """The sync client, made now if nothing has asked for it yet."""
        return self.sync.client()

    async def close(self) -> None:
        self.ops.shutdown()
        self.warm_up.finish()
        await self.sync.close()
        self.database.close()


def set_start_up_aside() -> None:
    """What start-up made lives as long as the app: keep it out of the garbage collector's way.

    Python starts a full collection on its own from time to time, on whichever thread allocates,
    most often the UI thread, and it walks every object tracked: with the workspace built, about
    160,000 and 85-95 ms on a slow two-CPU machine, a stall of the whole window. Frozen
    (`gc.freeze`), they are never walked again (docs/BENCHMARKS.md). Not collected first: that
    would be the same stall once; start-up's few cycles of garbage stay.
    """
    gc.freeze()


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
    sync = SyncLink(database, http)
    ops = OpRunner(database.transaction)
    themes = ThemeManager(app, theme)
    services = build_services(sync, device=device_name(), demo=demo, documents_dir=documents_dir)
    ops.changed.connect(lambda _tags: sync.notify())  # a change was committed: push it soon
    scan_sounds = ScanSounds(app, enabled=sounds)
    shell = StoreShell(ops, services, themes, scan_sounds)
    warm_up = WarmUp(WORKSPACE_MODULES, [sync.prepare, _load_print_support], shell)
    shell.first_page_shown.connect(warm_up.start)
    warm_up.done.connect(shell.main.prepare)
    warm_up.done.connect(sync.client)  # its modules and HTTP client are ready: the status bar can ask it
    warm_up.done.connect(scan_sounds.preload)  # Qt Multimedia starts after the first paint too
    shell.main.screens_prepared.connect(set_start_up_aside)
    return StoreApp(database, sync, ops, shell, warm_up)


def run(database_url: str, *, theme: str = "light", demo: bool = False) -> int:
    """`oms app`: open the database, show the window, sync in the background until the window closes.

    Closing the window ends `main`, which stops the relay and closes everything while the event
    loop still runs; only then does the loop stop. (Waiting for `aboutToQuit` instead resumes
    `main` after the loop has stopped, where closing the HTTP client fails.)
    """
    import qasync  # the Qt/asyncio bridge is only needed when a window runs

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Store OMS")
    app.setQuitOnLastWindowClosed(False)  # `main` returning is what stops the loop
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    database = Database.open(database_url)  # before the window: migrations must finish first
    store = assemble(app, database, theme=theme, demo=demo)

    async def main() -> None:
        closed = asyncio.Event()
        app.lastWindowClosed.connect(closed.set)
        stop = asyncio.Event()
        relays: list[asyncio.Future[None]] = []
        if not demo:  # the sync client is made, and syncs, once its modules are imported

            def start_relay() -> None:
                relays.append(asyncio.ensure_future(store.client.run(stop)))

            store.warm_up.done.connect(start_relay)
        pickup_timers: list[PickupTimer] = []

        def start_pickup_timer() -> None:
            """Reminders, timeouts and e-mails, once the warm-up has imported their modules.

            Not earlier: importing them here while the warm-up thread imports the same packages
            (pydantic, whose modules import each other) can hand one thread a half-made module.
            """
            from app.pickup_timer import start_pickup_timer as start

            pickup_timers.append(start(store.ops, database.transaction, store.shell))

        store.warm_up.done.connect(start_pickup_timer)
        store.shell.show()
        store.shell.start()
        await closed.wait()
        store.warm_up.finish()  # nothing it would start (relay, pickup timer) may start now
        stop.set()
        for timer in pickup_timers:
            timer.stop()
        for relay in relays:
            relay.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await relay
        await store.close()

    with loop:
        loop.run_until_complete(main())
    return 0
