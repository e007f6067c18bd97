"""The pick queue's first page is a bounded read: fulfilments carry their order's promise, and the
page query walks `ix_fulfilments_queue` in order instead of sorting every open fulfilment."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event, select

from core.domain.orders import parse_order
from core.domain.picking import QueueQuery
from core.services.orders import create_fulfilment, create_order, get_order
from core.services.pick_queue import queue_page
from core.services.pick_seed import seed_store_orders
from core.storage.database import Database
from core.storage.models import Fulfilment, Order
from tests.factories import NOW, order_json, small_network
from tests.ui.pick_kit import seed_pick_store


@pytest.fixture
def big_store(tmp_path: Path) -> Iterator[Database]:
    db = Database.open(str(tmp_path / "store.db"))
    with db.transaction() as session:
        seed_store_orders(session, 400, products=50)
    yield db
    db.close()


def test_a_fulfilment_made_on_the_hub_carries_its_orders_promise(db: Database) -> None:
    with db.transaction() as session:
        small_network(session)
        create_order(session, parse_order(order_json()), now=NOW)
        fulfilment = create_fulfilment(session, "W1", "S01", [(1, 2)], now=NOW)
        assert fulfilment.promise_by == get_order(session, "W1").promise_by is not None


def test_a_fulfilment_pulled_by_the_store_carries_its_orders_promise(tmp_path: Path) -> None:
    db = Database.open(str(tmp_path / "store.db"))
    seed_pick_store(db)
    with db.transaction() as session:
        pairs = session.execute(select(Fulfilment.promise_by, Order.promise_by).join(Fulfilment.order)).all()
    db.close()
    assert pairs and all(copy == original is not None for copy, original in pairs)


def test_pages_follow_the_orders_promises(big_store: Database) -> None:
    with big_store.transaction() as session:
        expected = session.scalars(
            select(Fulfilment.id)
            .join(Fulfilment.order)
            .order_by(Order.promise_by.is_(None), Order.promise_by, Fulfilment.id)
        ).all()
        first = queue_page(session, QueueQuery(limit=60))
        second = queue_page(session, QueueQuery(offset=60, limit=60))
    assert [r.fulfilment_id for r in first.rows + second.rows] == expected[:120]
    assert expected[:60] != sorted(expected[:60])  # promise order is not id order here


def test_the_first_page_walks_the_queue_index_without_sorting(big_store: Database) -> None:
    statements: list[tuple[str, object]] = []

    def record(_conn, _cursor, statement, parameters, _context, _many) -> None:  # type: ignore[no-untyped-def]
        if "ORDER BY" in statement and "FROM fulfilments JOIN orders" in statement:
            statements.append((statement, parameters))

    event.listen(big_store.engine, "before_cursor_execute", record)
    with big_store.transaction() as session:
        queue_page(session, QueueQuery())
    event.remove(big_store.engine, "before_cursor_execute", record)
    [(statement, parameters)] = statements
    with big_store.engine.connect() as connection:
        plan = " ".join(
            str(row[-1]) for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
        )
    assert "ix_fulfilments_queue" in plan
    assert "TEMP B-TREE FOR ORDER BY" not in plan
