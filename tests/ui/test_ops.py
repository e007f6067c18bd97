"""The operation runner: work on one database thread, answers on the UI thread, UI never waits."""

from __future__ import annotations

import threading
import time

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from core.domain.errors import NotFoundError
from core.storage.database import Database
from ui.ops import OpRunner, person_message, run_op


def test_results_come_back_on_the_ui_thread_in_order(qtbot: QtBot, store_db: Database) -> None:
    runner = OpRunner(store_db.transaction)
    worker_threads: set[str] = set()
    answers: list[tuple[int, bool]] = []

    def call(number: int):
        def op(session: object) -> int:
            worker_threads.add(threading.current_thread().name)
            time.sleep(0.05)  # slow work: the UI thread keeps ticking (the watchdog checks)
            return number

        return op

    for number in range(5):
        run_op(
            runner,
            call(number),
            lambda n: answers.append((n, threading.current_thread() is threading.main_thread())),
        )
    assert runner.pending == 5
    qtbot.waitUntil(lambda: len(answers) == 5, timeout=3000)
    assert answers == [(n, True) for n in range(5)]
    assert len(worker_threads) == 1 and next(iter(worker_threads)).startswith("oms-db")
    runner.shutdown()


def test_a_refusal_reaches_the_error_handler_and_rolls_back(qtbot: QtBot, store_db: Database) -> None:
    runner = OpRunner(store_db.transaction)
    errors: list[BaseException] = []

    def refuse(session: object) -> None:
        raise NotFoundError("no order X1", field="order_id")

    runner.run(refuse, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert person_message(errors[0]) == "no order X1"
    with qtbot.waitSignal(runner.failed) as failed:
        runner.run(lambda s: 1 / 0)
    assert "was not saved" in failed.args[0]
    runner.shutdown()


def test_changes_are_broadcast_after_success(qtbot: QtBot, store_db: Database) -> None:
    runner = OpRunner(store_db.transaction)
    with qtbot.waitSignal(runner.changed) as changed:
        runner.run(lambda s: None, changes=["associates"])
    assert changed.args == [frozenset({"associates"})]
    runner.shutdown()


def test_answers_queued_before_shutdown_are_dropped(qtbot: QtBot, store_db: Database) -> None:
    """A screen torn down with work in flight must not hear back from it (its widgets are gone)."""
    runner = OpRunner(store_db.transaction)
    answers: list[int] = []
    ran = threading.Event()

    def op(session: object) -> int:
        ran.set()
        return 1

    runner.run(op, answers.append)
    assert ran.wait(5)
    runner.shutdown()  # the answer's signal is queued on the UI thread, not yet delivered
    QApplication.processEvents()  # delivers the queued answer's signal
    assert answers == [] and runner.pending == 0
