"""Store-app UI tests: real widgets, real services, a temporary SQLite database, and a watchdog.

Every test here runs under `ui_watchdog` (autouse): a 10 ms QTimer on the UI thread records the
largest gap between its ticks while the test body runs, and the test fails if the UI thread was
ever blocked for more than 100 ms (principle 6). Heavy set-up (migrations, PIN hashing) happens in
fixtures, before the watchdog starts measuring; a test's own checks of what the app wrote (reading
a PDF back) run inside `ui_watchdog.paused()`. With `OMS_UI_STALL_LOG=FILE` each test's longest
stall is appended to FILE (node id, tab, milliseconds), to compare runs (docs/BENCHMARKS.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import shutil
import sys
import threading
import time
import traceback
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
import qasync
from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication

from core.services.associates import add_demo_associates
from core.storage.database import Database
from tests.databases import fold_wal
from tests.ui.kit import Kit, build_kit, close_kit

BLOCK_LIMIT_MS = 100.0


def _runqueue_wait_s() -> float:
    """Seconds this thread has spent ready to run but waiting for a CPU (Linux schedstat), else 0.

    Time the kernel kept the UI thread off the CPU because other processes were busy (a loaded CI
    machine) is not our code blocking it; waiting on a lock, I/O or the GIL still counts.
    """
    try:
        with open(f"/proc/self/task/{threading.get_native_id()}/schedstat") as stat:
            return int(stat.read().split()[1]) / 1e9
    except (OSError, ValueError, IndexError):
        return 0.0


class TickClock:
    """What the watchdog's timer and the sampler thread share: plain Python, never a Qt object.

    Reading an attribute of a QObject's Python wrapper from another thread goes through PySide,
    which can take Qt's connection lock and then wait for the interpreter lock; with the UI thread
    holding the interpreter lock and waiting for that same Qt lock (restyling a screen), both
    stopped for good (seen: a UI test run that hung).
    """

    __slots__ = ("last_tick", "samples")

    def __init__(self) -> None:
        self.last_tick = time.monotonic()
        self.samples: list[str] = []  # the UI thread's stacks seen since the last tick


class StallSampler(threading.Thread):
    """Reads the UI thread's Python stack while it is stalled, so a failure says where it was stuck.

    A number alone ("blocked for 130 ms") sends the next person hunting; the stack seen most often
    during the worst stall names the call. It samples only once the UI thread has been silent for
    half the limit, so an idle or healthy UI thread costs one clock read every 5 ms.
    """

    def __init__(self, clock: TickClock) -> None:
        super().__init__(daemon=True, name="ui-stall-sampler")
        self.clock, self.ui_thread = clock, threading.get_ident()
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.wait(0.005):
            if time.monotonic() - self.clock.last_tick > BLOCK_LIMIT_MS / 2000.0:
                frames = sys._current_frames()
                frame = frames.pop(self.ui_thread, None)
                frames.pop(threading.get_ident(), None)
                if frame is not None:
                    # The other threads too: one holding the interpreter lock stalls this one.
                    others = "".join(f"\n      | {_project_stack(f)}" for f in frames.values())
                    self.clock.samples.append(_project_stack(frame) + others)


def _project_stack(frame: FrameType) -> str:
    """The six innermost frames, innermost last: enough to name the call and who made it."""
    lines = [f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in traceback.extract_stack(frame)]
    return " > ".join(lines[-6:])


class Watchdog(QObject):
    """Largest gap between ticks of a 10 ms timer on the UI thread = longest time it was blocked."""

    def __init__(self) -> None:
        super().__init__()
        self.worst_ms = 0.0
        self.worst_stacks: Counter[str] = Counter()
        self.clock = TickClock()
        self._sampler: StallSampler | None = None
        self._last_wait = _runqueue_wait_s()
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(10)
        self.timer.timeout.connect(self.tick)

    def tick(self) -> None:
        now, waited, clock = time.monotonic(), _runqueue_wait_s(), self.clock
        blocked = (now - clock.last_tick) - (waited - self._last_wait)
        samples, clock.samples = clock.samples, []
        if blocked * 1000.0 > self.worst_ms:
            self.worst_ms, self.worst_stacks = blocked * 1000.0, Counter(samples)
        clock.last_tick, self._last_wait = now, waited

    def start(self) -> None:
        self.worst_ms, self.worst_stacks = 0.0, Counter()
        self._run()

    def _run(self) -> None:
        self.clock.last_tick, self._last_wait, self.clock.samples = time.monotonic(), _runqueue_wait_s(), []
        self.timer.start()
        self._sampler = StallSampler(self.clock)
        self._sampler.start()

    @contextlib.contextmanager
    def paused(self) -> Iterator[None]:
        """Around a test's own checks, such as reading back a PDF the app wrote: not the app's work.

        Run on a worker thread instead, such a check still stalls the UI thread, as Qt calls from
        Python keep the interpreter lock (rendering a PDF page: 50 ms), and the stall would count
        against the screen under test.
        """
        self.stop()
        try:
            yield
        finally:
            self._run()

    def stop(self) -> None:
        if self.timer.isActive():
            self.tick()  # the stretch since the last tick counts too
            self.timer.stop()
        if self._sampler is not None:
            self._sampler.stopping.set()
            self._sampler.join()
            self._sampler = None

    def report(self) -> str:
        """The worst stall and where the UI thread was during it (most-seen stacks first)."""
        where = "".join(f"\n  {n}× {stack}" for stack, n in self.worst_stacks.most_common(3))
        return f"the UI thread was blocked for {self.worst_ms:.0f} ms{where}"


@pytest.fixture(scope="session", autouse=True)
def qasync_loop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    """An asyncio loop driven by Qt's own event processing, as in the app (qasync)."""
    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    yield loop
    asyncio.set_event_loop(None)


