"""Store-app UI tests: real widgets, real services, a temporary SQLite database, and a watchdog.

Every test here runs under `ui_watchdog` (autouse): between the ticks of a 10 ms QTimer on the UI
thread it charges the time the UI thread could not answer (see `TickClock`), and the test fails if
the UI thread ever waited (on I/O, a lock, a sleep, the interpreter lock) for more than 100 ms
(principle 6: the UI thread never waits), or was kept from its event loop by any means for more
than 200 ms (a turn a person notices). How long a turn's own work takes on a CPU depends on the
machine: `oms bench app` measures it. Heavy set-up (migrations, PIN hashing) happens in
fixtures, before the watchdog starts measuring; a test's own checks of what the app wrote (reading
a PDF back) run inside `ui_watchdog.paused()`. With `OMS_UI_STALL_LOG=FILE` each test's longest
stall is appended to FILE (node id, then the milliseconds charged, the longest plain gap between
ticks and the longest wait, tab-separated), to compare runs (docs/BENCHMARKS.md).
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
from dataclasses import dataclass, field
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

WAIT_LIMIT_MS = 100.0  # the UI thread waiting (principle 6)
TURN_LIMIT_MS = 200.0  # the UI thread kept from its event loop, its own work included
IDLE, RUNNING, WAITING = "idle", "running", "waiting"  # what a look at the UI thread sees


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


def _state(native_id: int) -> str:
    """IDLE: the thread sleeps in `poll`, where Qt's event loop waits for its next event, or is
    stopped by a signal; RUNNING: on a CPU or ready for one; WAITING: asleep anywhere else (I/O, a
    lock, the interpreter lock, a timer). Read from the kernel (Linux `wchan`), not from the
    thread's Python frames, which would have to be let go of on this thread (see `StallSampler`);
    where the kernel does not tell, WAITING, which charges the most."""
    try:
        with open(f"/proc/self/task/{native_id}/wchan") as wchan:
            where = wchan.read()
    except OSError:
        return WAITING
    if "poll" in where or "signal_stop" in where:
        return IDLE
    return RUNNING if where == "0" else WAITING


class TickClock:
    """What the watchdog's timer and the sampler thread share: plain Python, never a Qt object.

    Reading an attribute of a QObject's Python wrapper from another thread goes through PySide,
    which can take Qt's connection lock and then wait for the interpreter lock; with the UI thread
    holding the interpreter lock and waiting for that same Qt lock (restyling a screen), both
    stopped for good (seen: a UI test run that hung).

    The UI thread is looked at every 5 ms and at each tick, and each stretch between two looks is
    charged to it in full, less the time the kernel kept it waiting for a CPU, when it was busy at
    both ends (running, or waiting on I/O, a lock or the interpreter lock), and counted as a wait
    too, less what the UI thread ran in it, when it was waiting at both; when it was idle at
    either end (asleep in its event loop's `poll`, or stopped; a tick counts as the loop, which
    hands it out), only as much CPU as the process used in the stretch. So Qt's own work, and
    another thread holding the interpreter lock the UI thread needs to hand out its next event,
    count; a stretch in which the UI thread slept and no thread of the process ran does not: that
    is the machine stopping the process (a VM whose host takes the CPU away without reporting
    steal time: 100 to 140 ms gaps in tests doing nothing), after which the UI thread and the
    sampler wake together. A block of the UI thread's own (a synchronous wait) is seen by the
    looks inside it; only its first and last few milliseconds, up to the looks on either side, go
    uncharged.
    """

    __slots__ = (
        "blocked",
        "cpu",
        "lock",
        "looked",
        "on_tick",
        "samples",
        "spent_frames",
        "state",
        "ui_clock",
        "ui_cpu",
        "ui_thread",
        "waited",
        "waits",
    )

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.ui_thread = threading.get_native_id()
        self.ui_clock = time.pthread_getcpuclockid(threading.get_ident())  # its CPU time, to the ns
        self.restart()

    def restart(self) -> None:
        with self.lock:
            self.on_tick = self.looked, self.cpu, self.ui_cpu, self.waited = self.clocks()
            self.state, self.blocked, self.waits = RUNNING, 0.0, 0.0  # next: the test body's own code
            self.samples: list[str] = []  # the UI thread's stacks seen since the last tick
            self.spent_frames: list[object] = []  # the sampler's frames, let go of on the UI thread

    def clocks(self) -> tuple[float, float, float, float]:
        """Now, the process's CPU time, and the UI thread's time on a CPU and waiting for one."""
        return (
            time.monotonic(),
            time.process_time(),
            time.clock_gettime(self.ui_clock),
            _runqueue_wait_s(self.ui_thread),
        )

    def charge(self, state: str) -> tuple[float, float, float, float]:
        """Charge the stretch since the last look, the UI thread now in `state`; hold `lock`."""
        clocks = now, cpu, ui_cpu, waited = self.clocks()
        spent = max((now - self.looked) - (waited - self.waited), 0.0)
        if IDLE in (self.state, state):
            spent = min(spent, cpu - self.cpu)
        elif self.state == state == WAITING:  # less what it ran between: the sampler's own turns
            self.waits += max(spent - (ui_cpu - self.ui_cpu), 0.0)  # with the GIL look like waits
        self.blocked += spent
        self.looked, self.cpu, self.ui_cpu, self.waited, self.state = now, cpu, ui_cpu, waited, state
        return clocks


class CollectionTimer:
    """Seconds spent in garbage collections (which stop every Python thread), read at each tick."""

    def __init__(self) -> None:
        self.spent = self._started = 0.0

    def __call__(self, phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.spent += time.perf_counter() - self._started

    def take(self) -> float:
        """The seconds spent since the last take."""
        spent, self.spent = self.spent, 0.0
        return spent


class StallSampler(threading.Thread):
    """Looks at the UI thread every 5 ms, and reads its Python stack while it is stalled.

    A number alone ("blocked for 130 ms") sends the next person hunting; the stack seen most often
    during the worst stall names the call. Stacks are read only once the UI thread has been silent
    for half the limit. The frames read are handed to the UI thread to let go of: a frame whose
    function has returned since holds that function's last references, and a Qt object freed on
    this thread would take Qt's connection lock and then wait for the interpreter lock, the hang
    above (seen once it read frames every 5 ms).
    """

    def __init__(self, clock: TickClock) -> None:
        super().__init__(daemon=True, name="ui-stall-sampler")
        self.clock, self.ui_thread = clock, threading.get_ident()
        self.stopping = threading.Event()

    def run(self) -> None:
        clock = self.clock
        while not self.stopping.wait(0.005):
            with clock.lock:
                clock.charge(_state(clock.ui_thread))
                if clock.looked - clock.on_tick[0] > WAIT_LIMIT_MS / 2000.0:
                    clock.samples.append(self._stacks())

    def _stacks(self) -> str:
        """The UI thread's stack, and the other threads': one holding the interpreter lock stalls it."""
        frames = sys._current_frames()
        self.clock.spent_frames.append(frames)
        mine = threading.get_ident()
        ui = _project_stack(frames[self.ui_thread]) if self.ui_thread in frames else "?"
        return ui + "".join(
            f"\n      | {_project_stack(f)}" for t, f in frames.items() if t not in (self.ui_thread, mine)
        )


def _project_stack(frame: FrameType) -> str:
    """The six innermost frames, innermost last: enough to name the call and who made it."""
    lines = [f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in traceback.extract_stack(frame)]
    return " > ".join(lines[-6:])


@dataclass(frozen=True, slots=True)
class Stall:
    """What a failure says of a stall: its figures, and the UI thread's stacks seen in it."""

    detail: str = ""
    stacks: Counter[str] = field(default_factory=Counter)

    def __str__(self) -> str:
        return f"({self.detail})" + "".join(f"\n  {n}× {stack}" for stack, n in self.stacks.most_common(3))


