"""What the UI needs from sync besides the data: letting a refused event go, marking messages read,
knowing the token was revoked, and not being sent a snapshot on every pull of a quiet new hub."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, update

from core.domain.inventory import MovementSpec, Reason
from core.services.outbox import (
    discard_rejected,
    enqueue,
    mark_messages_read,
    outbox_counts,
    review_list,
    unread_messages,
)
from core.services.store_ops import record_store_movements
from core.storage.models import ApiToken, OutboxEvent
from sync.client import HubRefusedError
from tests.sync.client_support import assert_consistent, balances, ledger_ids
from tests.sync.hub_harness import Hub, Store, pickup_order


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[Hub]:
    hub = Hub(tmp_path / "hub.db")
    yield hub
    hub.close()


def test_discarding_a_refused_movement_takes_the_hubs_word_for_the_stock(hub: Hub, tmp_path: Path) -> None:
    async def scenario() -> None:
        store = Store(tmp_path / "s01.db", hub.asgi)
        await store.enroll(hub, "S01")
        with store.db.transaction() as session:
            record_store_movements(session, [MovementSpec("S01", "SKU-1", -2, Reason.SALE)])
            # written by a buggy build: a movement the hub refuses (it never takes snapshot reasons)
            enqueue(session, "movement", {"location": "S01", "sku": "SKU-2", "qty": -3, "reason": "snapshot"})
        await store.client.sync_once()
        with store.db.transaction() as session:
            [refused] = review_list(session)
            assert refused.rejection_field == "payload.reason"
            assert len(unread_messages(session)) == 1
        status = await store.client.status()
        assert (status.rejected, status.needs_attention) == (1, True)
        with store.db.transaction() as session:
            assert discard_rejected(session, [refused.event_id]) == 1
            assert discard_rejected(session, [refused.event_id]) == 0  # already let go
            assert unread_messages(session) == []  # its message was read with it
            assert session.scalar(
                select(OutboxEvent.state).where(OutboxEvent.event_id == refused.event_id)
            ) == ("discarded")
        report = await store.client.pull_once()
        assert report.snapshot
        status = await store.client.status()
        assert (status.rejected, status.needs_attention) == (0, False)
        assert balances(store.db, "S01") == hub.balances("S01")
        assert ledger_ids(store.db, "S01") == hub.ledger_ids("S01")
        assert_consistent(store.db)
        await store.close()

    asyncio.run(scenario())


def test_messages_are_marked_read_by_id_or_all_at_once(hub: Hub, tmp_path: Path) -> None:
    async def scenario() -> None:
        store = Store(tmp_path / "s01.db", hub.asgi)
        await store.enroll(hub, "S01")
        with store.db.transaction() as session:
            for _ in range(3):  # three events the hub refuses: three messages
                enqueue(session, "movement", {"location": "S02", "sku": "SKU-1", "qty": -1, "reason": "sale"})
        await store.client.push_once()
        with store.db.transaction() as session:
            first, *rest = unread_messages(session)
            assert mark_messages_read(session, [first.id]) == 1
            assert mark_messages_read(session, []) == 0
            assert [m.id for m in unread_messages(session)] == [m.id for m in rest]
            assert mark_messages_read(session) == 2
            assert unread_messages(session) == []
            assert outbox_counts(session).rejected == 3
        await store.close()

    asyncio.run(scenario())


def test_a_revoked_token_is_reported_until_the_device_enrols_again(hub: Hub, tmp_path: Path) -> None:
    async def scenario() -> None:
        store = Store(tmp_path / "s01.db", hub.asgi)
        await store.enroll(hub, "S01")
        assert not (await store.client.status()).token_refused
        with hub.db.transaction() as session:
            session.execute(update(ApiToken).values(revoked_at=ApiToken.created_at))
        with pytest.raises(HubRefusedError) as refused:
            await store.client.sync_once()
        assert refused.value.status == 401
        status = await store.client.status()
        assert status.token_refused and status.needs_attention and status.online is True
        reopened = Store(tmp_path / "s01.db", hub.asgi)  # the app restarted: still known
        assert (await reopened.client.status()).token_refused
        await reopened.close()
        await store.enroll(hub, "S01")
        assert not (await store.client.status()).token_refused
        await store.close()

    asyncio.run(scenario())


def test_a_quiet_new_hub_sends_one_snapshot_not_one_per_pull(hub: Hub, tmp_path: Path) -> None:
    async def scenario() -> None:
        store = Store(tmp_path / "s01.db", hub.asgi)
        await store.enroll(hub, "S01")  # enrol, then a sync: the snapshot of an empty feed
        for _ in range(3):
            report = await store.client.pull_once()
            assert not report.snapshot and report.changes == 0 and report.cursor == 0
        hub.route(pickup_order("P1", "S01", [("SKU-1", 1)]))
        report = await store.client.pull_once()
        assert not report.snapshot and report.changes == 1
        await store.client.reset_cursor()
        assert (await store.client.pull_once()).snapshot  # asked for: one snapshot
        assert not (await store.client.pull_once()).snapshot
        await store.close()

    asyncio.run(scenario())
