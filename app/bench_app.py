"""`oms bench app`: how the store app feels on a busy store, in numbers (JSON).

- cold start: a fresh Python process (`python -m app.bench_app_start DB`) opens the database,
  builds the window and waits until the sign-in tiles are on screen; the parent times it from
  spawn to the child's "ready" line, so interpreter start and imports count. The child reports
  the CPU time it used and its peak resident memory.
- queue open: the real window on a store database with N open orders (written in bulk by
  `core.services.pick_seed`), from "show the queue" to the first page of cards painted.
- scroll: each `fetchMore` page, from the scroll to the new rows painted.
- scan feedback: from the scanner's Enter key to the answer painted (colour, glyph, words; the
  sound starts in the same call), through the application-level scan detector.
- resident memory: the window part runs in its own process (`python -m app.bench_app DB SCANS
  PAGES`), so its peak resident memory is the app's after signing in, opening the queue on the
  big store, scrolling and scanning, not the seeding's.

A watchdog timer on the UI thread records the longest stall while the queue opens and scrolls.
At the end, a full garbage collection is timed: what Python's own full collections cost the UI
thread by then (start-up's objects are set aside once the screens are built, `app.store_app`).
Figures depend on the machine (and Qt runs offscreen here); they are printed, never asserted.
"""

from __future__ import annotations

import ctypes
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.bench_app_start import cold_start, own_usage, until

TARGETS_MS = {"cold_start": 1500, "queue_open": 300, "scan_feedback": 50}
TARGET_RESIDENT_MB = 300
Log = Callable[[str], None]


def print_to_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# PySide6 6.12.0 drops a reference to None on every static `QCoreApplication.processEvents()` and
# `QEventLoop.exec()` call; Python 3.11's None is mortal, so a few thousand of them abort the
# process ("none_dealloc"). The waits here use an instance loop's `processEvents`, which is clean,
# and this ballast keeps None alive whatever else calls them. The list itself is leaked on
# purpose (one extra reference), so it still holds None while the interpreter shuts down.
_NONE_BALLAST = [None] * 1_000_000
ctypes.pythonapi.Py_IncRef(ctypes.py_object(_NONE_BALLAST))


def _stats(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "median": round(statistics.median(ordered), 1),
        "p95": round(p95, 1),
        "max": round(ordered[-1], 1),
        "runs": len(ordered),
    }


def prepare_database(path: Path, orders: int, log: Log) -> float:
    """A store database with `orders` open fulfilments (reused when it already has them)."""
    from sqlalchemy import func, select

    from core.services.associates import add_demo_associates
    from core.services.pick_seed import seed_store_orders
    from core.storage.database import Database
    from core.storage.models import Fulfilment

    database = Database.open(str(path))
    try:
        with database.transaction() as session:
            have = int(session.scalar(select(func.count()).select_from(Fulfilment)) or 0)
        if have >= orders:
            return 0.0
        log(f"writing {orders:,} orders into {path} …")
        started = time.perf_counter()
        with database.transaction() as session:
            add_demo_associates(session)
            seed_store_orders(session, orders)
        return time.perf_counter() - started
    finally:
        database.close()


class _Stalls:
    """The longest gap between 5 ms ticks on the UI thread while measuring."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.worst = 0.0
        self._last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.worst = max(self.worst, (now - self._last) * 1000)
        self._last = now


def in_window(path: Path, scans: int, pages: int, log: Log) -> dict[str, Any]:
    """Queue open, scrolling and scan feedback in the real window on the big database."""
    import asyncio

    import qasync
    from PySide6.QtWidgets import QApplication

    from app.store_app import assemble
    from core.storage.database import Database

    app = QApplication.instance() or QApplication(["oms-bench"])
    asyncio.set_event_loop(qasync.QEventLoop(app, already_running=True))
    database = Database.open(str(path))
    store = assemble(app, database, demo=True)
    shell = store.shell
    shell.resize(1280, 800)
    shell.show()
    shell.start()
    until(app, lambda: shell.page == "sign_in" and bool(shell.sign_in.cards))
    shell.sign_in.choose_id("1001")
    shell.sign_in.pin.setText("1234")
    shell.sign_in.submit()
    until(app, lambda: shell.page == "main" and store.ops.pending == 0)
    until(app, lambda: shell.main.prepared)  # the screens built after sign-in showed (a person types a PIN)
    pick = shell.main.screen("pick")
    queue, model = pick.queue, pick.queue.model
    stalls = _Stalls()

    def open_queue(text: str = "", method: str | None = None) -> float:
        until(app, lambda: store.ops.pending == 0)
        started = time.perf_counter()
        model.set_filter(text, method)
        until(app, lambda: model.rowCount() > 0 and not model.loading)
        queue.view.viewport().repaint()
        return (time.perf_counter() - started) * 1000

    log("opening the queue …")
    opened = [open_queue() for _ in range(7)]
    searched = [open_queue("Kim") for _ in range(5)]
    pickup = [open_queue("", "pickup") for _ in range(5)]
    open_queue()
    log("scrolling …")
    paged = []
    for _ in range(pages):
        rows = model.rowCount()
        started = time.perf_counter()
        queue.view.scrollToBottom()
        until(app, lambda r=rows: model.rowCount() > r and not model.loading)
        queue.view.viewport().repaint()
        paged.append((time.perf_counter() - started) * 1000)
    queue_stall = stalls.worst

    log("scanning …")
    feedback = _scan_feedback(app, store, pick, scans)
    stalls.timer.stop()
    collection = _full_collection()
    shell.close()
    store.ops.shutdown()
    database.close()
    return {
        **{f"window_process_{name}": value for name, value in own_usage().items()},
        "queue_total": model.total,
        "queue_open_ms": _stats(opened),
        "queue_search_ms": _stats(searched),
        "queue_pickup_filter_ms": _stats(pickup),
        "fetch_more_page_ms": _stats(paged),
        "rows_after_scrolling": model.rowCount(),
        "ui_thread_worst_stall_ms": round(queue_stall, 1),
        "scan_feedback_ms": _stats(feedback),
        **collection,
    }


def _full_collection() -> dict[str, float | int]:
    """What a full garbage collection, which Python starts on its own now and then, costs the UI
    thread after a session's work: the objects it walks, and its time."""
    walked = len(gc.get_objects())
    started = time.perf_counter()
    gc.collect()
    return {
        "gc_full_collection_objects": walked,
        "gc_full_collection_ms": round((time.perf_counter() - started) * 1000, 1),
    }


