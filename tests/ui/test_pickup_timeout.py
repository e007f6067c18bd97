"""The unclaimed timeout with a moved clock: the app's pickup timer cancels an order nobody
collected, e-mails the customer, and opens restock tasks; the units stay out of sellable stock
until scanned back on the Pickup screen's restock list (a task label: all of them; a product's
barcode: one unit)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.pickup_timer import PickupTimer
from core.domain.inventory import Bucket
from core.services.mail_senders import FolderSender
from core.services.pickup import get_pickup
from core.storage.database import Database
from tests.core.pickup_kit import T0, level, staged
from tests.ui.pickup_kit import BARCODES, PickupKit, screen_on, settle, store_at


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Database]:
    with store_at(tmp_path) as db:
        staged(db, "W1-S01", [("SKU-1", 2), ("SKU-2", 1)], at=T0)
        yield db


@pytest.fixture
def kit(qtbot: QtBot, store: Database) -> Iterator[PickupKit]:
    with screen_on(qtbot, store) as built:
        yield built


def run_timer(qtbot: QtBot, kit: PickupKit, folder: Path, days: float) -> PickupTimer:
    timer = PickupTimer(
        kit.ops, kit.db.transaction, FolderSender(folder), clock=lambda: T0 + timedelta(days=days)
    )
    with qtbot.waitSignal(timer.ran, timeout=20_000):  # a round on a busy machine, not a speed check
        timer.run_once()
    timer.stop()
    return timer


def subjects(folder: Path) -> list[str]:
    mails = [message_from_bytes(p.read_bytes(), policy=policy.default) for p in folder.glob("*.eml")]
    return sorted(str(m["Subject"]) for m in mails)


def test_an_unclaimed_order_is_cancelled_and_its_stock_sellable_only_once_scanned_back(
    qtbot: QtBot, kit: PickupKit, store: Database, tmp_path: Path
) -> None:
    folder = tmp_path / "mail"
    sellable = level(store, "SKU-1")
    run_timer(qtbot, kit, folder, days=1.5)  # a reminder, still waiting
    assert subjects(folder) == [
        "Reminder: order W1 is waiting for you",
        "Your order W1 is ready for pickup",
    ]
    qtbot.waitUntil(lambda: "W1-S01" in kit.screen.search.tiles)

    run_timer(qtbot, kit, folder, days=7)  # the claim-by date
    qtbot.waitUntil(lambda: "W1-S01" not in kit.screen.search.tiles)  # the list refreshed itself
    assert any("cancelled" in s for s in subjects(folder))
    with store.transaction() as session:
        assert get_pickup(session, "W1-S01").state == "unclaimed"
    assert level(store, "SKU-1", Bucket.QUARANTINE) == 2 and level(store, "SKU-1") == sellable - 2
    qtbot.waitUntil(lambda: kit.screen.search.restock_button.text() == "Restock tasks (2)")

    qtbot.mouseClick(kit.screen.search.restock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(kit.screen.restock.tiles) == 2)
    [shirts] = [t for t in kit.screen.restock.tasks if t.sku == "SKU-1"]
    assert "2 to put back" in kit.screen.restock.tiles[shirts.id].text()

    kit.screen.handle_scan(BARCODES["SKU-3"], "enter")  # nothing waits for it: refused, nothing moved
    settle(qtbot, kit)
    assert kit.screen.banner.outcome == "error" and "no restock task waits" in kit.screen.banner.text.text()
    kit.screen.handle_scan(BARCODES["SKU-2"], "enter")
    kit.screen.handle_scan(shirts.code, "enter")  # the task's label: both shirts at once
    settle(qtbot, kit)
    qtbot.waitUntil(lambda: len(kit.screen.restock.tiles) == 0)
    assert "(task done)" in kit.screen.banner.text.text()
    assert level(store, "SKU-1", Bucket.QUARANTINE) == 0 and level(store, "SKU-1") == sellable
    assert level(store, "SKU-2", Bucket.QUARANTINE) == 0
