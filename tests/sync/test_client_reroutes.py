"""Units the hub takes off a store's fulfilments: the store's copy must end up holding exactly what
the hub's does, whatever the order of the feed, lost answers, snapshots or the store's own steps.

Each case below once left the store reserving more than the hub (the stateful test's "S01/SKU-1
reserved 4 in the store but 2 on the hub"): the client used to subtract `lines` and guess which
`lines_rerouted` answered which of its own rejections."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.domain.inventory import MovementSpec, Reason
from core.services.outbox import review_list
from core.services.store_ops import record_fulfilment_action, record_store_movements
from core.services.store_pull import PulledChange, apply_changes
from core.storage.models import Fulfilment
from sync.client import HubUnavailableError
from tests.sync.client_support import assert_consistent, assigned, balances, ledger_ids, open_store
from tests.sync.hub_harness import DroppingTransport, Hub, Store, pickup_order


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[Hub]:
    hub = Hub(tmp_path / "hub.db")
    yield hub
    hub.close()


def sell(store: Store, qty: int, sku: str = "SKU-1") -> None:
    with store.db.transaction() as session:
        record_store_movements(session, [MovementSpec("S01", sku, -qty, Reason.SALE)])


def act(store: Store, fid: str, action: str, **options: object) -> None:
    with store.db.transaction() as session:
        record_fulfilment_action(session, fid, action, **options)  # type: ignore[arg-type]


def work(db: object, fid: str) -> tuple[str, dict[str, int]]:
    with db.transaction() as session:  # type: ignore[attr-defined]
        f = session.get(Fulfilment, fid)
        return f.state, {ln.sku: ln.live_qty for ln in f.lines if ln.live_qty}


def assert_converged(hub: Hub, store: Store, fid: str) -> None:
    assert work(store.db, fid) == work(hub.db, fid)
    for bucket in ("sellable", "reserved"):
        assert balances(store.db, "S01", bucket) == hub.balances("S01", bucket), bucket
    assert ledger_ids(store.db, "S01") == hub.ledger_ids("S01")
    assert_consistent(store.db)
    assert_consistent(hub.db)


def test_a_rejection_answered_inside_a_snapshot_does_not_swallow_a_later_hub_move(
    hub: Hub, tmp_path: Path
) -> None:
    async def scenario() -> None:
        store = Store(tmp_path / "s01.db", hub.asgi)
        await store.enroll(hub, "S01")
        [fid] = hub.route(pickup_order("P1", "S01", [("SKU-1", 3)]))
        await store.client.sync_once()
        act(store, fid, "reject_lines", lines=[("SKU-1", 1)], reason="dented")
        await store.client.reset_cursor()
        await store.client.sync_once()  # the answer to the rejection is inside the snapshot
        sell(store, 9)  # 1 left on the shelf for 2 promised: the hub moves one unit on its own
        await store.client.sync_once()
        assert work(store.db, fid) == ("assigned", {"SKU-1": 1})
        assert_converged(hub, store, fid)
        await store.close()

    asyncio.run(scenario())


def test_a_hub_move_ahead_of_the_answer_to_a_later_rejection_is_told_apart(hub: Hub, tmp_path: Path) -> None:
    async def scenario() -> None:
        transport = DroppingTransport(hub)
        store = Store(tmp_path / "s01.db", transport)
        await store.enroll(hub, "S01")
        [fid] = hub.route(pickup_order("P1", "S01", [("SKU-1", 4)]))
        await store.client.sync_once()
        sell(store, 8)  # leaves 2 for 4 promised: the hub moves two units on its own...
        transport.drop = 1  # ...and the answer is lost, so the store does not pull yet
        with pytest.raises(HubUnavailableError):
            await store.client.sync_once()
        act(store, fid, "reject_lines", lines=[("SKU-1", 1)], reason="dented")
        await store.client.sync_once()  # feed: the hub's move, then the answer to the rejection
        assert work(store.db, fid) == ("assigned", {"SKU-1": 1})
        assert_converged(hub, store, fid)
        await store.close()

    asyncio.run(scenario())


def test_units_the_hub_moved_come_off_even_when_the_store_is_ahead(hub: Hub, tmp_path: Path) -> None:
    async def scenario() -> None:
        transport = DroppingTransport(hub)
        store = Store(tmp_path / "s01.db", transport)
        await store.enroll(hub, "S01")
        [fid] = hub.route(pickup_order("P1", "S01", [("SKU-1", 4)]))
        await store.client.sync_once()
        sell(store, 8)
        transport.drop = 1
        with pytest.raises(HubUnavailableError):
            await store.client.sync_once()
        for step in ("picking", "picked", "packed"):  # packed locally, past where units can be rejected
            act(store, fid, step)
        await store.client.sync_once()
        assert work(store.db, fid) == ("packed", {"SKU-1": 2})
        assert_converged(hub, store, fid)
        act(store, fid, "ready_for_pickup")
        act(store, fid, "collected")
        await store.client.sync_once()
        assert_converged(hub, store, fid)
        await store.close()

    asyncio.run(scenario())


def test_a_refused_rejection_gives_the_units_back(hub: Hub, tmp_path: Path) -> None:
    async def scenario() -> None:
        transport = DroppingTransport(hub)
        store = Store(tmp_path / "s01.db", transport)
        await store.enroll(hub, "S01")
        [fid] = hub.route(pickup_order("P1", "S01", [("SKU-1", 4)]))
        await store.client.sync_once()
        sell(store, 8)  # the hub moves two of the four units on its own
        transport.drop = 1
        with pytest.raises(HubUnavailableError):
            await store.client.sync_once()
        act(store, fid, "reject_lines", lines=[("SKU-1", 3)], reason="dented")  # 3 of the 2 left
        await store.client.sync_once()
        with store.db.transaction() as session:
            [refused] = review_list(session)
            assert refused.payload["action"] == "reject_lines"
        assert work(store.db, fid) == ("assigned", {"SKU-1": 2})  # what the hub still expects
        assert_converged(hub, store, fid)
        await store.close()

    asyncio.run(scenario())


def test_an_entry_already_reflected_in_a_snapshot_takes_nothing_off_twice(tmp_path: Path) -> None:
    db = open_store(tmp_path / "s01.db", "S01")
    moved = {
        "fulfilment_id": "W1-a",
        "order_id": "W1",
        "lines": [{"sku": "SKU-1", "qty": 2}],
        "fulfilment_state": "assigned",
        "moved_to": [],
        "reason": "stock sold in store",
        "text": "SKU-1 × 2 taken off fulfilment W1-a (stock sold in store).",
        "event_id": None,
        "remaining": [{"sku": "SKU-1", "qty": 2}],
    }
    with db.transaction() as session:
        apply_changes(session, [assigned("W1-a", "S01", [("SKU-1", 4)])], 1)
        # the snapshot already shows the move; the entry itself comes after the snapshot's head
        apply_changes(session, [assigned("W1-a", "S01", [("SKU-1", 2)], seq=7)], 7, snapshot=True)
        apply_changes(session, [PulledChange(8, "lines_rerouted", moved)], 8)
        apply_changes(session, [PulledChange(8, "lines_rerouted", moved)], 8)  # and a replayed page
    assert work(db, "W1-a") == ("assigned", {"SKU-1": 2})
    assert balances(db, "S01", "reserved") == {"SKU-1": 2}
    assert_consistent(db)
    db.close()
