"""Imports what the workspace will need on a background thread, once the first page is painted.

Left to the UI thread, those imports (the sync client with httpx and pydantic, the core services
behind Pick and Pack, the screens' modules: about 0.5 s of CPU) would stall it for as long, just
when someone taps their name. Python imports are thread-safe: the UI thread keeps turning between
GIL switches, and a screen opened meanwhile waits only for the module it needs. Nothing here
builds a widget. After the imports it runs the `jobs` it was given (plain work that would also
stall the UI thread, such as making the HTTP client); `done` fires on the UI thread when all is
in, and the composition root builds the screens and starts the relay then.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from importlib import import_module

from PySide6.QtCore import QObject, Qt, Signal

log = logging.getLogger(__name__)


class WarmUp(QObject):
    done = Signal()  # on the thread that owns this object, so plain functions connected run there
    _imported = Signal()  # from the background thread, queued into `done`

    def __init__(
        self,
        modules: Sequence[str],
        jobs: Sequence[Callable[[], object]] = (),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._imported.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._modules, self._jobs = tuple(modules), tuple(jobs)
        self._thread: threading.Thread | None = None
        self._finished = False

    def start(self) -> None:
        if self._thread is None and not self._finished:
            self._thread = threading.Thread(target=self._run, name="warm-up", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        for name in self._modules:
            try:
                import_module(name)
            except Exception:  # the UI thread's own import of it will raise where it matters
                log.exception("could not import %s ahead of use", name)
        for job in self._jobs:
            try:
                job()
            except Exception:  # done again on the UI thread when needed, where it will raise
                log.exception("warm-up job %r failed", job)
        self._imported.emit()

    def _deliver(self) -> None:
        if not self._finished:  # queued before shutdown: what `done` starts would outlive the app
            self.done.emit()

    def finish(self) -> None:
        """At shutdown: start no warm-up, and fire no `done`, from now on; wait for one under way."""
        self._finished = True
        if self._thread is not None:
            self._thread.join()
