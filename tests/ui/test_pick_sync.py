"""Picking against a real hub in process: a short pick is re-routed and the associate sees where it
went; a walk finished while the hub is unreachable loses nothing and reaches the hub afterwards.

The hub is the FastAPI app on its own SQLite file (`tests.sync.hub_harness.Hub`), reached through
httpx's ASGI transport; the store is the real app (non-demo), enrolled with a one-time code.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from app.store_app import assemble
from core.domain.picking import ShortReason
from core.storage.database import Database
from core.storage.models import Fulfilment, OutboxEvent, StockPosition
from sync.client import HubUnavailableError
from tests.factories import order_json
from tests.sync.hub_harness import HUB_URL, Hub
from tests.ui.kit import Kit, close_kit
from tests.ui.pick_kit import barcode, open_queue, run_async, scan, start

BINS = {"SKU-1": "A-01-2", "SKU-2": "C-04-1", "SKU-3": "B-02-5"}


class HubLine(httpx.AsyncBaseTransport):
    """The store's network to the hub; `offline = True` pulls the plug (connection refused)."""

    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        self.offline = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.offline:
            raise httpx.ConnectError("the hub is unreachable (test)", request=request)
        response = await self.hub.asgi.handle_async_request(request)
        body = await response.aread()
        return httpx.Response(response.status_code, headers=response.headers, content=body)


@dataclass
class HubKit:
    kit: Kit
    hub: Hub
    line: HubLine
    w1: str  # SKU-1 × 2, SKU-2 × 1
    w2: str  # SKU-3 × 1

    def sync(self, qtbot: QtBot) -> None:
        run_async(qtbot, self.kit.store.client.sync_once())

    def hub_state(self, fid: str) -> str:
        with self.hub.db.transaction() as session:
            return session.get(Fulfilment, fid).state


def _ship_to_s01(order_id: str, lines: list[tuple[str, int]]) -> dict:
    order = order_json(order_id)
    order["delivery"]["postal_code"] = "60601"  # S01's own postal code: S01 is the closest store
    order["lines"] = [{"sku": sku, "qty": qty, "unit_price": "9.99"} for sku, qty in lines]
    return order


@pytest.fixture
def hub_kit(qtbot: QtBot, qapp: QApplication, store_db: Database, tmp_path: Path) -> Iterator[HubKit]:
    hub = Hub(tmp_path / "hub.db")
    with hub.db.transaction() as session:
        for sku, code in BINS.items():
            session.execute(update(StockPosition).where(StockPosition.sku == sku).values(bin_code=code))
    [w1] = hub.route(_ship_to_s01("W1", [("SKU-1", 2), ("SKU-2", 1)]))
    [w2] = hub.route(_ship_to_s01("W2", [("SKU-3", 1)]))
    line = HubLine(hub)
    store = assemble(qapp, store_db, http=httpx.AsyncClient(transport=line, timeout=5.0))
    qtbot.addWidget(store.shell)
    store.shell.resize(1280, 800)
    store.shell.show()
    store.shell.start()
    qtbot.waitUntil(lambda: store.shell.page == "setup")
    run_async(qtbot, store.client.enroll(HUB_URL, hub.code("S01"), "tablet-S01"))
    run_async(qtbot, store.client.sync_once())  # the snapshot: catalog, stock with bins, both orders
    store.shell.show_sign_in()
    qtbot.waitUntil(lambda: len(store.shell.sign_in.cards) == 3)
    qtbot.waitUntil(lambda: store.shell.main.prepared)
    kit = Kit(store, store_db)
    yield HubKit(kit, hub, line, w1, w2)
    close_kit(kit)
    hub.close()


def _pending(db: Database) -> list[str]:
    with db.transaction() as session:
        rows = session.scalars(
            select(OutboxEvent).where(OutboxEvent.state == "pending").order_by(OutboxEvent.position)
        )
        return [r.payload.get("action") or r.payload.get("reason") for r in rows]


