"""The watchdog itself: it must catch a UI thread that really is blocked."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from tests.ui.conftest import BLOCK_LIMIT_MS, Watchdog


def test_a_blocking_call_on_the_ui_thread_is_caught(qtbot: QtBot, ui_watchdog: Watchdog) -> None:
    dog = Watchdog()
    dog.start()
    QTimer.singleShot(20, lambda: time.sleep(0.2))  # a synchronous wait where the UI thread should not
    qtbot.wait(300)
    dog.stop()
    assert dog.worst_ms > BLOCK_LIMIT_MS
    assert "test_watchdog.py" in dog.report()  # the stall's report names the call that made it
    ui_watchdog.start()  # the block was on purpose: the test-wide watchdog starts afresh


def test_an_idle_ui_thread_is_not_blamed(qtbot: QtBot) -> None:
    dog = Watchdog()
    dog.start()
    qtbot.wait(200)
    dog.stop()
    assert dog.worst_ms < BLOCK_LIMIT_MS


def test_a_pause_leaves_out_the_tests_own_checks_and_keeps_what_came_before(
    qtbot: QtBot, ui_watchdog: Watchdog
) -> None:
    dog = Watchdog()
    dog.start()
    QTimer.singleShot(20, lambda: time.sleep(0.05))
    qtbot.wait(100)
    with dog.paused():
        time.sleep(0.2)  # reading back a file the app wrote: the test's work, not the app's
    qtbot.wait(50)
    dog.stop()
    assert 40 < dog.worst_ms < BLOCK_LIMIT_MS  # the 50 ms before the pause, not the 200 ms inside it
    dog.start()
    with dog.paused():
        pass
    QTimer.singleShot(20, lambda: time.sleep(0.2))
    qtbot.wait(300)
    dog.stop()
    assert dog.worst_ms > BLOCK_LIMIT_MS  # after a pause it watches again
    ui_watchdog.start()  # the blocks were on purpose: the test-wide watchdog starts afresh