def _scan_feedback(app: Any, store: Any, pick: Any, scans: int) -> list[float]:
    """Enter key of a wedge scan → answer painted; right and wrong items in turn, on a batch walk."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    pick.start_walk(pick.queue.model.ids()[:12])
    until(app, lambda: pick.walking and store.ops.pending == 0)
    walk = pick.walk
    tasks = walk.progress.walk.tasks
    wrong = next(code for t in reversed(tasks) for code in t.barcodes)
    times = []
    for n in range(scans):
        current = walk.progress.current
        right = tasks[current].barcodes[0] if current is not None and tasks[current].barcodes else wrong
        code = right if n % 2 == 0 else wrong
        target = QApplication.focusWidget() or walk
        for char in code:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(
                    target, QKeyEvent(kind, ord(char.upper()), Qt.KeyboardModifier.NoModifier, char)
                )
        before = walk.banner.text.text()
        started = time.perf_counter()
        QApplication.sendEvent(
            target, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier)
        )
        walk.banner.repaint()
        times.append((time.perf_counter() - started) * 1000)
        QApplication.sendEvent(
            target, QKeyEvent(QEvent.Type.KeyRelease, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier)
        )
        if walk.banner.text.text() == before and n % 2 == 0 and current is not None:
            raise RuntimeError("a scan was not answered")
        until(app, lambda: store.ops.pending == 0)
    return times


def bench_app(
    orders: int, *, db: Path | None, scans: int, pages: int, cold_runs: int, log: Log
) -> dict[str, Any]:
    from PySide6 import __version__ as pyside_version

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        path = db or Path(tmp) / "bench-store.db"
        seeded = prepare_database(path, orders, log)
        log("cold starts …")
        cold, children = cold_start(path, cold_runs)  # in new processes: app.bench_app_start
        measured = _in_window_process(path, scans, pages)
    phases = {k: v for k, v in children[-1].items() if k.endswith("_ms") and k != "cpu_ms"}
    return {
        "benchmark": "store app",
        "machine": {
            "python": platform.python_version(),
            "pyside": pyside_version,
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "qt_platform": os.environ.get("QT_QPA_PLATFORM", ""),
            # other work on the machine slows every figure; >= cpus means the run was contended
            "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        },
        "orders_in_store": orders,
        "seed_seconds": round(seeded, 1),
        "cold_start_to_sign_in_ms": _stats(cold),
        "cold_start_cpu_ms": _stats([child["cpu_ms"] for child in children]),
        "cold_start_phases_ms": phases,  # the last run, measured in the child after the interpreter started
        "cold_start_peak_rss_mb": max(child["peak_rss_mb"] for child in children),
        **measured,
        "targets_ms": TARGETS_MS,
        "target_resident_mb": TARGET_RESIDENT_MB,
    }


def _in_window_process(path: Path, scans: int, pages: int) -> dict[str, Any]:
    """`in_window` in a new process (progress on the shared stderr, the figures as JSON on stdout)."""
    child = subprocess.run(
        [sys.executable, "-m", "app.bench_app", str(path), str(scans), str(pages)],
        stdout=subprocess.PIPE,
        text=True,
        timeout=3600,
        check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    if child.returncode != 0:
        raise RuntimeError(f"the window benchmark failed (exit {child.returncode})")
    measured: dict[str, Any] = json.loads(child.stdout.strip().splitlines()[-1])
    return measured


if __name__ == "__main__":
    figures = in_window(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), log=print_to_stderr)
    print(json.dumps(figures), flush=True)
    os._exit(0)  # measured: skip the interpreter's teardown (see _NONE_BALLAST)
