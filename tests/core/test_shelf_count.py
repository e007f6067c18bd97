"""Counting a product's shelves at a store (SQLite and PostgreSQL): one `count` movement of the
difference, pushed like a sale; units already picked, packed or bagged are not on the shelves; no
count during a walk or against a number that moved; bad counts change nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.domain.errors import ConflictError, ValidationError
from core.domain.inventory import MovementSpec, Reason
from core.services.inventory import record_movements
from core.services.orders import Actor
from core.services.stock_lookup import count_shelves, store_stock
from core.storage.database import Database
from core.storage.models import Movement, OutboxEvent
from tests.core.pickup_kit import packed_pickup, setup_store

AMY = Actor("1001", "tablet-1")


@pytest.fixture
def store(db: Database) -> Database:
    setup_store(db)  # S01 enrolled, 10 of each product on its shelves
    return db


def counts(db: Database) -> list[tuple[int, str, str, str]]:
    with db.transaction() as session:
        rows = session.scalars(
            select(Movement).where(Movement.reason == "count").order_by(Movement.recorded_at)
        )
        return [(m.qty, m.bucket, m.reference, m.device) for m in rows]


def pushed(db: Database) -> list[dict]:
    with db.transaction() as session:
        return [e.payload for e in session.scalars(select(OutboxEvent).where(OutboxEvent.kind == "movement"))]


def test_fewer_on_the_shelves_is_one_count_movement_pushed_like_a_sale(store: Database) -> None:
    with store.transaction() as session:
        after = count_shelves(session, "SKU-1", 8, expected=10, actor=AMY)
    assert (after.levels.sellable, after.shelves.expected, after.atp) == (8, 8, 8)
    assert counts(store) == [(-2, "sellable", "shelf count by 1001", "tablet-1")]
    [event] = pushed(store)
    assert (event["location"], event["sku"], event["qty"], event["reason"]) == ("S01", "SKU-1", -2, "count")


def test_a_count_that_matches_records_nothing_and_more_is_a_gain(store: Database) -> None:
    with store.transaction() as session:
        count_shelves(session, "SKU-2", 10, expected=10, actor=AMY)
        count_shelves(session, "SKU-3", 12, expected=10, actor=AMY)
    assert [qty for qty, *_ in counts(store)] == [2]


def test_units_picked_packed_or_bagged_are_not_expected_on_the_shelves(store: Database) -> None:
    with store.transaction() as session:
        packed_pickup(session, "W1-S01", [("SKU-1", 3)], steps=("picking", "picked"))
        packed_pickup(session, "W2-S01", [("SKU-1", 1)], seq=2, steps=("picking", "picked", "packed"))
        packed_pickup(session, "W3-S01", [("SKU-1", 5)], seq=3, steps=())  # assigned: still on the shelf
        shelves = store_stock(session, "SKU-1").shelves
        assert (shelves.on_books, shelves.off_shelf, shelves.expected) == (10, 4, 6)
        count_shelves(session, "SKU-1", 6, expected=6, actor=AMY)
    assert counts(store) == []


def test_no_count_while_the_product_is_being_picked(store: Database) -> None:
    with store.transaction() as session:
        packed_pickup(session, "W7-S01", [("SKU-1", 2)], steps=("picking",))
        assert store_stock(session, "SKU-1").shelves.being_picked == ("W7",)
        with pytest.raises(ValidationError, match="being picked for W7") as refused:
            count_shelves(session, "SKU-1", 5, expected=10, actor=AMY)
    assert refused.value.field == "sku" and counts(store) == []


def test_a_count_against_a_number_that_moved_is_refused(store: Database) -> None:
    with store.transaction() as session:  # the associate read 10; a sale happens while they count
        record_movements(session, [MovementSpec("S01", "SKU-1", -1, Reason.SALE)])
    with store.transaction() as session, pytest.raises(ConflictError, match="should now hold 9, not 10"):
        count_shelves(session, "SKU-1", 7, expected=10, actor=AMY)
    assert counts(store) == []


@pytest.mark.parametrize("bad", [-1, 1_000_001, True, 2.5])
def test_a_count_that_is_not_a_number_of_units_is_refused(store: Database, bad: object) -> None:
    with store.transaction() as session, pytest.raises(ValidationError) as refused:
        count_shelves(session, "SKU-1", bad, expected=10, actor=AMY)  # type: ignore[arg-type]
    assert refused.value.field == "counted" and counts(store) == []
