"""Work that is neither database nor network, kept off the UI thread: PDFs and label pictures.

Writing a PDF or painting a label image takes tens of milliseconds, more the first time fonts load,
and the UI thread must never stall (principle 6). Qt allows painting on `QImage` and `QPdfWriter`
from any thread, so these jobs run on one worker thread of their own (not the database thread:
a print job must not wait behind a sync) and answer on the UI thread through a queued signal,
like `ui.ops.OpRunner`.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

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