def test_a_short_pick_is_rerouted_by_the_hub_and_the_associate_sees_where_it_went(
    qtbot: QtBot, hub_kit: HubKit
) -> None:
    kit = hub_kit.kit
    screen = open_queue(qtbot, kit, rows=2)
    screen.notice_timer.setInterval(50)  # poll the hub's notes quickly for the test
    start(qtbot, kit, screen, hub_kit.w1)
    walk = screen.walk
    assert walk.bin.text() == "A-01-2" and walk.qty.text() == "2"
    qtbot.mouseClick(walk.short_button, Qt.MouseButton.LeftButton)
    panel = walk.short_panel
    qtbot.waitUntil(lambda: walk.short_open and "No other bin" in panel.look.text())
    qtbot.mouseClick(panel.minus, Qt.MouseButton.LeftButton)  # 1 of the 2 mugs is missing
    qtbot.mouseClick(panel.reason_buttons[ShortReason.NOT_FOUND], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.confirm_button.isEnabled())
    assert "Sets ATP of SKU-1 at this store to 0" in panel.effects.text()
    assert "Takes 1 × Product SKU-1 off order W1" in panel.effects.text()
    qtbot.mouseClick(panel.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not walk.short_open and walk.banner.outcome == "warn")
    assert walk.qty.text() == "1"
    assert _pending(kit.db) == ["picking", "reject_lines", "adjustment"]

    hub_kit.sync(qtbot)  # one sync: the hub re-routes the mug and says where it went
    with hub_kit.hub.db.transaction() as session:
        moved = session.scalars(
            select(Fulfilment).where(Fulfilment.order_id == "W1", Fulfilment.id != hub_kit.w1)
        ).all()
        assert [(f.location_code, [(ln.sku, ln.qty) for ln in f.lines]) for f in moved] and all(
            f.location_code != "S01" for f in moved
        )
        where = moved[0].location_code
    qtbot.waitUntil(lambda: screen.notice_strip.isVisible())
    assert (
        "SKU-1 × 1 taken off" in screen.notice_text.text()
        and f"routed to {where}" in screen.notice_text.text()
    )
    screen.queue.refresh()
    qtbot.waitUntil(lambda: not screen.queue.model.loading and bool(screen.queue.model.row(0).rerouted))
    assert f"routed to {where}" in screen.queue.model.row(0).rerouted

    scan(qtbot, barcode("SKU-1"))  # the walk goes on with what is left
    qtbot.waitUntil(lambda: walk.bin.text() == "C-04-1")
    scan(qtbot, barcode("SKU-2"))
    qtbot.waitUntil(lambda: walk.finish_button.isEnabled())
    qtbot.mouseClick(walk.finish_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not screen.walking and kit.store.ops.pending == 0)
    qtbot.mouseClick(screen.got_it, Qt.MouseButton.LeftButton)
    assert not screen.notice_strip.isVisible()
    hub_kit.sync(qtbot)
    assert hub_kit.hub_state(hub_kit.w1) == "picked" and _pending(kit.db) == []


def test_going_offline_mid_pick_loses_nothing(qtbot: QtBot, hub_kit: HubKit) -> None:
    kit = hub_kit.kit
    screen = open_queue(qtbot, kit, rows=2)
    start(qtbot, kit, screen, hub_kit.w2)
    hub_kit.sync(qtbot)
    assert hub_kit.hub_state(hub_kit.w2) == "picking"

    hub_kit.line.offline = True  # the store's network drops in the middle of the walk
    scan(qtbot, barcode("SKU-3"))
    qtbot.waitUntil(lambda: screen.walk.finish_button.isEnabled())
    qtbot.mouseClick(screen.walk.finish_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not screen.walking and kit.store.ops.pending == 0)
    assert "Picked: W2" in screen.message.text()  # the associate is not held up by the network
    with pytest.raises(HubUnavailableError):
        hub_kit.sync(qtbot)
    assert _pending(kit.db) == ["picked"] and hub_kit.hub_state(hub_kit.w2) == "picking"
    status = kit.shell.main.status
    status.poll()
    qtbot.waitUntil(lambda: status.status is not None and status.status.online is False)
    assert "Offline: working locally · 1 change waiting to send" in status.sync.text()

    hub_kit.line.offline = False
    hub_kit.sync(qtbot)
    assert _pending(kit.db) == [] and hub_kit.hub_state(hub_kit.w2) == "picked"
    status.poll()
    qtbot.waitUntil(lambda: status.status is not None and status.status.online and status.status.pending == 0)
