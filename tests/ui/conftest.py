"""Store-app UI tests: real widgets, real services, a temporary SQLite database, and a watchdog.

Every test here runs under `ui_watchdog` (autouse): between the ticks of a 10 ms QTimer on the UI
thread it charges the time the UI thread could not answer (see `TickClock`), and the test fails if
that was ever more than 100 ms (principle 6). Heavy set-up (migrations, PIN hashing) happens in
fixtures, before the watchdog starts measuring; a test's own checks of what the app wrote (reading
a PDF back) run inside `ui_watchdog.paused()`. With `OMS_UI_STALL_LOG=FILE` each test's longest
stall is appended to FILE (node id, then the milliseconds charged and the longest plain gap between
ticks, tab-separated), to compare runs (docs/BENCHMARKS.md).
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
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
import qasync
from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qt_compat import qt_api

from core.services.associates import add_demo_associates
from core.storage.database import Database
from tests.databases import fold_wal
from tests.ui.kit import Kit, build_kit, close_kit

BLOCK_LIMIT_MS = 100.0
LOOK_EVERY_S = 0.005
EVENT_LOOP_WAIT = qt_api.exec.__func__.__code__  # the UI thread's innermost frame while qtbot waits


def _runqueue_wait_s(native_id: int) -> float:
    """Seconds the thread has spent ready to run but waiting for a CPU (Linux schedstat), else 0.

    Time the kernel kept the UI thread off the CPU because other processes were busy (a loaded CI
    machine) is not our code blocking it; waiting on a lock, I/O or the GIL still counts.
    """
    try:
        with open(f"/proc/self/task/{native_id}/schedstat") as stat:
            return int(stat.read().split()[1]) / 1e9
    except (OSError, ValueError, IndexError):
        return 0.0


@dataclass(frozen=True, slots=True)
class Look:
    """One look at the UI thread: when, whether it sat in its event loop, and the clocks then."""

    at: float
    idle: bool
    cpu: float  # the whole process's CPU time
    waited: float  # the UI thread's time spent waiting for a CPU


class TickClock:
    """What the watchdog's timer and the sampler thread share: plain Python, never a Qt object.

    Reading an attribute of a QObject's Python wrapper from another thread goes through PySide,
    which can take Qt's connection lock and then wait for the interpreter lock; with the UI thread
    holding the interpreter lock and waiting for that same Qt lock (restyling a screen), both
    stopped for good (seen: a UI test run that hung).

    The UI thread is looked at every 5 ms, and each stretch between two looks is charged to it in
    full, less the time the kernel kept it waiting for a CPU, unless it sat in its event loop at
    both ends; such a stretch is charged only as much CPU as the process used in it. So Qt's own
    C++ work inside the loop, and another thread holding the interpreter lock the UI thread needs
    for its next event, count; a stretch in which the UI thread waited in its loop and no thread
    of the process ran does not: that is the machine stopping the process (a VM whose host takes
    the CPU away without reporting steal time: 100-140 ms gaps in tests doing nothing).
    """

    __slots__ = ("blocked", "last", "last_tick", "lock", "samples", "ui_thread")

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.ui_thread = threading.get_native_id()
        self.restart()

    def restart(self) -> None:
        with self.lock:
            self.last = self.look(idle=False)  # what follows is the test body's own code: charged
            self.last_tick, self.blocked = self.last.at, 0.0
            self.samples: list[str] = []  # the UI thread's stacks seen since the last tick

    def look(self, idle: bool) -> Look:
        return Look(time.monotonic(), idle, time.process_time(), _runqueue_wait_s(self.ui_thread))

    def charge(self, idle: bool) -> None:
        """Charge the stretch since the last look; call with `lock` held."""
        now, last = self.look(idle), self.last
        if idle and last.idle:
            spent = min(now.at - last.at, now.cpu - last.cpu)
        else:
            spent = (now.at - last.at) - (now.waited - last.waited)
        self.blocked, self.last = self.blocked + max(spent, 0.0), now


class StallSampler(threading.Thread):
    """Looks at the UI thread every 5 ms, and keeps its Python stack while it is stalled.

    A number alone ("blocked for 130 ms") sends the next person hunting; the stack seen most often
    during the worst stall names the call. Stacks are kept only once the UI thread has been silent
    for half the limit, so a healthy UI thread costs a look at its innermost frame and clocks.
    """

    def __init__(self, clock: TickClock) -> None:
        super().__init__(daemon=True, name="ui-stall-sampler")
        self.clock, self.ui_thread = clock, threading.get_ident()
        self.stopping = threading.Event()

    def run(self) -> None:
        clock = self.clock
        while not self.stopping.wait(LOOK_EVERY_S):
            frames = sys._current_frames()
            frame = frames.pop(self.ui_thread, None)
            frames.pop(threading.get_ident(), None)
            if frame is None:
                continue
            with clock.lock:
                clock.charge(idle=_in_event_loop(frame))
                stalled = clock.last.at - clock.last_tick > BLOCK_LIMIT_MS / 2000.0
            if stalled:
                # The other threads too: one holding the interpreter lock stalls this one.
                others = "".join(f"\n      | {_project_stack(f)}" for f in frames.values())
                clock.samples.append(_project_stack(frame) + others)


def _in_event_loop(frame: FrameType | None) -> bool:
    """Whether the UI thread sits in its event loop, its own watchdog's tick counting as the loop:
    right after the machine stops the process, the overdue tick is the first thing the loop runs."""
    while frame is not None and frame.f_code in WATCHDOG_CODE:
        frame = frame.f_back
    return frame is not None and frame.f_code is EVENT_LOOP_WAIT


def _project_stack(frame: FrameType) -> str:
    """The six innermost frames, innermost last: enough to name the call and who made it."""
    lines = [f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in traceback.extract_stack(frame)]
    return " > ".join(lines[-6:])


class Watchdog(QObject):
    """The most time the UI thread was charged between two ticks of a 10 ms timer = longest block.

    `worst_gap_ms` is the longest plain gap between ticks, for comparing with what was charged.
    """

    def __init__(self) -> None:
        super().__init__()
        self.worst_ms = self.worst_gap_ms = 0.0
        self.worst_stacks: Counter[str] = Counter()
        self.clock = TickClock()
        self._sampler: StallSampler | None = None
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(10)
        self.timer.timeout.connect(self.tick)

    def tick(self) -> None:
        clock = self.clock
        with clock.lock:
            clock.charge(idle=True)  # a timer event is handed out by the event loop
            gap, blocked, samples = clock.last.at - clock.last_tick, clock.blocked, clock.samples
            clock.last_tick, clock.blocked, clock.samples = clock.last.at, 0.0, []
        self.worst_gap_ms = max(self.worst_gap_ms, gap * 1000.0)
        if blocked * 1000.0 > self.worst_ms:
            self.worst_ms, self.worst_stacks = blocked * 1000.0, Counter(samples)

    def start(self) -> None:
        self.worst_ms = self.worst_gap_ms = 0.0
        self.worst_stacks = Counter()
        self._run()

    def _run(self) -> None:
        self.clock.restart()
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
        gap = f" (longest gap between ticks {self.worst_gap_ms:.0f} ms)"
        return f"the UI thread was blocked for {self.worst_ms:.0f} ms{gap}{where}"


WATCHDOG_CODE = {
    f.__code__ for f in (Watchdog.tick, TickClock.charge, TickClock.look, Look.__init__, _runqueue_wait_s)
}


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
            out.write(f"{request.node.nodeid}\t{dog.worst_ms:.1f}\t{dog.worst_gap_ms:.1f}\n")
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
