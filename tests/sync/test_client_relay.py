"""The relay loop: a commit anywhere wakes it (`notify`, from any thread), the timer retries when
nothing new is written, stamina backs off while answers are lost, and `status()` tells the UI."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.domain.inventory import MovementSpec, Reason
from core.services.store_ops import record_store_movements
from sync.client import RetryPolicy
from tests.sync.client_support import assert_consistent, balances
from tests.sync.hub_harness import DroppingTransport, Hub, Store


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[Hub]:
    hub = Hub(tmp_path / "hub.db")
    yield hub
    hub.close()


def sell(store: Store, qty: int = 1) -> None:
    with store.db.transaction() as session:
        record_store_movements(session, [MovementSpec("S01", "SKU-1", -qty, Reason.SALE)])


async def eventually(check, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    deadline = asyncio.get_running_loop().time() + timeout
    while not await check():
        assert asyncio.get_running_loop().time() < deadline, "condition not reached in time"
        await asyncio.sleep(0.02)


def test_notify_wakes_the_relay_from_any_thread(hub: Hub, tmp_path: Path) -> None:
    async def scenario() -> None:
        store = Store(tmp_path / "s01.db", hub.asgi, interval=3600.0)
        await store.enroll(hub, "S01")
        stop = asyncio.Event()
        relay = asyncio.create_task(store.client.run(stop))
        await eventually(lambda: _synced(store))
        sell(store)
        store.client.notify()
        await eventually(lambda: _hub_has(hub, 9))
        worker = threading.Thread(target=lambda: (sell(store, 2), store.client.notify()))
        worker.start()
        worker.join()
        await eventually(lambda: _hub_has(hub, 7))
        stop.set()
        await asyncio.wait_for(relay, 5)
        status = await store.client.status()
        assert (status.online, status.pending, status.oldest_pending_age) == (True, 0, None)
        assert status.last_sync is not None
        await store.close()

    asyncio.run(scenario())


def test_backoff_then_timer_get_everything_through_lost_answers(hub: Hub, tmp_path: Path) -> None:
    async def scenario() -> None:
        transport = DroppingTransport(hub)
        retry = RetryPolicy(attempts=3, timeout=5.0, wait_initial=0.01, wait_max=0.02, wait_jitter=0.01)
        store = Store(tmp_path / "s01.db", transport, interval=0.2)
        store.client.retry = retry
        await store.enroll(hub, "S01")
        sell(store, 3)
        transport.drop = 5  # more than one sync's attempts: stamina gives up, the timer tries again
        stop = asyncio.Event()
        relay = asyncio.create_task(store.client.run(stop))
        await eventually(lambda: _offline(store))
        status = await store.client.status()
        assert status.pending == 1 and status.in_doubt == 1 and status.oldest_pending_age is not None
        await eventually(lambda: _synced(store))
        stop.set()
        await asyncio.wait_for(relay, 5)
        assert transport.pushes >= 6
        assert balances(store.db, "S01") == hub.balances("S01") and hub.balances("S01")["SKU-1"] == 7
        assert_consistent(store.db)
        assert_consistent(hub.db)
        await store.close()

    asyncio.run(scenario())


async def _synced(store: Store) -> bool:
    status = await store.client.status()
    return status.online is True and status.pending == 0 and status.last_sync is not None


async def _offline(store: Store) -> bool:
    return (await store.client.status()).online is False


async def _hub_has(hub: Hub, units: int) -> bool:
    return hub.balances("S01").get("SKU-1") == units
