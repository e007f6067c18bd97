"""`oms demo`: the display check, the orders it aims at the demo store, the embedded hub's clean
stop, and the whole headless run as a real process (a small retailer), PNGs and PDFs included."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from PySide6.QtGui import QImage

from app.demo import has_display
from app.demo_hub import EmbeddedHub, post_orders, prepare_hub
from core.demo.network import DemoSizes, build_network
from core.demo.store_orders import store_orders, well_stocked
from core.storage.database import Database

SMALL = DemoSizes(stores=3, skus=60)


@pytest.mark.parametrize(
    ("env", "platform", "expected"),
    [
        ({}, "linux", False),
        ({"DISPLAY": ":0"}, "linux", True),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", True),
        ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, "linux", False),
        ({"QT_QPA_PLATFORM": "minimal"}, "linux", False),
        ({"QT_QPA_PLATFORM": "xcb"}, "linux", True),
        ({"QT_QPA_PLATFORM": "eglfs"}, "linux", True),
        ({}, "darwin", True),
        ({}, "win32", True),
    ],
)
def test_a_display_is_detected_from_the_environment(
    env: dict[str, str], platform: str, expected: bool
) -> None:
    assert has_display(env, platform) is expected


def test_store_orders_are_pickups_there_or_shipped_nearby_with_stock_it_holds() -> None:
    network = build_network(SMALL)
    held = set(well_stocked(network, "S01"))
    orders = list(store_orders(network, "S01", 12, start=datetime(2026, 11, 26, 9, tzinfo=UTC)))
    assert len({o.id for o in orders}) == 12
    methods = {o.delivery.method.value for o in orders}
    assert methods == {"pickup", "ship"}
    for order in orders:
        assert {line.sku for line in order.lines} <= held
        if order.delivery.method.value == "pickup":
            assert order.delivery.pickup_location == "S01"
        else:
            assert (order.delivery.postal_code or "").startswith("606")  # around The Loop, Chicago


def test_the_embedded_hub_routes_orders_and_stops_cleanly(tmp_path: Path) -> None:
    network = build_network(SMALL)
    database = Database.open(str(tmp_path / "hub.db"))
    setup = prepare_hub(database, network, "S01")
    orders = list(store_orders(network, "S01", 3, start=datetime(2026, 11, 26, 9, tzinfo=UTC)))
    with EmbeddedHub(database) as hub:
        assert httpx.get(f"{hub.url}/healthz", timeout=10).json()["status"] == "ok"
        placed = post_orders(hub.url, setup.integration_token, orders)
        assert [p.status for p in placed] == ["routed"] * 3
        assert any(loc == "S01" for p in placed for loc, _ in p.shipments)
        port = hub.port
    with socket.socket() as sock:  # nothing listens any more
        assert sock.connect_ex(("127.0.0.1", port)) != 0
    database.close()


def test_the_headless_demo_runs_end_to_end(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    out = tmp_path / "demo"
    command = [
        sys.executable,
        "-m",
        "app.cli.main",
        "demo",
        "--small",
        "--orders",
        "6",
        "--network-orders",
        "3",
    ]
    done = subprocess.run(
        [*command, "--out", str(out)], env=env, capture_output=True, text=True, timeout=240, check=False
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    said = done.stdout
    assert "No display found" in said and "Hub stopped." in said
    assert "Store S01's tablet enrolled" in said and "Why D0000001 went to S01" in said
    assert " is shipped (" in said  # the hub saw the store's shipment after the sync
    pictures = {p.name for p in out.glob("*.png")}
    screens = {
        "1-sign-in.png",
        "4-pack-list.png",
        "5-pack-verify.png",
        "6-pack-label.png",
        "7-shipped-and-synced.png",
    }
    assert screens <= pictures
    for name in screens:
        image = QImage(str(out / name))
        assert (image.width(), image.height()) == (1280, 800)
    labels = list(out.glob("label-*.pdf"))
    slips = list(out.glob("slip-*.pdf"))
    assert len(labels) == 1 and len(slips) == 1
    assert labels[0].read_bytes().startswith(b"%PDF") and labels[0].with_suffix(".png").exists()


WINDOW_RUN = """
import os, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from app.demo import DemoConfig, run_demo
from core.demo.network import DemoSizes

app = QApplication(["oms-demo-test"])
def close_when_signed_in():
    windows = [w for w in app.topLevelWidgets() if w.isVisible() and hasattr(w, "page")]
    if windows and windows[0].page == "main" and app.property("orders_seen"):
        app.closeAllWindows()  # what closing the window does
    else:
        QTimer.singleShot(200, close_when_signed_in)
def echo(text):
    print(text, flush=True)
    if "new web order" in text:
        app.setProperty("orders_seen", True)
QTimer.singleShot(200, close_when_signed_in)
config = DemoConfig(sizes=DemoSizes(stores=3, skus=60), store_orders=3, network_orders=1,
                    out=Path(sys.argv[1]), headless=False, trickle_seconds=0.5)
sys.exit(run_demo(config, echo))
"""


def test_the_window_demo_signs_in_takes_new_orders_and_stops_the_hub_when_closed(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}  # a window, drawn offscreen
    done = subprocess.run(
        [sys.executable, "-c", WINDOW_RUN, str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    said = done.stdout
    assert "signed in as Amy Rivera" in said and "new web order E0000001" in said
    assert said.rstrip().endswith("Hub stopped.")
