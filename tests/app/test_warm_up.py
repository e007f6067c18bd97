"""The warm-up imports and runs its jobs on its own thread, and says so on the UI thread."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.warm_up import WarmUp


def test_modules_are_imported_off_the_ui_thread_and_done_is_told_on_it(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "warm_probe.py").write_text("import threading\nIMPORTED_ON = threading.current_thread()\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "warm_probe", raising=False)
    told_on: list[threading.Thread] = []
    jobs_on: list[threading.Thread] = []

    def job() -> None:
        jobs_on.append(threading.current_thread())

    def failing_job() -> None:
        raise RuntimeError("a failing job does not stop the warm-up")

    warm_up = WarmUp(["warm_probe", "no_such_module_anywhere"], [failing_job, job])
    warm_up.done.connect(lambda: told_on.append(threading.current_thread()))
    with qtbot.waitSignal(warm_up.done, timeout=10_000):
        warm_up.start()
    warm_up.finish()
    assert sys.modules["warm_probe"].IMPORTED_ON is not threading.main_thread()
    assert len(jobs_on) == 1 and jobs_on[0] is sys.modules["warm_probe"].IMPORTED_ON
    qtbot.waitUntil(lambda: told_on == [threading.main_thread()])


def test_a_warm_up_finished_at_shutdown_tells_nobody_afterwards(qtbot: QtBot) -> None:
    """Its imports may end just as the window closes: what `done` starts would find the app gone."""
    warm_up = WarmUp(["json"])
    told: list[bool] = []
    warm_up.done.connect(lambda: told.append(True))
    warm_up.start()
    warm_up.finish()  # the thread has ended and queued its news, which nobody must hear now
    qtbot.wait(50)
    assert told == []
