"""Forced re-snapshots: a wiped tablet enrolled again, and a reset cursor with sales still in the
outbox (some of them in doubt). Balances must equal the hub's with nothing counted twice."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from core.domain.inventory import MovementSpec, Reason
from core.services.outbox import SyncKey, get_setting
from core.services.store_ops import record_store_movements
from core.storage.models import Fulfilment
from sync.client import HubUnavailableError
from tests.sync.client_support import assert_consistent, balances, ledger_ids
from tests.sync.hub_harness import DroppingTransport, Hub, Store, pickup_order


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[Hub]:
    hub = Hub(tmp_path / "hub.db")
    yield hub
    hub.close()


def move(store: Store, sku: str, qty: int, reason: Reason = Reason.SALE) -> None:
    with store.db.transaction() as session:
        record_store_movements(session, [MovementSpec("S01", sku, qty, reason)])


def test_a_wiped_tablet_enrolled_again_gets_the_hubs_balances(hub: Hub, tmp_path: Path) -> None:
    async def scenario() -> None:
        store = Store(tmp_path / "s01.db", hub.asgi)
        await store.enroll(hub, "S01")
        [fid] = hub.route(pickup_order("P1", "S01", [("SKU-2", 1)]))
        move(store, "SKU-1", -3)
        move(store, "SKU-3", 4, Reason.RECEIPT)
        await store.client.sync_once()
        await store.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{tmp_path / 's01.db'}{suffix}").unlink(missing_ok=True)

        fresh = Store(tmp_path / "s01.db", hub.asgi)
        await fresh.enroll(hub, "S01")
        assert balances(fresh.db, "S01") == hub.balances("S01") == {"SKU-1": 7, "SKU-2": 10, "SKU-3": 14}
        assert balances(fresh.db, "S01", "reserved") == hub.balances("S01", "reserved") == {"SKU-2": 1}
        with fresh.db.transaction() as session:
            assert session.scalars(select(Fulfilment.id)).all() == [fid]
            assert get_setting(session, SyncKey.SNAPSHOT_GENERATION) is not None
        assert_consistent(fresh.db)
        await fresh.close()

    asyncio.run(scenario())


def test_reset_cursor_with_pending_and_in_doubt_sales_counts_each_once(hub: Hub, tmp_path: Path) -> None:
    async def scenario() -> None:
        transport = DroppingTransport(hub)
        store = Store(tmp_path / "s01.db", transport)
        await store.enroll(hub, "S01")
        move(store, "SKU-1", -2)
        transport.drop = 1  # the hub has these two sales; the store does not know it
        with pytest.raises(HubUnavailableError):
            await store.client.push_once()
        await store.client.reset_cursor()

        def associate_sells() -> None:  # written while the snapshot is on its way: pending at apply
            transport.before_pull = None
            move(store, "SKU-1", -1)
            move(store, "SKU-2", -4)

        transport.before_pull = associate_sells
        report = await store.client.pull_once()  # settles the two in doubt, then snapshots
        assert report.snapshot
        assert balances(store.db, "S01") == {"SKU-1": 7, "SKU-2": 6, "SKU-3": 10}
        assert hub.balances("S01") == {"SKU-1": 8, "SKU-2": 10, "SKU-3": 10}
        assert (await store.client.status()).pending == 2
        await store.client.sync_once()
        assert balances(store.db, "S01") == hub.balances("S01") == {"SKU-1": 7, "SKU-2": 6, "SKU-3": 10}
        assert ledger_ids(store.db, "S01") == hub.ledger_ids("S01")
        assert_consistent(store.db)
        assert_consistent(hub.db)
        await store.close()

    asyncio.run(scenario())
