"""Work that is neither database nor network: PDFs and print jobs off the UI thread, previews soon.

Writing a PDF takes tens of milliseconds (14–54 ms for a label on a development VM, the first
one the slowest), and the UI thread must never stall (principle 6). Qt allows painting on
`QPdfWriter` from any thread, so those jobs run on one worker thread of their own (not the
database thread: a print job must not wait behind a sync) and answer on the UI thread through a
queued signal, like `ui.ops.OpRunner`.

A preview picture is the other way round (`paint_soon`): 2–3 ms of painting, mostly Python
calling into Qt, so on a worker it holds the interpreter lock that the UI thread needs for every
event it hands to Python, and each such event waits for the worker's turn to end. Painted on the
UI thread in a turn of its own, Pack's worst stall over five runs of its screen tests went from
70 to 52 ms (docs/BENCHMARKS.md).
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal

T = TypeVar("T")
log = logging.getLogger(__name__)


class BackgroundJobs(QObject):
    _finished = Signal(int, object, bool)
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="oms-docs")
        self._numbers = itertools.count(1)
        self._waiting: dict[int, tuple[Callable[[Any], None], Callable[[BaseException], None] | None]] = {}
        self._finished.connect(self._deliver)

    @property
    def pending(self) -> int:
        return len(self._waiting)

    def run(
        self,
        job: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: Callable[[BaseException], None] | None = None,
    ) -> int:
        number = next(self._numbers)
        self._waiting[number] = (on_done, on_error)
        if len(self._waiting) == 1:
            self.busy_changed.emit(True)
        self._pool.submit(self._work, number, job)
        return number

    def _work(self, number: int, job: Callable[[], Any]) -> None:
        try:
            result = job()
        except Exception as exc:  # handed to the screen that asked
            log.exception("background job %s failed", number)
            self._finished.emit(number, exc, False)
        else:
            self._finished.emit(number, result, True)

    def _deliver(self, number: int, payload: object, succeeded: bool) -> None:
        on_done, on_error = self._waiting.pop(number, (None, None))
        if not self._waiting:
            self.busy_changed.emit(False)
        if succeeded and on_done is not None:
            on_done(payload)
        elif not succeeded and on_error is not None:
            on_error(payload)  # type: ignore[arg-type]

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True)


def paint_soon(owner: QObject, paint: Callable[[], T], show: Callable[[T], None]) -> None:
    """Paint on the UI thread in a turn of its own (the one after this), then `show` the result;
    nothing happens if `owner` is gone by then."""
    QTimer.singleShot(0, owner, lambda: show(paint()))
