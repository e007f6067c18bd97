"""Delivery against the real hub app in process: lost answers, concurrent and replayed pushes,
poison events and late steps. Each test ends with both ledgers compared id by id."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from core.domain.inventory import MovementSpec, Reason
from core.services.hub.intake import cancel_order
from core.services.outbox import enqueue, requeue, review_list, unread_messages
from core.services.store_ops import record_fulfilment_action, record_store_movements
from core.storage.models import Fulfilment
from sync.client import HubUnavailableError, SyncClient
from tests.sync.client_support import assert_consistent, balances, ledger_ids
from tests.sync.hub_harness import FAST, DroppingTransport, Hub, Store, pickup_order


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[Hub]:
    hub = Hub(tmp_path / "hub.db")
    yield hub
    hub.close()


def sell(store: Store, n: int, sku: str = "SKU-1", location: str = "S01") -> list[uuid.UUID]:
    specs = [MovementSpec(location, sku, -1, Reason.SALE, reference=f"till {i}") for i in range(n)]
    with store.db.transaction() as session:
        record_store_movements(session, specs)
    return [s.id for s in specs]


def assert_converged(hub: Hub, store: Store, location: str = "S01") -> None:
    assert ledger_ids(store.db, location) == hub.ledger_ids(location)
    assert balances(store.db, location) == hub.balances(location)
    assert_consistent(store.db)
    assert_consistent(hub.db)


def test_lost_answer_is_retried_with_the_same_ids_and_applied_once(hub: Hub, tmp_path: Path) -> None:
    async def scenario() -> None:
        transport = DroppingTransport(hub)
        store = Store(tmp_path / "s01.db", transport)
        await store.enroll(hub, "S01")
        sold = sell(store, 5)
        transport.drop = 1
        with pytest.raises(HubUnavailableError):
            await store.client.push_once()
        status = await store.client.status()
        assert (status.online, status.pending, status.in_doubt) == (False, 5, 5)
        assert sorted(map(str, sold)) == hub.ledger_ids("S01")  # the hub had committed them
        report = await store.client.push_once()
        assert (report.sent, report.duplicate, report.rejected) == (0, 5, 0)
        status = await store.client.status()
        assert (status.online, status.pending, status.in_doubt) == (True, 0, 0)
        assert hub.balances("S01")["SKU-1"] == 5
        assert_converged(hub, store)
        await store.close()

    asyncio.run(scenario())


def test_lost_answers_under_the_relay_loop_still_apply_each_event_once(hub: Hub, tmp_path: Path) -> None:
    async def scenario() -> None:
        transport = DroppingTransport(hub)
        store = Store(tmp_path / "s01.db", transport, batch_size=3)
        await store.enroll(hub, "S01")
        sell(store, 7)
        transport.drop = 2  # stamina retries the whole sync with backoff
        await store.client.sync_with_retries()
        assert transport.pushes >= 5
        assert (await store.client.status()).pending == 0
        assert_converged(hub, store)
        await store.close()

    asyncio.run(scenario())


def test_two_concurrent_flushes_send_each_event_once(hub: Hub, tmp_path: Path) -> None:
    async def scenario() -> None:
        store = Store(tmp_path / "s01.db", hub.asgi, batch_size=4)
        await store.enroll(hub, "S01")
        sell(store, 10)
        a, b = await asyncio.gather(store.client.push_once(), store.client.push_once())
        assert a.sent + b.sent == 10 and a.duplicate + b.duplicate == 0
        # a second relay on the same file (another process, say) racing the first: the hub dedups
        sell(store, 6, sku="SKU-2")
        other = SyncClient(store.db, store.http, retry=FAST, batch_size=2)
        c, d = await asyncio.gather(store.client.push_once(), other.push_once())
        assert c.sent + d.sent == 6
        other.close()
        assert_converged(hub, store)
        await store.close()

    asyncio.run(scenario())


def test_replaying_the_whole_outbox_doubles_nothing(hub: Hub, tmp_path: Path) -> None:
    async def scenario() -> None:
        store = Store(tmp_path / "s01.db", hub.asgi)
        await store.enroll(hub, "S01")
        sell(store, 4)
        sell(store, 3, sku="SKU-3")
        await store.client.sync_once()
        before = hub.balances("S01")
        with store.db.transaction() as session:
            assert requeue(session) == 7
        report = await store.client.push_once()
        assert (report.sent, report.duplicate) == (0, 7)
        await store.client.sync_once()
        assert hub.balances("S01") == before == {"SKU-1": 6, "SKU-2": 10, "SKU-3": 7}
        assert_converged(hub, store)
        await store.close()

    asyncio.run(scenario())


def test_a_poison_event_goes_to_review_and_the_rest_of_the_batch_applies(hub: Hub, tmp_path: Path) -> None:
    async def scenario() -> None:
        store = Store(tmp_path / "s01.db", hub.asgi)
        await store.enroll(hub, "S01")
        first = sell(store, 2)
        with store.db.transaction() as session:  # the hub has never heard of this fulfilment
            enqueue(
                session,
                "fulfilment",
                {"fulfilment_id": "NOPE-1", "action": "picking"},
                fulfilment_id="NOPE-1",
            )
        middle = sell(store, 1, sku="SKU-2")
        with store.db.transaction() as session:  # corrupt on the tablet: fails the protocol itself
            enqueue(session, "movement", {"location": "S01", "sku": "SKU-1", "qty": 0, "reason": "sale"})
        last = sell(store, 2, sku="SKU-3")
        report = await store.client.push_once()
        assert (report.sent, report.rejected) == (5, 2)
        with store.db.transaction() as session:
            reasons = [(r.rejection_field, r.rejection_reason) for r in review_list(session)]
            notes = [m.text for m in unread_messages(session)]
        assert reasons[0][0] == "payload.fulfilment_id" and "NOPE-1" in reasons[0][1]
        assert reasons[1][0] == "payload.qty" and "must not be zero" in reasons[1][1]
        assert len(notes) == 2
        assert hub.ledger_ids("S01") == sorted(str(i) for i in first + middle + last)
        status = await store.client.status()
        assert (status.pending, status.rejected, status.needs_attention) == (0, 2, True)
        await store.client.sync_once()
        assert_converged(hub, store)
        await store.close()

    asyncio.run(scenario())


def test_a_late_step_on_a_fulfilment_cancelled_while_offline_is_answered(hub: Hub, tmp_path: Path) -> None:
    async def scenario() -> None:
        store = Store(tmp_path / "s01.db", hub.asgi)
        await store.enroll(hub, "S01")
        [fid] = hub.route(pickup_order("P1", "S01", [("SKU-1", 2)]))
        await store.client.sync_once()
        # offline: the store starts picking while the hub cancels the order
        with store.db.transaction() as session:
            record_fulfilment_action(session, fid, "picking")
        with hub.db.transaction() as session:
            cancel_order(session, "P1", "customer called to cancel", now=datetime.now(UTC))
        await store.client.sync_once()
        with store.db.transaction() as session:
            [late] = review_list(session)
            notes = [m.text for m in unread_messages(session)]
            assert session.get(Fulfilment, fid).state == "cancelled"
            assert session.scalars(select(Fulfilment.id)).all() == [fid]
        assert late.payload["action"] == "picking" and "cancelled" in late.rejection_reason
        assert any("was cancelled: customer called to cancel" in n for n in notes)
        assert any(f"The hub refused fulfilment picking on fulfilment {fid}" in n for n in notes)
        assert len(notes) == 2  # the event answer in the feed does not repeat the message
        assert_converged(hub, store)
        await store.close()

    asyncio.run(scenario())
