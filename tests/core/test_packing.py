"""The packing bench's services on a store database: the list, the sheet, verification by scan,
and finishing (packed → shipped with movements and events, or ready for pickup)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from core.domain.boxes import Fit, load_boxes
from core.domain.errors import IllegalTransitionError, ValidationError
from core.domain.inventory import MovementSpec, Reason
from core.domain.packing import Verification
from core.domain.tracking import is_valid_tracking_number
from core.services.catalog import upsert_products
from core.services.inventory import record_movements
from core.services.orders import Actor
from core.services.packing import mark_ready_for_pickup, mark_shipped, pack_sheet, packable, record_packed
from core.services.store_ops import record_fulfilment_action
from core.services.store_pull import apply_changes
from core.storage.database import Database
from core.storage.models import Movement, Order, OutboxEvent
from tests.factories import product, small_network
from tests.sync.client_support import assert_consistent, assigned, open_store

BOXES = load_boxes()
AMY = Actor("1001", "tablet-1")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Database]:
    db = open_store(tmp_path / "s01.db", "S01")
    with db.transaction() as session:
        small_network(session, stock=0)
        upsert_products(
            session,
            [
                product("SKU-1", 1, length_cm=Decimal(28), width_cm=Decimal(20), height_cm=Decimal(3)),
                product("SKU-2", 2, length_cm=Decimal(34), width_cm=Decimal(22), height_cm=Decimal(13)),
            ],
        )
        record_movements(session, [MovementSpec("S01", f"SKU-{i}", 10, Reason.INITIAL) for i in (1, 2, 3)])
    yield db
    db.close()


def _picked(
    db: Database, fid: str, lines: list[tuple[str, int]], *, pickup: bool = False, seq: int = 1
) -> None:
    change = assigned(fid, "S01", lines, seq=seq)
    if pickup:
        change.payload["delivery_method"] = "pickup"
    change.payload.update(carrier="Parcelway", service="GROUND", ship_postal_code="60657", ship_country="US")
    with db.transaction() as session:
        apply_changes(session, [change], seq)
        record_fulfilment_action(session, fid, "picking", actor=AMY)
        record_fulfilment_action(session, fid, "picked", actor=AMY)


def test_the_list_holds_picked_and_packed_fulfilments(store: Database) -> None:
    _picked(store, "W1-S01", [("SKU-1", 2), ("SKU-2", 1)])
    with store.transaction() as session:
        apply_changes(session, [assigned("W2-S01", "S01", [("SKU-3", 1)], seq=2)], 2)  # not picked yet
        cards = packable(session)
    assert [(c.fulfilment_id, c.state, c.units, c.carrier) for c in cards] == [
        ("W1-S01", "picked", 3, "Parcelway")
    ]


def test_sheet_suggests_a_box_and_a_stable_tracking_number(store: Database) -> None:
    _picked(store, "W1-S01", [("SKU-1", 2), ("SKU-2", 1)])
    with store.transaction() as session:
        sheet = pack_sheet(session, "W1-S01", BOXES)
        again = pack_sheet(session, "W1-S01", BOXES)
    assert sheet.box.fit is Fit.ONE_BOX and sheet.box.box is not None and sheet.box.box.code == "BOX-M"
    assert sheet.tracking_number == again.tracking_number and is_valid_tracking_number(sheet.tracking_number)
    assert sheet.ship_to.name == "Ava Kim" and "60657 US" in sheet.ship_to.lines
    assert sheet.ship_from.name == "Store S01 (S01)" and sheet.service_text == "Parcelway GROUND"
    assert [(ln.sku, ln.qty) for ln in sheet.lines] == [("SKU-1", 2), ("SKU-2", 1)]


def test_verification_counts_right_items_and_refuses_wrong_and_extra(store: Database) -> None:
    _picked(store, "W1-S01", [("SKU-1", 2), ("SKU-2", 1)])
    with store.transaction() as session:
        sheet = pack_sheet(session, "W1-S01", BOXES)
    check = Verification(sheet)
    code1, code2 = sheet.lines[0].barcodes[0], sheet.lines[1].barcodes[0]
    assert check.scan(code1).outcome == "ok"
    wrong = check.scan("4006381333931")
    assert (wrong.outcome, wrong.counted) == ("error", False) and wrong.text.startswith("Wrong item")
    assert check.scan("sku-1").text.endswith("2 of 2 checked.")  # the SKU typed by hand works too
    extra = check.scan(code1)
    assert (extra.outcome, extra.counted) == ("error", False) and extra.text.startswith("Extra unit")
    assert not check.complete and check.verified_units == 2
    done = check.scan(code2)
    assert check.complete and done.text.startswith("All 3 items checked") and "Medium box" in done.text


def test_mark_shipped_writes_movements_and_events(store: Database) -> None:
    _picked(store, "W1-S01", [("SKU-1", 2), ("SKU-2", 1)])
    with pytest.raises(IllegalTransitionError, match="packed"), store.transaction() as session:
        mark_shipped(session, "W1-S01", actor=AMY)
    with store.transaction() as session:
        assert record_packed(session, "W1-S01", "Medium box", actor=AMY) == "packed"
        assert record_packed(session, "W1-S01", "Medium box", actor=AMY) == "packed"  # twice is once
        result = mark_shipped(session, "W1-S01", actor=AMY)
    assert result.state == "shipped" and result.tracking_number and result.movements == 2
    with store.transaction() as session:
        moves = session.scalars(select(Movement).where(Movement.reason == Reason.SHIPMENT.value)).all()
        events = session.scalars(select(OutboxEvent).order_by(OutboxEvent.position)).all()
        assert sorted((m.sku, m.qty, m.reference, m.device) for m in moves) == [
            ("SKU-1", -2, "W1-S01", "tablet-1"),
            ("SKU-2", -1, "W1-S01", "tablet-1"),
        ]
        steps = [e.payload["action"] for e in events if e.kind == "fulfilment"]
        assert steps == ["picking", "picked", "packed", "shipped"]
        shipped = next(e for e in events if e.kind == "fulfilment" and e.payload["action"] == "shipped")
        assert shipped.payload["tracking_number"] == result.tracking_number
        assert {str(e.event_id) for e in events if e.kind == "movement"} == {str(m.id) for m in moves}
        assert packable(session) == []
    assert_consistent(store)


def test_pickup_orders_end_ready_for_pickup(store: Database) -> None:
    _picked(store, "W3-S01", [("SKU-3", 1)], pickup=True)
    with store.transaction() as session:
        sheet = pack_sheet(session, "W3-S01", BOXES)
        assert sheet.is_pickup and sheet.ship_to.lines[0].startswith("Pickup at")
        record_packed(session, "W3-S01", sheet.box.text, actor=AMY)
        with pytest.raises(ValidationError, match="pickup order"):
            mark_shipped(session, "W3-S01", actor=AMY)
    with store.transaction() as session:
        result = mark_ready_for_pickup(session, "W3-S01", actor=AMY)
        assert (result.state, result.tracking_number, result.movements) == ("ready_for_pickup", None, 0)
        assert session.get(Order, "W3").delivery_method == "pickup"
        assert not session.scalars(select(Movement).where(Movement.reason == Reason.SHIPMENT.value)).all()
    assert_consistent(store)