class Watchdog(QObject):
    """The most time charged to the UI thread between two ticks of a 10 ms timer = longest block,
    and the longest of it spent waiting.

    `worst_gap_ms` is the longest plain gap between ticks, for comparing with what was charged;
    each worst's `Stall` says how long its gap was, how much CPU was used in it and where the UI
    thread was.
    """

    def __init__(self) -> None:
        super().__init__()
        self.worst_ms = self.worst_wait_ms = self.worst_gap_ms = 0.0
        self.worst = self.worst_wait = Stall()
        self.clock = TickClock()
        self._sampler: StallSampler | None = None
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(10)
        self.timer.timeout.connect(self.tick)
        self.collections = CollectionTimer()

    def tick(self) -> None:
        clock = self.clock
        collecting = 1000.0 * self.collections.take()
        with clock.lock:
            now = clock.charge(IDLE)  # handed out by the event loop, to which the UI thread returns
            gap, process_cpu, ui_cpu, _ = (1000.0 * (a - b) for a, b in zip(now, clock.on_tick, strict=True))
            blocked, waits, samples = clock.blocked * 1000.0, clock.waits * 1000.0, clock.samples
            clock.on_tick, clock.blocked, clock.waits, clock.samples = now, 0.0, 0.0, []
            spent, clock.spent_frames = clock.spent_frames, []
        del spent  # here, on the UI thread
        self.worst_gap_ms = max(self.worst_gap_ms, gap)
        if blocked > self.worst_ms or waits > self.worst_wait_ms:
            stall = Stall(
                f"{gap:.0f} ms between ticks, {waits:.0f} ms of them waiting; on a CPU meanwhile: the UI thread"
                f" {ui_cpu:.0f} ms, the process {process_cpu:.0f} ms; in garbage collections {collecting:.0f} ms",
                Counter(samples),
            )
            if blocked > self.worst_ms:
                self.worst_ms, self.worst = blocked, stall
            if waits > self.worst_wait_ms:
                self.worst_wait_ms, self.worst_wait = waits, stall

    def start(self) -> None:
        self.worst_ms = self.worst_wait_ms = self.worst_gap_ms = 0.0
        self.worst = self.worst_wait = Stall()
        self._run()

    def _run(self) -> None:
        self.clock.restart()
        self.collections.take()
        gc.callbacks.append(self.collections)
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
            gc.callbacks.remove(self.collections)
        if self._sampler is not None:
            self._sampler.stopping.set()
            self._sampler.join()
            self._sampler = None
        self.clock.spent_frames.clear()  # here, on the UI thread

    def report(self) -> str:
        """The worst stall, or the worst wait if that broke its limit, and where the UI thread was."""
        if self.worst_wait_ms > WAIT_LIMIT_MS:
            return f"the UI thread waited for {self.worst_wait_ms:.0f} ms {self.worst_wait}"
        return f"the UI thread was blocked for {self.worst_ms:.0f} ms {self.worst}"

    def within_limits(self) -> bool:
        return self.worst_wait_ms <= WAIT_LIMIT_MS and self.worst_ms <= TURN_LIMIT_MS


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
            out.write(
                f"{request.node.nodeid}\t{dog.worst_ms:.1f}\t{dog.worst_gap_ms:.1f}\t{dog.worst_wait_ms:.1f}\n"
            )
    assert dog.within_limits(), dog.report()


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
