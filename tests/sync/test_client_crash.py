"""Crashes with real processes: a store relay killed with SIGKILL at random points, and a uvicorn
hub stopped and started again mid-sync. Afterwards nothing is lost, nothing is doubled, and
`balance == Σ ledger` holds on both sides.

Every kill waits for the relay to have made progress since the last one (a random number of
movements) and then for a random instant: the kills land in the middle of the work however fast
or loaded the machine is, and never after the relay has finished, which fixed sleeps could not
promise (a hub takes from 1 to over 10 s to start on a loaded 2-core machine)."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from sqlalchemy import select

from core.services.hub.access import create_enrolment_code
from core.storage.database import Database
from core.storage.models import Movement
from sync.client import SyncClient
from tests.factories import small_network
from tests.sync.client_support import assert_consistent, balances, ledger_ids
from tests.sync.processes import (
    Process,
    free_port,
    hub_movements,
    kill,
    spawn,
    start_hub,
    store_movements,
    wait_for,
)

FINISH_TIMEOUT = 900.0  # a hang fails; a slow machine does not


def prepare(tmp_path: Path) -> tuple[Path, Path, str]:
    hub_path, store_path = tmp_path / "hub.db", tmp_path / "s01.db"
    hub = Database.open(str(hub_path))
    with hub.transaction() as session:
        small_network(session, stock=10)
        code = create_enrolment_code(session, "S01")
    hub.close()
    return hub_path, store_path, code


def enroll(store_path: Path, url: str, code: str) -> None:
    async def go() -> None:
        db = Database.open(str(store_path))
        async with httpx.AsyncClient(timeout=30.0) as http:
            client = SyncClient(db, http)
            await client.enroll(url, code, "tablet-S01")
            await client.sync_once()
            client.close()
        db.close()

    asyncio.run(go())


def relay(store_path: Path, url: str, target: int) -> Process:
    return spawn(store_path.with_suffix(".store.log"), "store", str(store_path), url, str(target))


def finish(process: Process) -> None:
    try:
        assert process.wait(timeout=FINISH_TIMEOUT) == 0, process.stderr()
    finally:
        kill(process)


def progressed(
    counter: Callable[[Path], int], path: Path, wanted: int, process: Process
) -> Callable[[], bool]:
    """True once `counter(path)` reaches `wanted`, or the process stopped (the caller says why)."""
    return lambda: counter(path) >= wanted or process.poll() is not None


def verify(hub_path: Path, store_path: Path, target: int) -> None:
    hub, store = Database.open(str(hub_path)), Database.open(str(store_path))
    try:
        hub_ids = _hub_ledger(hub)
        assert len(ledger_ids(store, "S01")) == target
        assert ledger_ids(store, "S01") == hub_ids  # nothing lost, nothing doubled, same ids
        assert balances(store, "S01") == balances(hub, "S01")
        assert_consistent(store)
        assert_consistent(hub)
    finally:
        hub.close()
        store.close()


def _hub_ledger(hub: Database) -> list[str]:
    with hub.transaction() as session:
        query = select(Movement.id).where(Movement.location_code == "S01", Movement.reason != "initial")
        return sorted(str(i) for i in session.scalars(query))


def test_store_relay_killed_at_random_points_loses_and_doubles_nothing(tmp_path: Path) -> None:
    hub_path, store_path, code = prepare(tmp_path)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    hub = start_hub(hub_path, port)
    target = 120
    try:
        enroll(store_path, url, code)
        rng = random.Random(20261126)
        progress = []
        for _ in range(8):
            before = store_movements(store_path)
            process = relay(store_path, url, target)
            wait_for(progressed(store_movements, store_path, before + rng.randint(1, 6), process), "relay")
            assert process.poll() is None, f"the relay stopped on its own: {process.stderr()}"
            time.sleep(rng.uniform(0.0, 0.2))  # anywhere in the write, push, pull cycle
            kill(process)
            progress.append(store_movements(store_path))
        assert progress[-1] < target, f"the kills came too late to hit a sync: {progress}"
        finish(relay(store_path, url, target))
    finally:
        kill(hub)
    verify(hub_path, store_path, target)


def test_hub_stopped_and_restarted_mid_sync(tmp_path: Path) -> None:
    hub_path, store_path, code = prepare(tmp_path)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    hub = start_hub(hub_path, port)
    target = 150
    try:
        enroll(store_path, url, code)
        store = relay(store_path, url, target)
        rng = random.Random(7)
        for _ in range(3):
            wanted = hub_movements(hub_path) + rng.randint(3, 12)
            wait_for(progressed(hub_movements, hub_path, wanted, store), "pushes reaching the hub")
            assert store.poll() is None, f"the relay stopped before the hub went down: {store.stderr()}"
            time.sleep(rng.uniform(0.0, 0.2))
            kill(hub)  # the hub dies mid-request: the relay sees dropped connections, then refusals
            time.sleep(rng.uniform(0.2, 1.0))
            hub = start_hub(hub_path, port)
        finish(store)
    finally:
        kill(hub)
    verify(hub_path, store_path, target)
