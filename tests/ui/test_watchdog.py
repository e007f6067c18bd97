"""The watchdog itself: it must catch a UI thread that really waits or is kept busy, and only that."""

from __future__ import annotations

import os
import subprocess
import threading
import time

from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from tests.ui.conftest import TURN_LIMIT_MS, WAIT_LIMIT_MS, Watchdog


def _busy(seconds: float) -> None:
    """Work on a CPU, in Python, for `seconds`."""
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass


def test_a_blocking_call_on_the_ui_thread_is_caught_as_a_wait(qtbot: QtBot, ui_watchdog: Watchdog) -> None:
    dog = Watchdog()
    dog.start()
    QTimer.singleShot(20, lambda: time.sleep(0.2))  # a synchronous wait where the UI thread should not
    qtbot.wait(300)
    dog.stop()
    assert dog.worst_wait_ms > WAIT_LIMIT_MS and not dog.within_limits()
    assert "test_watchdog.py" in dog.report()  # the stall's report names the call that made it
    ui_watchdog.start()  # the block was on purpose: the test-wide watchdog starts afresh


def test_work_on_the_ui_thread_counts_against_the_turn_not_as_a_wait(
    qtbot: QtBot, ui_watchdog: Watchdog
) -> None:
    dog = Watchdog()
    dog.start()
    QTimer.singleShot(20, lambda: _busy(0.3))
    qtbot.wait(450)
    dog.stop()
    assert dog.worst_ms > TURN_LIMIT_MS and dog.worst_wait_ms < WAIT_LIMIT_MS and not dog.within_limits()
    assert "_busy" in dog.report()
    ui_watchdog.start()


def test_an_idle_ui_thread_is_not_blamed(qtbot: QtBot) -> None:
    dog = Watchdog()
    dog.start()
    qtbot.wait(200)
    dog.stop()
    assert dog.worst_ms < WAIT_LIMIT_MS and dog.within_limits()


def test_the_machine_stopping_the_whole_process_is_not_blamed_on_an_idle_ui_thread(
    qtbot: QtBot, ui_watchdog: Watchdog
) -> None:
    dog = Watchdog()
    # One watchdog at a time, as in every other test: a second one's ticks are the UI thread busy,
    # and the stop is on purpose.
    with ui_watchdog.paused():
        dog.start()
        me = os.getpid()  # stopped and resumed from outside, as a VM's host takes its CPU away
        outside = subprocess.Popen(["sh", "-c", f"sleep 0.05; kill -STOP {me}; sleep 0.25; kill -CONT {me}"])
        qtbot.wait(500)
        outside.wait()
        dog.stop()
    assert dog.worst_gap_ms > 200  # the stop was seen...
    assert dog.worst_ms < WAIT_LIMIT_MS  # ...and not charged to the screen


def _hold_the_interpreter_lock(seconds: float) -> None:
    """One C call that keeps the lock the whole time: `sum` over a range sized by a timed trial."""
    trial = time.perf_counter()
    sum(range(10**6))
    sum(range(int(10**6 * seconds / (time.perf_counter() - trial))))


def test_another_thread_holding_the_interpreter_lock_is_blamed(qtbot: QtBot, ui_watchdog: Watchdog) -> None:
    dog = Watchdog()
    dog.start()
    hog = threading.Thread(target=_hold_the_interpreter_lock, args=(0.4,))
    QTimer.singleShot(20, hog.start)
    qtbot.wait(600)
    hog.join()
    dog.stop()
    assert dog.worst_ms > TURN_LIMIT_MS  # idle in its loop, but it could not run a Python handler
    ui_watchdog.start()  # the block was on purpose: the test-wide watchdog starts afresh


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
    assert 40 < dog.worst_wait_ms < WAIT_LIMIT_MS  # the 50 ms before the pause, not the 200 ms inside it
    dog.start()
    with dog.paused():
        pass
    QTimer.singleShot(20, lambda: time.sleep(0.2))
    qtbot.wait(300)
    dog.stop()
    assert dog.worst_wait_ms > WAIT_LIMIT_MS  # after a pause it watches again
    ui_watchdog.start()  # the blocks were on purpose: the test-wide watchdog starts afresh
