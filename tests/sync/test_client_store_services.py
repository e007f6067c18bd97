"""The store-side services without a hub: a change and its event commit together, pulled changes
apply idempotently, and a stock snapshot counts the store's pending movements exactly once."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from core.domain.errors import InsufficientStockError
from core.domain.inventory import MovementSpec, Reason
from core.services.outbox import EventOutcome, outbox_counts, record_outcomes, review_list, unread_messages
from core.services.store_ops import record_fulfilment_action, record_store_movements
from core.services.store_pull import PulledChange, apply_changes
from core.storage.database import Database
from core.storage.models import Fulfilment, Movement, OutboxEvent, Reservation
from sync.protocol import EVENT_ADAPTER, MovementEvent
from tests.factories import small_network
from tests.sync.client_support import assert_consistent, assigned, balances, open_store, stock


@pytest.fixture
def store(tmp_path: Path) -> Database:
    db = open_store(tmp_path / "s01.db", "S01")
    with db.transaction() as session:
        small_network(session, stock=10)
    yield db
    db.close()


def _outbox(db: Database) -> list[OutboxEvent]:
    with db.transaction() as session:
        return list(session.scalars(select(OutboxEvent).order_by(OutboxEvent.position)))


def _wire(row: OutboxEvent) -> object:
    return EVENT_ADAPTER.validate_python(
        {"id": row.event_id, "kind": row.kind, "occurred_at": row.occurred_at, "payload": row.payload}
    )


def test_movement_and_its_event_commit_together_with_the_same_id(store: Database) -> None:
    sale = MovementSpec("S01", "SKU-1", -2, Reason.SALE, reference="till 3")
    with store.transaction() as session:
        record_store_movements(session, [sale])
    with store.transaction() as session:
        record_store_movements(session, [sale])  # a retried call is a duplicate: no second event
    [row] = _outbox(store)
    event = _wire(row)
    assert isinstance(event, MovementEvent)
    assert event.id == sale.id and event.payload.qty == -2 and event.payload.reason is Reason.SALE
    assert balances(store, "S01")["SKU-1"] == 8
    assert_consistent(store)


def test_answers_mark_rows_once_and_count_every_attempt(store: Database) -> None:
    sales = [MovementSpec("S01", f"SKU-{n}", -1, Reason.SALE) for n in (1, 2, 3)]
    with store.transaction() as session:
        record_store_movements(session, sales)
        applied = [EventOutcome(sales[0].id, "applied"), EventOutcome(sales[1].id, "duplicate")]
        assert record_outcomes(session, applied) == 2
        assert record_outcomes(session, applied[:1]) == 0  # answered again: sent already
        refused = EventOutcome(sales[2].id, "rejected", "unknown SKU", "payload.sku")
        assert record_outcomes(session, [refused, refused]) == 1
    rows = {row.event_id: row for row in _outbox(store)}
    assert [(rows[s.id].state, rows[s.id].attempts) for s in sales] == [
        ("sent", 2),
        ("sent", 1),
        ("rejected", 2),
    ]
    with store.transaction() as session:
        assert [m.event_id for m in unread_messages(session)] == [sales[2].id]


def test_a_refused_change_leaves_no_event(store: Database) -> None:
    with pytest.raises(InsufficientStockError), store.transaction() as session:
        record_store_movements(session, [MovementSpec("S01", "SKU-1", -11, Reason.SALE)])
    assert _outbox(store) == []
    assert balances(store, "S01")["SKU-1"] == 10


def test_assigned_fulfilment_is_reserved_picked_and_shipped_with_events(store: Database) -> None:
    with store.transaction() as session:
        apply_changes(session, [assigned("W1-a", "S01", [("SKU-1", 2), ("SKU-2", 1)])], 1)
        apply_changes(session, [assigned("W1-a", "S01", [("SKU-1", 2), ("SKU-2", 1)])], 1)  # replayed page
    with store.transaction() as session:
        [reservation_total] = session.execute(select(Reservation.qty)).scalars().all()[:1]
        assert reservation_total == 2
        for action in ("picking", "picked", "packed", "shipped"):
            record_fulfilment_action(session, "W1-a", action)
    assert balances(store, "S01") == {"SKU-1": 8, "SKU-2": 9, "SKU-3": 10}
    kinds = [(r.kind, r.payload.get("action") or r.payload.get("reason")) for r in _outbox(store)]
    assert kinds == [
        ("fulfilment", "picking"),
        ("fulfilment", "picked"),
        ("fulfilment", "packed"),
        ("fulfilment", "shipped"),
        ("movement", "shipment"),
        ("movement", "shipment"),
    ]
    assert all(_wire(r) for r in _outbox(store))
    assert_consistent(store)


def test_rejecting_lines_releases_them_and_tells_the_hub(store: Database) -> None:
    with store.transaction() as session:
        apply_changes(session, [assigned("W2-a", "S01", [("SKU-1", 3)])], 1)
        record_fulfilment_action(session, "W2-a", "reject_lines", lines=[("SKU-1", 1)], reason="damaged")
        fulfilment = session.get(Fulfilment, "W2-a")
        assert fulfilment.state == "assigned" and fulfilment.lines[0].live_qty == 2
        record_fulfilment_action(session, "W2-a", "reject_lines", reason="not found")
        assert session.get(Fulfilment, "W2-a").state == "rejected"
    payloads = [r.payload for r in _outbox(store)]
    assert payloads[0]["lines"] == [{"sku": "SKU-1", "qty": 1}] and payloads[1]["lines"] == []
    assert_consistent(store)


def test_snapshot_stock_is_hub_balance_plus_pending_and_is_idempotent(store: Database) -> None:
    sale = MovementSpec("S01", "SKU-1", -2, Reason.SALE)
    receipt = MovementSpec("S01", "SKU-2", 5, Reason.RECEIPT)
    with store.transaction() as session:
        record_store_movements(session, [sale, receipt])
        # the hub acknowledged the receipt (its balance 15 holds it); the sale is still pending
        record_outcomes(session, [EventOutcome(receipt.id, "applied")])
    hub = stock("S01", {"SKU-1": 7, "SKU-2": 15})  # SKU-3 unlisted in a complete snapshot: zero
    for _ in range(2):
        with store.transaction() as session:
            apply_changes(session, [hub], 5, snapshot=True)
    assert balances(store, "S01") == {"SKU-1": 5, "SKU-2": 15}
    with store.transaction() as session:
        snapshot_moves = session.scalars(select(Movement).where(Movement.reason == "snapshot")).all()
        assert sorted((m.sku, m.qty) for m in snapshot_moves) == [("SKU-1", -3), ("SKU-3", -10)]
        assert outbox_counts(session).pending == 1  # snapshot movements are never pushed
    assert_consistent(store)


def test_incremental_entry_never_rolls_a_known_fulfilment_back(store: Database) -> None:
    with store.transaction() as session:
        apply_changes(session, [assigned("W3-a", "S01", [("SKU-1", 1)])], 1)
        record_fulfilment_action(session, "W3-a", "picking")
        record_outcomes(
            session, [EventOutcome(r.event_id, "applied") for r in session.scalars(select(OutboxEvent))]
        )
        apply_changes(session, [assigned("W3-a", "S01", [("SKU-1", 1)], seq=2)], 2)  # stale entry
        assert session.get(Fulfilment, "W3-a").state == "picking"
        apply_changes(session, [assigned("W3-a", "S01", [("SKU-1", 1)], state="picked")], 9, snapshot=True)
        assert session.get(Fulfilment, "W3-a").state == "picked"
        apply_changes(session, [], 10, snapshot=True)  # no longer listed: not this store's work any more
        assert session.get(Fulfilment, "W3-a").state == "cancelled"
    assert_consistent(store)


def test_event_answer_moves_an_acknowledged_event_to_review(store: Database) -> None:
    with store.transaction() as session:
        apply_changes(session, [assigned("W4-a", "S01", [("SKU-1", 1)])], 1)
        record_fulfilment_action(session, "W4-a", "picking")
        [row] = session.scalars(select(OutboxEvent)).all()
        record_outcomes(session, [EventOutcome(row.event_id, "applied")])
        answer = PulledChange(
            2,
            "event_answer",
            {
                "event_id": str(row.event_id),
                "reason": "fulfilment W4-a was cancelled",
                "fulfilment_id": "W4-a",
            },
        )
        apply_changes(session, [answer, answer], 2)
        assert [r.rejection_reason for r in review_list(session)] == ["fulfilment W4-a was cancelled"]
        [note] = unread_messages(session)
        assert "cancelled" in note.text and note.fulfilment_id == "W4-a"
