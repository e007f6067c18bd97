"""The cold-start half of `oms bench app`: a new process per run, timed from spawn to sign-in.

Run as `python -m app.bench_app_start DB`: the child starts the app as `oms app --demo` does and
prints "ready" with its own phase timings once the sign-in tiles are painted, with the CPU time it
has used since it was spawned and its peak resident memory; the parent's clock (`cold_start`)
includes interpreter start-up and every import. CPU time is the figure that holds on a busy
machine: the wall clock also counts the time other processes had the CPUs.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def until(app: Any, done: Callable[[], bool], timeout: float = 60.0) -> None:
    """Let Qt (and the operations it waits for) run until `done()`, sleeping between events as the
    real event loop does: a busy loop here would hold the GIL and slow the database thread down."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    waker = QTimer()
    waker.setInterval(2)
    waker.start()
    deadline = time.perf_counter() + timeout
    try:
        while not done():
            if time.perf_counter() > deadline:
                raise TimeoutError("the app did not answer in time")
            loop.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    finally:
        waker.stop()


def cold_start(path: Path, runs: int) -> tuple[list[float], list[dict[str, float]]]:
    """Spawn → sign-in tiles painted, in a new process each time; and each child's own figures."""
    times: list[float] = []
    children: list[dict[str, float]] = []
    for _ in range(runs):
        started = time.perf_counter()
        child = subprocess.run(
            [sys.executable, "-m", "app.bench_app_start", str(path)],
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        )
        if "ready" not in child.stdout:
            raise RuntimeError(f"the app did not start: {child.stderr[-800:]}")
        times.append((time.perf_counter() - started) * 1000)
        children.append({k: float(v) for k, v in (p.split("=") for p in child.stdout.split()[1:])})
    return times, children


def _peak_rss_kib() -> int:
    """This program's peak resident memory in KiB.

    Linux's `ru_maxrss` survives `exec`: a child forked from a parent that had just seeded a
    100,000-order database reported the parent's 589 MB. `VmHWM` belongs to the memory of this
    program alone, so it is read first; other systems fall back to `ru_maxrss`.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def own_usage() -> dict[str, float]:
    """CPU time used by this process so far and its peak resident memory."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "cpu_ms": round((usage.ru_utime + usage.ru_stime) * 1000),
        "peak_rss_mb": round(_peak_rss_kib() / 1024, 1),
    }


def probe(path: str) -> None:
    """In the child: start like `oms app --demo`, say "ready" when the sign-in tiles are painted."""
    marks = [("start", time.perf_counter())]
    import asyncio

    import qasync
    from PySide6.QtWidgets import QApplication

    from app.store_app import assemble
    from core.storage.database import Database

    marks.append(("imports_ms", time.perf_counter()))
    app = QApplication([sys.argv[0]])
    asyncio.set_event_loop(qasync.QEventLoop(app, already_running=True))
    database = Database.open(path)
    marks.append(("database_open_ms", time.perf_counter()))
    store = assemble(app, database, demo=True)
    marks.append(("window_built_ms", time.perf_counter()))
    store.shell.resize(1280, 800)
    store.shell.show()
    store.shell.start()
    until(app, lambda: store.shell.page == "sign_in" and bool(store.shell.sign_in.cards))
    store.shell.repaint()
    marks.append(("sign_in_painted_ms", time.perf_counter()))
    steps = " ".join(f"{name}={(t - marks[i][1]) * 1000:.0f}" for i, (name, t) in enumerate(marks[1:]))
    usage = " ".join(f"{name}={value}" for name, value in own_usage().items())
    print("ready", steps, usage, flush=True)
    os._exit(0)  # the measurement is over: no orderly shutdown to time


if __name__ == "__main__":
    probe(sys.argv[1])
