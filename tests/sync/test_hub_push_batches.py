"""A push of movements applied whole: the same answers as event by event, and back to event by event
whenever the batch holds something only that path may answer (on SQLite and PostgreSQL)."""

from __future__ import annotations

import random
import threading
import uuid
from collections import Counter
from typing import Any

from sqlalchemy import func, select

from core.domain.inventory import utc_now
from core.routing.rates import RateBroker, load_sample_rate_sheet
from core.services.allocation import Router
from core.services.checks import run_checks
from core.services.hub.events import StoreEvent, apply_events
from core.services.hub.movement_batch import apply_movement_batch
from core.services.inventory import record_movements
from core.storage.database import Database
from core.storage.models import EventConflict, InboundEvent, Movement, StockPosition
from sync.hub.translate import to_store_event, to_store_events
from tests.factories import small_network
from tests.sync import hub_kit
from tests.sync.hub_kit import movement, step

hub_db, router = hub_kit.hub_db, hub_kit.router  # fixtures, used by name


def parsed(*raw: dict[str, Any]) -> list[StoreEvent]:
    events = [to_store_event(r, i) for i, r in enumerate(raw)]
    assert all(isinstance(e, StoreEvent) for e in events)
    return events  # type: ignore[return-value]


def whole(db: Database, store: str, events: list[StoreEvent]) -> list[str] | None:
    """The batch path alone: its statuses, or None when it leaves the batch to the per-event path."""
    items = [(e.id, e.document, e.body) for e in events]
    with db.transaction() as session:
        outcomes = apply_movement_batch(session, store, items, utc_now())  # type: ignore[arg-type]
    return None if outcomes is None else [o.status for o in outcomes]


def push(db: Database, router: Router, store: str, events: list[StoreEvent]) -> list[tuple[str, str | None]]:
    with db.transaction() as session:
        return [(o.status, o.field) for o in apply_events(session, router, store, events)]


def position(db: Database, store: str, sku: str) -> tuple[int, int]:
    with db.transaction() as session:
        p = session.get(StockPosition, (store, sku))
        return p.sellable, p.damaged


def claims(db: Database) -> int:
    with db.transaction() as session:
        return session.scalar(select(func.count()).select_from(InboundEvent)) or 0


def test_a_push_validated_whole_reads_exactly_as_event_by_event() -> None:
    raw = [
        movement("S01", "SKU-1", -1, reference="till 2", device="tablet"),
        step("W1-a", "picking"),
        movement("S01", "SKU-2", 3, "receipt", bucket="damaged"),
    ]
    alone = [to_store_event(r, i) for i, r in enumerate(raw)]
    assert to_store_events(raw) == alone  # the same documents, so the same hashes and answers
    assert [e.document for e in alone] == raw  # type: ignore[union-attr]
    broken = {**raw[0], "payload": {**raw[0]["payload"], "qty": 0}}
    mixed = to_store_events([raw[1], broken, raw[2]])
    assert mixed == [alone[1], to_store_event(broken, 1), alone[2]]
    assert (mixed[1].status, mixed[1].field) == ("rejected", "payload.qty")  # type: ignore[union-attr]


def test_a_clean_batch_is_applied_whole_and_a_retry_is_answered_whole(hub_db: Database) -> None:
    first = parsed(*(movement("S01", f"SKU-{1 + i % 3}", -1) for i in range(6)))
    assert whole(hub_db, "S01", first) == ["applied"] * 6
    assert position(hub_db, "S01", "SKU-1") == (8, 0)
    second = parsed(*(movement("S01", "SKU-2", 4, "receipt") for _ in range(2)))
    mixed = [first[0], *second, first[5]]  # a retry of part of the last batch with new events
    assert whole(hub_db, "S01", mixed) == ["duplicate", "applied", "applied", "duplicate"]
    assert whole(hub_db, "S01", first) == ["duplicate"] * 6
    assert position(hub_db, "S01", "SKU-2") == (16, 0)
    with hub_db.transaction() as session:
        assert session.scalar(select(func.count()).where(Movement.reason != "initial")) == 8
        assert run_checks(session) == []


def test_the_same_id_twice_in_one_batch_goes_event_by_event_and_counts_once(
    hub_db: Database, router: Router
) -> None:
    sale = movement("S01", "SKU-1", -2)
    changed = {**sale, "payload": {**sale["payload"], "qty": -5}}
    events = parsed(sale, movement("S01", "SKU-2", -1), sale, changed)
    assert whole(hub_db, "S01", events) is None and claims(hub_db) == 0
    results = push(hub_db, router, "S01", events)
    assert results == [("applied", None), ("applied", None), ("duplicate", None), ("rejected", "id")]
    assert position(hub_db, "S01", "SKU-1") == (8, 0)
    with hub_db.transaction() as session:
        (kept,) = session.scalars(select(EventConflict)).all()
        assert kept.payload["payload"]["qty"] == -5


