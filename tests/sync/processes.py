"""Real processes for the crash tests: a uvicorn hub on loopback and a store relay script.

Run as `python -m tests.sync.processes hub DB PORT` or
`python -m tests.sync.processes store DB HUB_URL TARGET`. The store side writes movements (a sale,
then a receipt, alternating) one at a time and syncs after each, until the store has TARGET of its
own movements, nothing pending and a pull that found nothing new; then it exits 0. It can be
killed at any instruction and started again: it counts what is already in its database.

The tests wait for conditions, never for a fixed time: a loaded two-core CI machine may take ten
seconds to import and start a hub, so every wait is long and ends as soon as its condition holds.
A process's stderr goes to a file (a pipe nobody reads would block it once full) and is shown when
the process fails.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import httpx
from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 180.0  # importing and starting a hub can take >10 s on a loaded 2-core machine
PROGRESS_TIMEOUT = 300.0


class Process:
    """A child process whose stderr is written to a log file next to its database."""

    def __init__(self, popen: subprocess.Popen[bytes], log: Path) -> None:
        self.popen = popen
        self.log = log

    def poll(self) -> int | None:
        return self.popen.poll()

    def wait(self, timeout: float) -> int:
        return self.popen.wait(timeout=timeout)

    def stderr(self) -> str:
        return self.log.read_text(errors="replace")[-4000:] if self.log.exists() else ""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def spawn(log: Path, *args: str) -> Process:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    with log.open("ab") as err:
        popen = subprocess.Popen(
            [sys.executable, "-m", "tests.sync.processes", *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    return Process(popen, log)


def kill(process: Process) -> None:
    """SIGKILL: no cleanup, no flush, no goodbye; exactly what a tablet losing power does."""
    if process.poll() is None:
        os.kill(process.popen.pid, signal.SIGKILL)
    process.wait(timeout=30)


def wait_for(condition: Callable[[], bool], what: str, timeout: float = PROGRESS_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not reached in {timeout:.0f} s")
        time.sleep(0.05)


def start_hub(db_path: Path, port: int, timeout: float = START_TIMEOUT) -> Process:
    process = spawn(db_path.with_suffix(".hub.log"), "hub", str(db_path), str(port))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"hub exited: {process.stderr()}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5.0).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.05)
    kill(process)
    raise RuntimeError(f"hub did not start in {timeout:.0f} s: {process.stderr()}")


def count(db_path: Path, sql: str) -> int:
    """One number from a database another process is writing (read-only; WAL lets both work)."""
    deadline = time.monotonic() + 60
    while db_path.exists():
        try:
            with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)) as connection:
                return int(connection.execute(sql).fetchone()[0])
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):  # the schema is not there yet (still migrating)
                return 0
            if time.monotonic() > deadline:  # busy while a killed writer's journal is recovered
                raise
            time.sleep(0.05)
    return 0


def store_movements(db_path: Path) -> int:
    """The store's own movements (not the hub's snapshot corrections)."""
    return count(db_path, "SELECT count(*) FROM movements WHERE reason != 'snapshot'")


def hub_movements(db_path: Path, location: str = "S01") -> int:
    """Movements the hub took from a store (its initial stock excluded)."""
    return count(
        db_path, f"SELECT count(*) FROM movements WHERE location_code = '{location}' AND reason != 'initial'"
    )


def _run_hub(db_path: str, port: int) -> None:
    import uvicorn

    from core.storage.database import Database
    from sync.hub import create_app

    uvicorn.run(create_app(Database.open(db_path)), host="127.0.0.1", port=port, log_level="warning")


async def _run_store(db_path: str, hub_url: str, target: int) -> None:
    from core.domain.inventory import MovementSpec, Reason
    from core.services.outbox import SyncKey, get_setting
    from core.services.store_ops import record_store_movements
    from core.storage.database import Database
    from core.storage.models import Movement
    from sync.client import HubRefusedError, HubUnavailableError, RetryPolicy, SyncClient

    db = Database.open(db_path)
    retry = RetryPolicy(attempts=50, timeout=60.0, wait_initial=0.02, wait_max=0.3, wait_jitter=0.05)
    async with httpx.AsyncClient(timeout=2.0) as http:
        client = SyncClient(db, http, retry=retry, batch_size=7, pull_limit=5)
        while True:
            with db.transaction() as session:
                location = get_setting(session, SyncKey.LOCATION) or ""
                mine = select(func.count()).where(
                    Movement.location_code == location, Movement.reason != "snapshot"
                )
                done = int(session.scalar(mine) or 0)
                if done < target:
                    sale = done % 2 == 0
                    spec = MovementSpec(
                        location, "SKU-1", -1 if sale else 2, Reason.SALE if sale else Reason.RECEIPT
                    )
                    record_store_movements(session, [spec])
            try:
                await client.sync_with_retries()
                status = await client.status()
                if done >= target and status.pending == 0:
                    pulled = await client.pull_once()  # the hub may go down here too
                    if pulled.changes == 0 or pulled.snapshot:
                        break
            except (HubUnavailableError, HubRefusedError):
                continue
        client.close()
    db.close()


if __name__ == "__main__":
    role = sys.argv[1]
    if role == "hub":
        _run_hub(sys.argv[2], int(sys.argv[3]))
    else:
        asyncio.run(_run_store(sys.argv[2], sys.argv[3], int(sys.argv[4])))
