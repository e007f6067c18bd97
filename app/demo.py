"""`oms demo`: the whole product on one machine, in a minute.

1. an embedded hub (uvicorn on 127.0.0.1, SQLite in a temporary folder) with the demo retailer;
2. web orders through `POST /v1/orders`: some for the demo store (pickup there, or shipped to
   addresses around it) and some for the rest of the network, each routed and explained;
3. the demo store's tablet enrols with a one-time code and syncs its work;
4. the store app opens signed in as Amy Rivera (a demo associate) while a trickle of new orders
   keeps arriving; or, where there is no display, the same app runs offscreen and picks, packs,
   labels, ships and syncs one order by itself, writing a PNG of every screen.

Everything lives in a temporary folder removed at the end, except what the demo made for you to
look at (PNGs, label and slip PDFs), which goes to `out` (printed). The hub is stopped on the
way out, whatever happens.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import httpx

from app.demo_hub import EmbeddedHub, Placed, order_on_hub, post_orders, prepare_hub
from app.settings import data_dir
from core.demo.network import DemoSizes, build_network
from core.demo.orders import order_stream
from core.demo.store_orders import store_orders
from core.domain.inventory import utc_now
from core.services.associates import add_demo_associates
from core.storage.database import Database
from sync.client import SyncClient

Echo = Callable[[str], None]
REAL_PLATFORMS = {"xcb", "wayland", "wayland-egl", "eglfs", "linuxfb", "vnc", "cocoa", "windows", "direct2d"}


@dataclass(frozen=True)
class DemoConfig:
    sizes: DemoSizes = field(default_factory=DemoSizes)
    store: str = "S01"
    store_orders: int = 10  # aimed at the demo store
    network_orders: int = 10  # spread over the network
    out: Path = field(default_factory=lambda: data_dir() / "demo")
    headless: bool | None = None  # None: decide from the environment (`has_display`)
    trickle_seconds: float = 20.0  # a new web order this often while the window is open


def has_display(env: Mapping[str, str] | None = None, platform: str | None = None) -> bool:
    """Can a window open here? macOS and Windows always; elsewhere an X or Wayland display, unless
    QT_QPA_PLATFORM names a platform (offscreen/minimal say no, xcb/wayland/eglfs... say yes)."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    chosen = env.get("QT_QPA_PLATFORM", "").split(":")[0].strip()
    if chosen:
        return chosen in REAL_PLATFORMS
    if platform.startswith(("darwin", "win")):
        return True
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


async def enrol_and_sync(database: Database, hub_url: str, code: str) -> str:
    """The tablet's first run: trade the code for a device token, then pull the store's work."""
    async with httpx.AsyncClient(timeout=httpx.Timeout(60.0, connect=5.0)) as http:
        client = SyncClient(database, http)
        try:
            location = await client.enroll(hub_url, code, "demo-tablet")
            await client.sync_once()
        finally:
            client.close()
    return location


def describe(placed: list[Placed], store: str, echo: Echo) -> None:
    for order in placed:
        where = ", ".join(f"{loc} ({how})" for loc, how in order.shipments) or "nowhere"
        echo(f"  {order.order_id}  {order.status:<17} → {where}")
    example = next((p for p in placed if any(loc == store for loc, _ in p.shipments)), None)
    if example is not None:
        echo(f"\nWhy {example.order_id} went to {store}:\n  " + example.text.replace("\n", "\n  "))


def run_demo(config: DemoConfig, echo: Echo = print) -> int:
    headless = (not has_display()) if config.headless is None else config.headless
    if headless:
        echo(
            "No display found (no DISPLAY or WAYLAND_DISPLAY, and QT_QPA_PLATFORM names no window "
            "system): running the store app headless (QT_QPA_PLATFORM=offscreen) and saving a "
            "picture of each screen instead of opening a window."
        )
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    network = build_network(config.sizes)
    with tempfile.TemporaryDirectory(prefix="oms-demo-") as tmp:
        folder = Path(tmp)
        hub_db = Database.open(f"sqlite:///{folder / 'hub.db'}")
        store_db = Database.open(f"sqlite:///{folder / 'store.db'}")
        try:
            echo(
                f"Building {network.retailer} on the hub: {len(network.locations)} locations, "
                f"{len(network.products)} products (a few seconds)..."
            )
            setup = prepare_hub(hub_db, network, config.store)
            with EmbeddedHub(hub_db) as hub:
                echo(f"Hub listening on {hub.url} (OpenAPI at {hub.url}/docs).")
                start = utc_now() - timedelta(hours=1)
                orders = [
                    *store_orders(network, config.store, config.store_orders, start=start),
                    *order_stream(network, config.network_orders, start=start),
                ]
                echo(f"\nA web shop posts {len(orders)} orders to POST /v1/orders; the hub routes each:")
                describe(post_orders(hub.url, setup.integration_token, orders), config.store, echo)
                with store_db.transaction() as session:
                    add_demo_associates(session)
                location = asyncio.run(enrol_and_sync(store_db, hub.url, setup.enrolment_code))
                echo(f"\nStore {location}'s tablet enrolled with a one-time code and pulled its work.")
                if headless:
                    order_id = _headless(store_db, config, echo)
                    echo(f"The hub now says: {order_on_hub(hub.url, setup.integration_token, order_id)}.")
                    return 0
                from app.demo_window import run_window  # a window: Qt with a real platform

                more = store_orders(network, config.store, 50, start=utc_now(), seed=31, id_prefix="E")
                return run_window(store_db, hub.url, setup.integration_token, more, config, echo)
        finally:
            store_db.close()
            hub_db.close()
            echo("Hub stopped.")


def _headless(store_db: Database, config: DemoConfig, echo: Echo) -> str:
    """The offscreen run and what it made; returns the order it shipped."""
    from app.demo_headless import run_headless

    report = run_headless(store_db, config.out, echo)
    how = "by scanning on the Pick screen" if report.picked_on_screen else "through the store services"
    echo(
        f"\nOrder {report.order_id}: picked {how}, packed, label printed to PDF, shipped with tracking "
        f"number {report.tracking_number}, and {report.pushed} change(s) synced to the hub."
    )
    echo(f"\nPictures of each screen, the label and the packing slip are in {config.out}:")
    for path in report.pictures + report.documents:
        echo(f"  {path.name}")
    echo("\nOn a machine with a display, `oms demo` opens the app itself, signed in as Amy Rivera.")
    return report.order_id