@pytest.fixture(autouse=True)
def ui_watchdog(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[Watchdog]:
    dog = Watchdog()
    yield dog  # started and stopped around the test body by the hooks below
    dog.stop()
    log = os.environ.get("OMS_UI_STALL_LOG")  # how close each test came to the limit, for comparing runs
    if log:
        with open(log, "a", encoding="utf-8") as out:
            out.write(f"{request.node.nodeid}\t{dog.worst_ms:.1f}\n")
    assert dog.worst_ms <= BLOCK_LIMIT_MS, dog.report()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    dog = item.funcargs.get("ui_watchdog")  # type: ignore[attr-defined]
    if dog is not None:
        # The objects earlier tests left alive (networks, caches: millions in a full run) are set
        # aside from the garbage collector for the body: a full collection over them takes a
        # second or more on whichever thread triggers it, which is the test process's cost, not
        # the screen's. What the body itself allocates is collected as usual.
        gc.collect()
        gc.freeze()
        dog.start()
    try:
        return (yield)
    finally:
        if dog is not None:
            dog.stop()
            gc.unfreeze()


@pytest.fixture(scope="session")
def associates_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store database with the demo associates, made once: their PINs' scrypt hashes take a while."""
    path = tmp_path_factory.mktemp("associates") / "store.db"
    db = Database.open(str(path))
    with db.transaction() as session:
        add_demo_associates(session)
    db.close()
    return fold_wal(path)


@pytest.fixture
def store_db(tmp_path: Path, associates_template: Path) -> Iterator[Database]:
    """A migrated store database with the demo associates (Amy 1001/1234, Ben 1002/2468, Morgan 9001/9876)."""
    db = Database.open(str(shutil.copyfile(associates_template, tmp_path / "store.db")))
    yield db
    db.close()


@pytest.fixture
def kit(qtbot, qapp: QApplication, store_db: Database) -> Iterator[Kit]:
    """The store app in demo mode (no hub), on the sign-in page with the associates loaded."""
    built = build_kit(qtbot, qapp, store_db, demo=True)
    qtbot.waitUntil(lambda: built.shell.page == "sign_in" and len(built.shell.sign_in.cards) == 3)
    qtbot.waitUntil(lambda: built.shell.main.prepared)  # the screens built after sign-in shows
    yield built
    close_kit(built)


@pytest.fixture
def first_run_kit(qtbot, qapp: QApplication, store_db: Database) -> Iterator[Kit]:
    """The store app on a store that has never been enrolled: it opens on the setup screen."""
    built = build_kit(qtbot, qapp, store_db, demo=False)
    qtbot.waitUntil(lambda: built.shell.page == "setup")
    qtbot.waitUntil(lambda: built.shell.main.prepared)  # the screens built after setup shows
    yield built
    close_kit(built)
