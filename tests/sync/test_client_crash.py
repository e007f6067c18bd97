"""Crashes with real processes: a store relay killed with SIGKILL at random points, and a uvicorn
hub stopped and started again mid-sync. Afterwards nothing is lost, nothing is doubled, and
`balance == Σ ledger` holds on both sides."""

from __future__ import annotations

import asyncio
import random
import time
from pathlib import Path

import httpx

from core.services.hub.access import create_enrolment_code
from core.storage.database import Database
from sync.client import SyncClient
from tests.factories import small_network
from tests.sync.client_support import assert_consistent, balances, ledger_ids
from tests.sync.processes import free_port, kill, spawn, start_hub


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
        async with httpx.AsyncClient(timeout=5.0) as http:
            client = SyncClient(db, http)
            await client.enroll(url, code, "tablet-S01")
            await client.sync_once()
            client.close()
        db.close()

    asyncio.run(go())


def finish(store_path: Path, url: str, target: int) -> None:
    process = spawn("store", str(store_path), url, str(target))
    try:
        assert process.wait(timeout=180) == 0, process.stderr.read().decode() if process.stderr else ""
    finally:
        kill(process)


def verify(hub_path: Path, store_path: Path, target: int) -> None:
    hub, store = Database.open(str(hub_path)), Database.open(str(store_path))
    try:
        hub_ids = [i for i in _hub_ledger(hub)]
        assert len(ledger_ids(store, "S01")) == target
        assert ledger_ids(store, "S01") == hub_ids  # nothing lost, nothing doubled, same ids
        assert balances(store, "S01") == balances(hub, "S01")
        assert_consistent(store)
        assert_consistent(hub)
    finally:
        hub.close()
        store.close()


def _count(store_path: Path) -> int:
    store = Database.open(str(store_path))
    try:
        return len(ledger_ids(store, "S01"))
    finally:
        store.close()


def _hub_ledger(hub: Database) -> list[str]:
    from sqlalchemy import select

    from core.storage.models import Movement

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
            process = spawn("store", str(store_path), url, str(target))
            time.sleep(rng.uniform(0.3, 2.5))
            kill(process)
            progress.append(_count(store_path))
        assert progress[-1] < target, f"the kills came too late to hit a sync: {progress}"
        finish(store_path, url, target)
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
        store = spawn("store", str(store_path), url, str(target))
        rng = random.Random(7)
        for _ in range(3):
            time.sleep(rng.uniform(0.8, 2.0))
            assert store.poll() is None, "the relay finished before the hub went down"
            kill(hub)  # the hub dies mid-request: the relay sees dropped connections, then refusals
            time.sleep(rng.uniform(0.2, 1.0))
            hub = start_hub(hub_path, port)
        assert store.wait(timeout=180) == 0, store.stderr.read().decode() if store.stderr else ""
    finally:
        kill(hub)
    verify(hub_path, store_path, target)
