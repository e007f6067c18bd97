"""Returns through the screen against the real hub in process: a click-and-collect order is collected
at S01, then its units come back one condition at a time. After one sync each time the hub sees
them where the condition sent them: sellable, damaged, quarantine, and sellable again once the
inspection is decided on the screen."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.store_returns import returns_services
from core.domain.handover import bag_code
from core.domain.returns import Condition, ReturnReason
from core.services.pickup import stage_for_pickup
from core.services.pickup_handover import complete_handover, scan_for_handover
from core.services.pickup_verify import verify_code
from core.services.store_ops import record_fulfilment_action
from tests.core.pickup_kit import PNG
from tests.sync.client_support import assert_consistent, balances, ledger_ids
from tests.sync.hub_harness import Hub, Store, pickup_order
from tests.ui.hub_store import enrolled_s01, on_screen
from tests.ui.pick_kit import run_async
from tests.ui.returns_kit import AMY, Clock, ReturnsKit, confirm, open_order, settle_garbage, take_back
from ui.ops import OpRunner
from ui.screens.returns import ReturnsScreen
from ui.sounds import ScanSounds


@dataclass
class Counter:
    kit: ReturnsKit
    hub: Hub
    store: Store

    def sync(self, qtbot: QtBot) -> None:
        run_async(qtbot, self.store.client.sync_once())

    def at_hub(self, bucket: str) -> dict[str, int]:
        return self.hub.balances("S01", bucket)


@pytest.fixture
def counter(qtbot: QtBot, tmp_path: Path) -> Iterator[Counter]:
    """S01 enrolled at the hub; order W9 (one each of SKU-1, SKU-2, SKU-3) collected there, synced."""
    with enrolled_s01(qtbot, tmp_path) as (hub, store):
        [fid] = hub.route(pickup_order("W9", "S01", [("SKU-1", 1), ("SKU-2", 1), ("SKU-3", 1)]))
        run_async(qtbot, store.client.sync_once())
        with store.db.transaction() as session:
            for action in ("picking", "picked", "packed"):
                record_fulfilment_action(session, fid, action)
            code = stage_for_pickup(session, fid, bags=1).code
        with store.db.transaction() as session:
            assert verify_code(session, fid, code).ok
            scan_for_handover(session, fid, bag_code(fid, 1, 1))
            complete_handover(session, fid, signature=PNG)
        run_async(qtbot, store.client.sync_once())
        ops = OpRunner(store.db.transaction)
        screen = ReturnsScreen(ops, returns_services("tablet-S01", documents_dir=tmp_path / "docs"), None)
        on_screen(qtbot, screen, AMY)
        qtbot.waitUntil(lambda: ops.pending == 0)
        settle_garbage()
        yield Counter(
            ReturnsKit(screen, ops, store.db, Clock(), ScanSounds(enabled=False), tmp_path / "docs"),
            hub,
            store,
        )
        screen.close_jobs()
        ops.shutdown()
    settle_garbage()


def test_each_condition_reaches_the_hubs_stock_after_one_sync(qtbot: QtBot, counter: Counter) -> None:
    kit, screen = counter.kit, counter.kit.screen
    sellable, damaged = counter.at_hub("sellable"), counter.at_hub("damaged")
    assert (sellable["SKU-1"], sellable["SKU-2"], sellable["SKU-3"]) == (9, 9, 9)  # collected

    open_order(qtbot, kit, "W9")  # opened, as new: back on sale here at once
    take_back(qtbot, screen.sheet.rows[0], 1, ReturnReason.WRONG_SIZE, Condition.OPENED)
    confirm(qtbot, kit)
    assert balances(kit.db, "S01")["SKU-1"] == 10  # sellable in the store at once
    counter.sync(qtbot)
    assert counter.at_hub("sellable")["SKU-1"] == 10  # and in the network after one sync

    qtbot.mouseClick(screen.done.next_button, Qt.MouseButton.LeftButton)
    open_order(qtbot, kit, "W9")
    assert "returned before" not in screen.sheet.rows[1].limit.text()
    assert not screen.sheet.rows[0].controls.isVisibleTo(screen.sheet.rows[0])  # SKU-1 is back already
    take_back(qtbot, screen.sheet.rows[1], 1, ReturnReason.DAMAGED_IN_TRANSIT, Condition.DAMAGED)
    take_back(qtbot, screen.sheet.rows[2], 1, ReturnReason.DEFECTIVE, Condition.UNVERIFIED)
    confirm(qtbot, kit)
    assert "inspection task" in screen.done.units.text()
    counter.sync(qtbot)
    assert counter.at_hub("damaged").get("SKU-2", 0) == damaged.get("SKU-2", 0) + 1
    assert counter.at_hub("quarantine")["SKU-3"] == 1 and counter.at_hub("sellable")["SKU-3"] == 9

    qtbot.mouseClick(screen.done.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.find.inspections_button.text() == "Inspections (1)")
    qtbot.mouseClick(screen.find.inspections_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(screen.inspection.rows) == 1)
    [row] = screen.inspection.rows.values()
    assert "1 × Product SKU-3" in row.title.text()
    qtbot.mouseClick(row.plus, Qt.MouseButton.LeftButton)  # looked it over: fit to sell
    assert row.split.text() == "1 back on sale · 0 to damaged stock"
    qtbot.mouseClick(row.record_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not screen.inspection.rows and kit.ops.pending == 0)
    assert "Nothing waits for inspection" in screen.inspection.summary.text()
    counter.sync(qtbot)
    assert counter.at_hub("quarantine").get("SKU-3", 0) == 0 and counter.at_hub("sellable")["SKU-3"] == 10
    assert ledger_ids(kit.db, "S01") == counter.hub.ledger_ids("S01")
    assert_consistent(kit.db)
    assert_consistent(counter.hub.db)
