"""The inventory ledger on both backends: balances follow movements, refusals change nothing."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from core.domain.errors import ConflictError, InsufficientStockError, NotFoundError, ValidationError
from core.domain.inventory import Bucket, MovementSpec, Reason
from core.services.checks import run_checks
from core.services.inventory import (
    close_reservations,
    network_stock,
    record_movements,
    reserve,
    set_safety_stock,
)
from core.storage.database import Database
from core.storage.models import Movement, ReservationStatus, StockPosition
from tests.factories import small_network


def position(db: Database, loc: str, sku: str) -> StockPosition:
    with db.transaction() as s:
        row = s.get(StockPosition, (loc, sku))
        assert row is not None
        return row


def movement_count(db: Database) -> int:
    with db.transaction() as s:
        return s.scalar(select(func.count()).select_from(Movement)) or 0


@pytest.fixture
def net(db: Database) -> Database:
    with db.transaction() as s:
        small_network(s)
    return db


def test_movements_update_each_bucket(net: Database) -> None:
    with net.transaction() as s:
        record_movements(
            s,
            [
                MovementSpec("S01", "SKU-1", -2, Reason.SALE),
                MovementSpec("S01", "SKU-1", 1, Reason.RETURN, bucket=Bucket.DAMAGED),
                MovementSpec("S01", "SKU-1", 4, Reason.TRANSFER_IN, bucket=Bucket.IN_TRANSIT),
                MovementSpec("S01", "SKU-1", 1, Reason.RETURN, bucket=Bucket.QUARANTINE),
            ],
        )
    p = position(net, "S01", "SKU-1")
    assert (p.sellable, p.damaged, p.in_transit, p.quarantine) == (8, 1, 4, 1)


def test_same_movement_twice_counts_once(net: Database) -> None:
    sale = MovementSpec("S01", "SKU-1", -1, Reason.SALE, reference="R-1")
    with net.transaction() as s:
        first = record_movements(s, [sale])
    with net.transaction() as s:
        again = record_movements(s, [sale, sale])
    assert [r.outcome for r in first] == ["applied"]
    assert [r.outcome for r in again] == ["duplicate", "duplicate"]
    assert position(net, "S01", "SKU-1").sellable == 9


def test_same_id_with_other_content_is_a_conflict(net: Database) -> None:
    sale = MovementSpec("S01", "SKU-1", -1, Reason.SALE)
    with net.transaction() as s:
        record_movements(s, [sale])
    changed = MovementSpec("S01", "SKU-1", -2, Reason.SALE, id=sale.id, occurred_at=sale.occurred_at)
    with pytest.raises(ConflictError, match="different content"), net.transaction() as s:
        record_movements(s, [changed])
    assert position(net, "S01", "SKU-1").sellable == 9


def test_negative_sellable_refused_where_forbidden_and_nothing_changes(net: Database) -> None:
    before = movement_count(net)
    batch = [MovementSpec("S01", "SKU-2", -1, Reason.SALE), MovementSpec("S01", "SKU-1", -11, Reason.SALE)]
    with (
        pytest.raises(InsufficientStockError, match=r"S01/SKU-1: sellable 10 -11 would be -1"),
        net.transaction() as s,
    ):
        record_movements(s, batch)
    assert movement_count(net) == before
    assert position(net, "S01", "SKU-2").sellable == 10


def test_negative_sellable_accepted_where_allowed(net: Database) -> None:
    with net.transaction() as s:
        record_movements(s, [MovementSpec("S02", "SKU-1", -12, Reason.SALE)])
    assert position(net, "S02", "SKU-1").sellable == -2


def test_other_buckets_never_go_negative(net: Database) -> None:
    with pytest.raises(InsufficientStockError, match="cannot hold negative damaged"), net.transaction() as s:
        record_movements(s, [MovementSpec("S02", "SKU-1", -1, Reason.ADJUSTMENT, bucket=Bucket.DAMAGED)])


def test_unknown_location_and_sku_are_named(net: Database) -> None:
    with pytest.raises(NotFoundError, match="unknown location S99"), net.transaction() as s:
        record_movements(s, [MovementSpec("S99", "SKU-1", 1, Reason.RECEIPT)])
    with pytest.raises(NotFoundError, match="unknown SKU NOPE"), net.transaction() as s:
        record_movements(s, [MovementSpec("S01", "NOPE", 1, Reason.RECEIPT)])


@pytest.mark.parametrize("qty", [0, 1.5, 2.0, "3", True])
def test_quantity_must_be_a_nonzero_whole_number(qty: object) -> None:
    with pytest.raises(ValidationError) as error:
        MovementSpec("S01", "SKU-1", qty, Reason.RECEIPT)  # type: ignore[arg-type]
    assert error.value.field == "qty"


def test_bad_bucket_reason_and_naive_time_are_refused() -> None:
    with pytest.raises(ValidationError, match="not one of sellable"):
        MovementSpec("S01", "SKU-1", 1, Reason.RECEIPT, bucket="shelf")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="not one of receipt"):
        MovementSpec("S01", "SKU-1", 1, "gift")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="no time zone"):
        MovementSpec("S01", "SKU-1", 1, Reason.RECEIPT, occurred_at=datetime(2026, 1, 1))


def test_movements_are_immutable(net: Database) -> None:
    with pytest.raises(DBAPIError, match="immutable"), net.engine.begin() as conn:
        conn.execute(text("UPDATE movements SET qty = 99"))
    with pytest.raises(DBAPIError, match="immutable"), net.engine.begin() as conn:
        conn.execute(text("DELETE FROM movements"))


def test_times_come_back_in_utc(net: Database) -> None:
    local = datetime(2026, 11, 27, 9, 30, tzinfo=UTC) + timedelta(hours=0)
    spec = MovementSpec("S01", "SKU-1", 1, Reason.RECEIPT, occurred_at=local.astimezone())
    with net.transaction() as s:
        record_movements(s, [spec])
    with net.transaction() as s:
        row = s.get(Movement, spec.id)
        assert row is not None and row.occurred_at == local and row.occurred_at.tzinfo is not None


def test_reservations_reduce_atp_and_are_refused_beyond_it(net: Database) -> None:
    with net.transaction() as s:
        set_safety_stock(s, "S01", "SKU-1", 2)
        reserve(s, "S01", "SKU-1", 5, reference="order W1")
    with pytest.raises(InsufficientStockError, match=r"ATP 3 < 4 requested"), net.transaction() as s:
        reserve(s, "S01", "SKU-1", 4)
    with net.transaction() as s:
        line = next(x for x in network_stock(s, "SKU-1") if x.location == "S01")
        assert (line.sellable, line.reserved, line.safety_stock, line.atp) == (10, 5, 2, 3)


def test_closing_reservations_frees_units_once(net: Database) -> None:
    with net.transaction() as s:
        held = [reserve(s, "DC1", "SKU-3", 4), reserve(s, "DC1", "SKU-3", 2)]
    with net.transaction() as s:
        rows = [s.merge(r) for r in held]
        assert close_reservations(s, rows, ReservationStatus.RELEASED) == 6
        assert close_reservations(s, rows, ReservationStatus.CONSUMED) == 0
    assert position(net, "DC1", "SKU-3").reserved == 0
    with net.transaction() as s:
        assert run_checks(s) == []


def test_safety_stock_must_be_a_count(net: Database) -> None:
    with pytest.raises(ValidationError, match="negative"), net.transaction() as s:
        set_safety_stock(s, "S01", "SKU-1", -1)


def test_movement_ids_are_uuids_made_by_the_caller() -> None:
    fixed = uuid.uuid4()
    assert MovementSpec("S01", "SKU-1", 1, Reason.RECEIPT, id=fixed).id == fixed
