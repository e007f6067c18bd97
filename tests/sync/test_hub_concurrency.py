"""Concurrent pushes on PostgreSQL: no deadlock, no lost update, and the same event applied once.

Threads push movements for overlapping SKUs listed in different orders while orders are routed;
every batch locks its stock rows in one global order first, so they queue instead of deadlocking.
"""

from __future__ import annotations

import random
import threading
import uuid
from collections import Counter
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from core.domain.inventory import MovementSpec, Reason, utc_now
from core.domain.orders import parse_order
from core.routing.rates import RateBroker, load_sample_rate_sheet
from core.services.allocation import Router
from core.services.catalog import upsert_locations
from core.services.checks import run_checks
from core.services.hub.events import StoreEvent, apply_events
from core.services.hub.intake import route_order
from core.storage.database import Database
from core.storage.models import Fulfilment, Movement, StockPosition
from sync.hub.context import Hub, run_unit
from tests.factories import order_json, small_network, store

SKUS = ("SKU-1", "SKU-2", "SKU-3")


def event(location: str, sku: str, qty: int, event_id: uuid.UUID | None = None) -> StoreEvent:
    spec = MovementSpec(
        location, sku, qty, Reason.RECEIPT if qty > 0 else Reason.SALE, id=event_id or uuid.uuid4()
    )
    document = {"id": str(spec.id), "location": location, "sku": sku, "qty": qty, "reason": spec.reason.value}
    return StoreEvent(spec.id, "movement", document, spec)


def run_threads(workers: list[Callable[[], Any]]) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(len(workers))

    def wrapped(work: Callable[[], Any]) -> None:
        start.wait()
        try:
            work()
        except BaseException as exc:  # collected and asserted on by the test
            errors.append(exc)

    threads = [threading.Thread(target=wrapped, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a worker hung"
    return errors


def shop(hub: Hub, prefix: str, orders: int) -> Callable[[], None]:
    """A web shop sending `orders` orders one after another through the hub's intake."""

    def work() -> None:
        for i in range(orders):
            order = parse_order(order_json(f"{prefix}{i}"))
            run_unit(hub, lambda s, o=order: route_order(s, hub.router, o))

    return work


def test_concurrent_pushes_and_orders_neither_deadlock_nor_lose_units(postgresql_db: Database) -> None:
    db = postgresql_db
    with db.transaction() as session:
        small_network(session, stock=200)
    router = Router(RateBroker(load_sample_rate_sheet()))
    hub = Hub(db, router, 1_000_000)
    pushed: Counter[tuple[str, str]] = Counter()
    lock = threading.Lock()

    def device(store: str, seed: int) -> Callable[[], None]:
        def work() -> None:
            rng = random.Random(seed)
            for _ in range(12):
                skus = list(SKUS) * 2
                rng.shuffle(skus)  # each batch touches the same rows in a different order
                batch = [event(store, sku, rng.choice([-2, -1, 1, 3])) for sku in skus]
                with db.transaction() as session:  # no retry: a deadlock would fail the test
                    outcomes = apply_events(session, router, store, batch)
                assert {o.status for o in outcomes} == {"applied"}
                with lock:
                    for e in batch:
                        pushed[(store, e.body.sku)] += e.body.qty

        return work

    workers = [device("S01", 1), device("S01", 2), device("S01", 3), device("S02", 4), device("S02", 5)]
    errors = run_threads([*workers, shop(hub, "A", 4), shop(hub, "B", 4)])
    assert errors == []
    with db.transaction() as session:
        assert run_checks(session) == []
        for (store, sku), delta in pushed.items():
            assert session.get(StockPosition, (store, sku)).sellable == 200 + delta
        assert (
            session.scalar(select(func.count()).select_from(Movement).where(Movement.reason != "initial"))
            == 5 * 12 * 6
        )


def test_the_same_event_pushed_at_once_by_two_threads_is_applied_once(postgresql_db: Database) -> None:
    db = postgresql_db
    with db.transaction() as session:
        small_network(session, stock=20)
    router = Router(RateBroker(load_sample_rate_sheet()))
    shared = [event("S01", "SKU-1", -1) for _ in range(20)]
    results: list[str] = []

    def push() -> None:
        with db.transaction() as session:
            outcomes = apply_events(session, router, "S01", shared, now=utc_now())
        results.extend(o.status for o in outcomes)

    assert run_threads([push, push, push]) == []
    assert Counter(results) == {"applied": 20, "duplicate": 40}
    with db.transaction() as session:
        assert session.get(StockPosition, ("S01", "SKU-1")).sellable == 0
        assert run_checks(session) == []


def test_orders_routed_at_once_never_overbook_a_store_s_daily_capacity(postgresql_db: Database) -> None:
    """Each decision reads the capacity used today and writes against it: two at once must not both
    take a store's last slot (the routing lock makes read and write one step)."""
    db = postgresql_db
    with db.transaction() as session:
        small_network(session, stock=100)
        upsert_locations(session, [store("S01", "60601", daily_capacity=3), store("S02", enabled=False)])
    router = Router(RateBroker(load_sample_rate_sheet()))
    hub = Hub(db, router, 1_000_000)

    assert run_threads([shop(hub, p, 3) for p in "ABCD"]) == []
    with db.transaction() as session:
        at = Counter(session.scalars(select(Fulfilment.location_code)))
        assert run_checks(session) == []
    assert at["S01"] == 3 and at["DC1"] == 9  # the nearest store until full, then the DC
