"""Real processes for the crash tests: a uvicorn hub on loopback and a store relay script.

Run as `python -m tests.sync.processes hub DB PORT` or
`python -m tests.sync.processes store DB HUB_URL TARGET`. The store side writes movements (a sale,
then a receipt, alternating) one at a time and syncs after each, until the store has TARGET of its
own movements, nothing pending and a pull that found nothing new; then it exits 0. It can be
killed at any instruction and started again: it counts what is already in its database.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def spawn(*args: str) -> subprocess.Popen[bytes]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen(
        [sys.executable, "-m", "tests.sync.processes", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def kill(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL: no cleanup, no flush, no goodbye; exactly what a tablet losing power does."""
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def start_hub(db_path: Path, port: int, timeout: float = 20.0) -> subprocess.Popen[bytes]:
    process = spawn("hub", str(db_path), str(port))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"hub exited: {process.stderr.read().decode() if process.stderr else ''}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=0.5).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.05)
    kill(process)
    raise RuntimeError("hub did not start")


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
            except (HubUnavailableError, HubRefusedError):
                continue
            status = await client.status()
            if done >= target and status.pending == 0:
                pulled = await client.pull_once()
                if pulled.changes == 0 or pulled.snapshot:
                    break
        client.close()
    db.close()


if __name__ == "__main__":
    role = sys.argv[1]
    if role == "hub":
        _run_hub(sys.argv[2], int(sys.argv[3]))
    else:
        asyncio.run(_run_store(sys.argv[2], sys.argv[3], int(sys.argv[4])))
