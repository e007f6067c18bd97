"""Picking in the real window: scans typed as a wedge scanner types them, taps, wrong items, batches.

Real widgets and services on a temporary SQLite store database seeded through the sync path
(`tests.ui.pick_kit`), with the UI-thread watchdog of `conftest.py` active.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from core.storage.database import Database
from core.storage.models import Fulfilment, OutboxEvent, PickProgress
from tests.ui.kit import Kit
from tests.ui.pick_kit import barcode, open_queue, scan, seed_pick_store, start


@pytest.fixture
def store_db(store_db: Database) -> Database:
    seed_pick_store(store_db)
    return store_db


def _state(db: Database, fid: str) -> str:
    with db.transaction() as session:
        return session.get(Fulfilment, fid).state


def _steps(db: Database) -> list[tuple[str, str]]:
    with db.transaction() as session:
        rows = session.scalars(
            select(OutboxEvent).where(OutboxEvent.kind == "fulfilment").order_by(OutboxEvent.position)
        )
        return [(r.fulfilment_id or "", r.payload["action"]) for r in rows]


def test_single_order_is_picked_by_scanning(qtbot: QtBot, kit: Kit) -> None:
    screen = open_queue(qtbot, kit, rows=3)
    assert [screen.queue.model.row(i).order_id for i in range(3)] == [
        "W1",
        "W2",
        "W3",
    ]  # earliest promise first
    start(qtbot, kit, screen, "W1-S01")
    walk = screen.walk
    assert _state(kit.db, "W1-S01") == "picking"
    assert (
        walk.bin.text() == "A-01-2" and walk.product.text() == "Blue ceramic mug" and walk.qty.text() == "2"
    )
    scan(qtbot, barcode("SKU-1"))
    qtbot.waitUntil(lambda: walk.banner.outcome == "ok")
    assert walk.qty.text() == "1" and "1 more from this bin" in walk.banner.text.text()
    scan(qtbot, barcode("SKU-1"))
    qtbot.waitUntil(lambda: walk.bin.text() == "C-04-1")  # two mugs in: on to the tea towel
    scan(qtbot, barcode("SKU-2"))
    qtbot.waitUntil(lambda: walk.finish_button.isEnabled())
    assert walk.focusWidget() is None or walk.entry.field.text() == ""  # no digits leaked into a field
    qtbot.mouseClick(walk.finish_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not screen.walking and kit.store.ops.pending == 0)
    assert _state(kit.db, "W1-S01") == "picked"
    assert "Picked: W1" in screen.message.text()
    qtbot.waitUntil(lambda: screen.queue.model.ids() == ["W2-S01", "W3-S01"])
    assert _steps(kit.db) == [("W1-S01", "picking"), ("W1-S01", "picked")]


def test_batch_walk_takes_both_orders_in_bin_order(qtbot: QtBot, kit: Kit) -> None:
    screen = open_queue(qtbot, kit, rows=3)
    start(qtbot, kit, screen, "W2-S01", "W1-S01")
    walk = screen.walk
    tasks = walk.progress.walk.tasks
    assert [(t.shelf.code, t.sku, t.qty) for t in tasks] == [
        ("A-01-2", "SKU-1", 3),
        ("B-02-5", "SKU-3", 1),
        ("C-04-1", "SKU-2", 1),
    ]
    assert walk.portions.text() == "Tote A: 0 of 2\nTote B: 0 of 1"
    assert walk.totes.text() == "Totes: A = order W1 · B = order W2"
    seen, answers = [], []
    for sku in ("SKU-1", "SKU-1", "SKU-1", "SKU-3", "SKU-2"):
        seen.append(walk.bin.text())
        done = walk.progress.units_done
        scan(qtbot, barcode(sku))
        qtbot.waitUntil(lambda d=done: walk.progress.units_done == d + 1)
        answers.append(walk.banner.text.text())
    assert seen == ["A-01-2", "A-01-2", "A-01-2", "B-02-5", "C-04-1"]
    assert "into tote A (order W1)" in answers[0] and "into tote B (order W2)" in answers[2]
    qtbot.waitUntil(lambda: walk.finish_button.isEnabled())
    qtbot.mouseClick(walk.finish_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not screen.walking and kit.store.ops.pending == 0)
    assert (_state(kit.db, "W1-S01"), _state(kit.db, "W2-S01")) == ("picked", "picked")


def test_a_wrong_item_is_refused_loudly_and_records_nothing(qtbot: QtBot, kit: Kit) -> None:
    screen = open_queue(qtbot, kit, rows=3)
    start(qtbot, kit, screen, "W1-S01")
    walk = screen.walk
    sounds = kit.shell.main.settings.self_test.banner._sounds
    before = _steps(kit.db)
    scan(qtbot, barcode("SKU-2"))  # in the walk, but not this task
    qtbot.waitUntil(lambda: walk.banner.outcome == "error")
    assert walk.banner.glyph.text() == "✖" and "Wrong item: Linen tea towel" in walk.banner.text.text()
    if sounds is not None:
        assert sounds.last_played == "error"
    scan(qtbot, barcode("SKU-3"))  # a product of the store that this walk does not need
    qtbot.waitUntil(lambda: "(Brass desk lamp (SKU-3)) is not in this walk" in walk.banner.text.text())
    assert walk.progress.units_done == 0 and walk.qty.text() == "2" and walk.bin.text() == "A-01-2"
    assert _steps(kit.db) == before == [("W1-S01", "picking")]


def test_items_without_barcode_take_a_counted_tap_unless_the_store_forbids_it(qtbot: QtBot, kit: Kit) -> None:
    screen = open_queue(qtbot, kit, rows=3)
    start(qtbot, kit, screen, "W3-S01")
    walk = screen.walk
    assert walk.tap_button.isVisible() and walk.tap_button.isEnabled()
    qtbot.mouseClick(walk.tap_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: walk.finish_button.isEnabled())
    assert walk.banner.outcome == "ok"


def test_a_manager_can_forbid_taps(qtbot: QtBot, kit: Kit) -> None:
    screen = open_queue(qtbot, kit, rows=3, associate=("9001", "9876"))
    qtbot.waitUntil(lambda: screen.taps_button.isVisible() and screen.taps_button.isChecked())
    qtbot.mouseClick(screen.taps_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.taps_button.text() == "Taps forbidden" and kit.store.ops.pending == 0)
    start(qtbot, kit, screen, "W3-S01")
    walk = screen.walk
    assert walk.tap_button.isVisible() and not walk.tap_button.isEnabled()
    walk.tap()  # even a stray call is refused by the walk itself
    assert walk.banner.outcome == "error" and "does not allow" in walk.banner.text.text()
    assert walk.progress.units_done == 0


def test_every_pick_target_is_at_least_48_px(qtbot: QtBot, kit: Kit) -> None:
    screen = open_queue(qtbot, kit, rows=3)
    start(qtbot, kit, screen, "W1-S01")
    screen.walk.open_short()
    qtbot.waitUntil(lambda: screen.walk.short_open and kit.store.ops.pending == 0)
    buttons = [b for b in screen.findChildren(QPushButton) if b.isVisible()]
    assert len(buttons) >= 8
    for button in buttons:
        assert button.height() >= 48 and button.width() >= 48, button.text()
    assert screen.queue.view.sizeHintForRow(0) >= 96  # a card is two targets tall


def test_a_walk_left_or_lost_carries_on_from_the_totes(qtbot: QtBot, kit: Kit) -> None:
    """Leaving the walk drops its progress from memory, as closing the app would: starting the
    order again must take what is in the tote from the database."""
    screen = open_queue(qtbot, kit, rows=3)
    start(qtbot, kit, screen, "W1-S01")
    scan(qtbot, barcode("SKU-1"))  # one of two mugs in the tote
    qtbot.waitUntil(lambda: screen.walk.banner.outcome == "ok" and kit.store.ops.pending == 0)
    qtbot.mouseClick(screen.walk.leave_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.walk.leave_button, Qt.MouseButton.LeftButton)  # tap again to leave
    qtbot.waitUntil(lambda: not screen.walking)

    start(qtbot, kit, screen, "W1-S01")  # still `picking`: the walk carries on
    walk = screen.walk
    assert walk.banner.text.text().startswith("Carrying on: 1 unit already in the totes.")
    assert walk.bin.text() == "A-01-2" and walk.qty.text() == "1"  # one mug left, not two
    scan(qtbot, barcode("SKU-1"))
    scan(qtbot, barcode("SKU-2"))
    qtbot.waitUntil(lambda: walk.finish_button.isEnabled())
    qtbot.mouseClick(walk.finish_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not screen.walking and kit.store.ops.pending == 0)
    assert _state(kit.db, "W1-S01") == "picked"
    with kit.db.transaction() as session:
        assert session.scalars(select(PickProgress)).all() == []  # the totes are handed on