def test_a_conflict_in_the_middle_is_kept_for_review_and_the_rest_applied_whole(hub_db: Database) -> None:
    event_id = uuid.uuid4()
    assert whole(hub_db, "S01", parsed(movement("S01", "SKU-1", -1, event_id=event_id))) == ["applied"]
    batch = parsed(
        movement("S01", "SKU-2", -1),
        movement("S01", "SKU-1", -7, event_id=event_id),
        movement("S01", "SKU-3", -1),
    )
    assert whole(hub_db, "S01", batch) == ["applied", "rejected", "applied"]
    assert whole(hub_db, "S01", batch) == ["duplicate", "rejected", "duplicate"]
    assert [position(hub_db, "S01", s)[0] for s in ("SKU-1", "SKU-2", "SKU-3")] == [9, 9, 9]
    with hub_db.transaction() as session:
        (kept,) = session.scalars(select(EventConflict)).all()  # kept once, however often it comes
        assert kept.event_id == event_id and kept.payload["payload"]["qty"] == -7


def test_a_poison_event_in_the_middle_sends_the_batch_event_by_event(
    hub_db: Database, router: Router
) -> None:
    poisons = [
        (movement("S01", "NO-SUCH-SKU", -1), "payload.sku"),
        (movement("S02", "SKU-1", -1), "payload.location"),
        (movement("S01", "SKU-1", -1, "snapshot"), "payload.reason"),
        (movement("S01", "SKU-1", -1, "damage", bucket="damaged"), "payload.qty"),  # damaged is 0
    ]
    for n, (poison, field) in enumerate(poisons):
        events = parsed(movement("S01", "SKU-2", -1), poison, movement("S01", "SKU-3", -1))
        before = claims(hub_db)
        assert whole(hub_db, "S01", events) is None and claims(hub_db) == before  # nothing left behind
        assert push(hub_db, router, "S01", events) == [
            ("applied", None),
            ("rejected", field),
            ("applied", None),
        ]
        assert position(hub_db, "S01", "SKU-2") == (9 - n, 0)
        # sent again next to a fresh event: the same rejection, not a second attempt
        again = [events[1], *parsed(movement("S01", "SKU-3", 1, "receipt"))]
        assert push(hub_db, router, "S01", again) == [("rejected", field), ("applied", None)]
    with hub_db.transaction() as session:
        assert run_checks(session) == []


def test_a_bucket_may_go_up_then_down_within_one_batch(hub_db: Database) -> None:
    events = parsed(
        movement("S01", "SKU-1", 2, "damage", bucket="damaged"),
        movement("S01", "SKU-1", -2, "damage", bucket="damaged"),
        movement("S01", "SKU-1", -12),  # sellable may go below zero: the sale happened
    )
    assert whole(hub_db, "S01", events) == ["applied"] * 3
    assert position(hub_db, "S01", "SKU-1") == (-2, 0)


def test_an_id_already_in_the_ledger_goes_event_by_event(hub_db: Database, router: Router) -> None:
    (event,) = parsed(movement("S01", "SKU-1", -1))
    with hub_db.transaction() as session:
        record_movements(session, [event.body])  # type: ignore[list-item]
    assert whole(hub_db, "S01", [event]) is None
    assert push(hub_db, router, "S01", [event]) == [("applied", None)]
    assert position(hub_db, "S01", "SKU-1") == (9, 0)  # recognised as the movement it already was


def test_concurrent_whole_batches_on_postgresql_keep_exact_balances(postgresql_db: Database) -> None:
    db = postgresql_db
    with db.transaction() as session:
        small_network(session, stock=1000)
    router = Router(RateBroker(load_sample_rate_sheet()))
    shared = parsed(*(movement("S01", "SKU-1", -1) for _ in range(50)))  # pushed by every S01 device
    expected: Counter[tuple[str, str]] = Counter({("S01", "SKU-1"): -50})
    statuses: Counter[str] = Counter()
    lock = threading.Lock()
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def device(store: str, seed: int) -> None:
        rng = random.Random(seed)
        try:
            start.wait()
            for _ in range(6):
                raw = [
                    movement(store, rng.choice(("SKU-1", "SKU-2", "SKU-3")), rng.choice((-2, -1, 3)))
                    for _ in range(120)
                ]
                batch = parsed(*raw)
                if store == "S01":
                    batch += shared
                    rng.shuffle(batch)
                with db.transaction() as session:  # no retry: a deadlock fails the test
                    outcomes = apply_events(session, router, store, batch)
                with lock:
                    statuses.update(o.status for o in outcomes)
                    for r in raw:
                        expected[(store, r["payload"]["sku"])] += r["payload"]["qty"]
        except BaseException as exc:  # collected and asserted on below
            errors.append(exc)

    threads = [threading.Thread(target=device, args=(s, n)) for n, s in enumerate(["S01"] * 3 + ["S02"] * 3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == [] and not any(t.is_alive() for t in threads)
    assert statuses == {"applied": 6 * 6 * 120 + 50, "duplicate": 3 * 6 * 50 - 50}
    with db.transaction() as session:
        for (store, sku), delta in expected.items():
            assert session.get(StockPosition, (store, sku)).sellable == 1000 + delta
        assert run_checks(session) == []
