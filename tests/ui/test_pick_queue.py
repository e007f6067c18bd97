"""The pick queue on a store with many orders: a well-behaved model, SQL filtering, paging, countdowns."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt, QTimer
from pytestqt.qtbot import QtBot

from core.domain.inventory import utc_now
from core.services.pick_seed import seed_store_orders
from core.storage.database import Database
from tests.ui.conftest import Watchdog
from tests.ui.kit import Kit
from tests.ui.pick_kit import open_queue, tap_card
from ui.screens.pick_card import sla_text

ORDERS = 1500


@pytest.fixture
def store_db(store_db: Database) -> Database:
    with store_db.transaction() as session:
        seed_store_orders(session, ORDERS, products=300)
    return store_db


def _checked(qtmodeltester, model, dog: Watchdog) -> None:
    """The tester's own synchronous sweep (thousands of calls on the UI thread) is test work, not
    the app's: the watchdog pauses for it and keeps what it measured before and after."""
    worst = dog.worst_ms
    dog.stop()
    qtmodeltester.check(model)
    dog.start()
    dog.worst_ms = worst


def test_the_queue_model_passes_the_model_tester(
    qtbot: QtBot, kit: Kit, qtmodeltester, ui_watchdog: Watchdog
) -> None:
    screen = open_queue(qtbot, kit, rows=60)
    model = screen.queue.model
    assert model.total == ORDERS and model.canFetchMore()
    _checked(qtmodeltester, model, ui_watchdog)  # the tester calls fetchMore: a page is on its way
    qtbot.waitUntil(lambda: not model.loading and model.rowCount() == 120)
    _checked(qtmodeltester, model, ui_watchdog)
    model.set_filter("W0001", None)  # a reset while the tester watches
    qtbot.waitUntil(lambda: not model.loading and model.rowCount() == 60)
    assert model.total == 100


def test_rows_come_a_page_at_a_time_as_the_list_scrolls(qtbot: QtBot, kit: Kit) -> None:
    screen = open_queue(qtbot, kit, rows=60)
    view, model = screen.queue.view, screen.queue.model
    assert screen.queue.summary.text() == f"{ORDERS:,} orders to pick"
    for pages in (2, 3):
        view.scrollToBottom()
        view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())
        qtbot.waitUntil(lambda p=pages: model.rowCount() == 60 * p and not model.loading)
    promises = [model.row(i).promise_by for i in range(model.rowCount())]
    assert promises == sorted(promises)  # one order across pages: SQL sorted, pages appended in order
    assert len(set(model.ids())) == model.rowCount()


def test_search_and_method_filter_in_sql(qtbot: QtBot, kit: Kit) -> None:
    screen = open_queue(qtbot, kit, rows=60)
    queue, model = screen.queue, screen.queue.model
    qtbot.keyClicks(queue.search, "W00012", delay=40)  # a person typing: one query after the pause
    qtbot.waitUntil(lambda: model.total == 10 and not model.loading)  # W000120 … W000129
    assert all(model.row(i).order_id.startswith("W00012") for i in range(model.rowCount()))
    assert queue.summary.text() == "10 orders to pick (filtered)"
    queue.search.clear()
    qtbot.mouseClick(queue.method_buttons["pickup"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not model.loading and model.query.method == "pickup" and model.rowCount() > 0)
    assert 0 < model.total < ORDERS and {model.row(i).method for i in range(model.rowCount())} == {"pickup"}
    queue.search.setText("nobody-like-this")
    qtbot.waitUntil(lambda: model.query.text == "nobody-like-this" and not model.loading)
    assert model.rowCount() == 0 and queue.summary.text() == "No order matches."


def test_choosing_cards_shows_why_and_one_timer_drives_every_countdown(qtbot: QtBot, kit: Kit) -> None:
    screen = open_queue(qtbot, kit, rows=60)
    queue = screen.queue
    first, second = queue.model.ids()[:2]
    tap_card(qtbot, screen, first)
    qtbot.waitUntil(lambda: queue.why.detail is not None and queue.why.detail.row.fulfilment_id == first)
    assert queue.why.why_text.startswith("Routed to Store S01")
    tap_card(qtbot, screen, second)
    qtbot.waitUntil(lambda: queue.chosen_ids() == [first, second])
    assert queue.start_button.text() == "Start batch (2 orders)" and queue.start_button.isEnabled()
    assert queue.view.findChildren(QTimer) == [queue.ticker.timer]  # not a timer per card
    assert queue.ticker.timer.isActive()
    ticks = queue.ticker.ticks
    qtbot.waitUntil(lambda: queue.ticker.ticks > ticks, timeout=2500)


def test_countdown_words() -> None:
    now = utc_now()
    assert sla_text(None, now) == ("ok", "No promise time")
    assert sla_text(now - timedelta(minutes=12, seconds=5), now) == ("late", "Overdue 12 min")
    assert sla_text(now + timedelta(minutes=14, seconds=32), now) == ("soon", "Due in 14:32")
    assert sla_text(now + timedelta(hours=2, minutes=5), now) == ("ok", "Due in 2 h 05 min")
    assert sla_text(now + timedelta(days=1, hours=3), now) == ("ok", "Due in 1 d 3 h")
