"""Operations: one-line service calls that run on the database thread and answer on the UI thread.

In the spirit of Anki's `aqt.operations`: a screen says *what* to run and what to do with the
answer, never *how*. Every call runs inside one `transaction()` (a unit of work: committed when
the call returns, rolled back whole when it raises) on a single dedicated worker thread, because a
SQLAlchemy session belongs to one thread and SQLite serialises writers anyway. The result comes
back through a queued Qt signal, so the UI thread never waits on the database (principle 6).

After every successful operation `changed` is emitted with the tags the caller declared, so other
views refresh themselves (Anki's `operation_did_execute`) instead of being told by the caller.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from core.domain.errors import OmsError

T = TypeVar("T")
# A service call bound to its arguments, waiting for the session: `lambda s: sign_in(s, id, pin)`.
Op = Callable[[Any], T]
TransactionFactory = Callable[[], AbstractContextManager[Any]]

log = logging.getLogger(__name__)


def person_message(exc: BaseException) -> str:
    """What to show a person: our own refusals as written, anything else as a plain apology."""
    if isinstance(exc, OmsError):
        return exc.message
    return f"Something went wrong ({type(exc).__name__}). The change was not saved; please try again."


class OpRunner(QObject):
    """Runs operations one at a time, in order, on the database thread."""

    # (operation number, result or exception, succeeded) — emitted on the worker, received on the UI thread
    _finished = Signal(int, object, bool)
    changed = Signal(object)  # frozenset of tags, after an operation succeeded
    failed = Signal(str)  # a person-readable message, for operations without their own error handler
    busy_changed = Signal(bool)

    def __init__(self, transaction: TransactionFactory, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._transaction = transaction
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="oms-db")
        self._numbers = itertools.count(1)
        self._waiting: dict[
            int, tuple[Callable[[Any], None] | None, Callable[[BaseException], None] | None, frozenset[str]]
        ] = {}
        self._finished.connect(self._deliver)
        self._closed = False

    @property
    def pending(self) -> int:
        return len(self._waiting)

    def run(
        self,
        call: Op[T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        *,
        changes: Iterable[str] = (),
    ) -> int:
        """Queue `call(session)`; `on_done(result)` or `on_error(exc)` later runs on the UI thread."""
        number = next(self._numbers)
        self._waiting[number] = (on_done, on_error, frozenset(changes))
        if len(self._waiting) == 1:
            self.busy_changed.emit(True)
        self._pool.submit(self._work, number, call)
        return number

    def _work(self, number: int, call: Op[Any]) -> None:
        """On the worker thread: one unit of work, then hand the answer to the UI thread."""
        try:
            with self._transaction() as session:
                result = call(session)
        except Exception as exc:  # every failure goes back to the screen that asked
            if not isinstance(exc, OmsError):
                log.exception("operation %s failed", number)
            self._finished.emit(number, exc, False)
        else:
            self._finished.emit(number, result, True)

    def _deliver(self, number: int, payload: object, succeeded: bool) -> None:
        if self._closed:  # an answer queued before shutdown: its screen may be gone already
            return
        on_done, on_error, changes = self._waiting.pop(number, (None, None, frozenset()))
        if not self._waiting:
            self.busy_changed.emit(False)
        if succeeded:
            if on_done is not None:
                on_done(payload)
            if changes:
                self.changed.emit(changes)
        elif on_error is not None:
            on_error(payload)  # type: ignore[arg-type]
        else:
            self.failed.emit(person_message(payload))  # type: ignore[arg-type]

    def shutdown(self) -> None:
        """Finish queued work and stop the thread (at exit; pending answers are dropped)."""
        self._closed = True
        self._pool.shutdown(wait=True, cancel_futures=False)
        self._waiting.clear()


def run_op(
    runner: OpRunner,
    call: Op[T],
    on_done: Callable[[T], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    *,
    changes: Iterable[str] = (),
) -> int:
    """The one-line form screens use: `run_op(self.ops, lambda s: svc(s, ...), self._show)`."""
    return runner.run(call, on_done, on_error, changes=changes)
