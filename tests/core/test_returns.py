"""Returns at the counter on SQLite and PostgreSQL: each disposition's stock effect and its sync
event, the refund arithmetic, what the policy refuses (recording nothing), receipt-less returns."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from core.domain.errors import ValidationError
from core.domain.inventory import Bucket
from core.domain.returns import ReturnRequest
from core.services.checks import run_checks
from core.services.outbox import set_setting
from core.services.returns import find_orders_for_return, quote_return, record_return, returnable_lines
from core.services.returns_extra import ReceiptlessItem, record_order_payment, record_receiptless_return
from core.services.store_tasks import open_tasks, resolve_inspection
from core.storage.database import Database
from core.storage.models import Fulfilment, Movement, Return, ReturnLine
from tests.core.pickup_kit import AMY, delivered_order, level, outbox, outbox_size, setup_store
from tests.factories import NOW


@pytest.fixture
def store(db: Database) -> Database:
    setup_store(db)
    with db.transaction() as session:
        delivered_order(session, "W1", [("SKU-1", 2, "19.99"), ("SKU-2", 1, "5.00"), ("SKU-3", 1, "12.00")])
    return db


def _req(line_no: int, qty: int, reason: str = "changed_mind", condition: str = "new") -> ReturnRequest:
    return ReturnRequest(line_no, qty, reason, condition)  # type: ignore[arg-type]


def _recorded(db: Database) -> tuple[int, int, int]:
    with db.transaction() as session:
        returns = session.scalar(select(func.count()).select_from(Return))
        moves = session.scalar(select(func.count()).select_from(Movement).where(Movement.reason == "return"))
    return int(returns or 0), int(moves or 0), outbox_size(db)


def test_each_condition_goes_to_its_bucket_and_sellable_is_queued_for_the_hub(store: Database) -> None:
    before = (
        level(store, "SKU-1"),
        level(store, "SKU-2", Bucket.DAMAGED),
        level(store, "SKU-3", Bucket.QUARANTINE),
    )
    with store.transaction() as session:
        receipt = record_return(
            session,
            "W1",
            [
                _req(1, 1, "wrong_size", "opened"),
                _req(2, 1, "damaged_in_transit", "damaged"),
                _req(3, 1, "defective", "unverified"),
            ],
            actor=AMY,
            now=NOW + timedelta(days=3),
        )
    assert level(store, "SKU-1") == before[0] + 1  # sellable at once, here
    assert level(store, "SKU-2", Bucket.DAMAGED) == before[1] + 1
    assert level(store, "SKU-3", Bucket.QUARANTINE) == before[2] + 1 and level(store, "SKU-3") == 10
    assert outbox(store) == [
        ("movement", "return/sellable/1"),
        ("movement", "return/damaged/1"),
        ("movement", "return/quarantine/1"),
        ("refund", "return/36.99"),  # the refund itself, for the hub's count of returned units
    ]
    assert [ln.disposition for ln in receipt.lines] == ["sellable", "damaged", "inspection"]
    assert receipt.store == "S01" and receipt.order_id == "W1" and receipt.associate == "1001"
    with store.transaction() as session:
        [task] = open_tasks(session, "inspection")
        assert (task.sku, task.qty, task.reference) == ("SKU-3", 1, receipt.return_id)
        assert receipt.lines[2].task_id == task.id
        resolve_inspection(session, task.id, sellable=1, damaged=0, actor=AMY)
        assert run_checks(session) == []
    assert level(store, "SKU-3") == 11 and level(store, "SKU-3", Bucket.QUARANTINE) == 0
    # the retailer's fault (damaged in transit) refunds shipping too; no fee for it
    assert receipt.fees == Decimal("0.00") and receipt.total == Decimal("19.99") + Decimal("5.00") + Decimal(
        "12.00"
    )


def test_refund_prorates_the_discount_charges_fees_and_refunds_shipping_on_the_whole_order(
    store: Database,
) -> None:
    with store.transaction() as session:
        record_order_payment(session, "W1", discount="10.00", shipping="4.99", tender="visa 4242")
        offer = quote_return(session, "W1", [_req(1, 1)], now=NOW + timedelta(days=1))
    # lines worth 39.98 / 5.00 / 12.00 (56.98): the 10.00 discount is 7.02 / 0.88 / 2.10; line 1's two
    # units carry 3.51 each; changed_mind costs a 10% restocking fee; no shipping for a partial return
    assert (offer.merchandise, offer.discount, offer.fees, offer.shipping) == (
        Decimal("19.99"),
        Decimal("3.51"),
        Decimal("1.65"),
        Decimal("0.00"),
    )
    assert offer.total == Decimal("14.83") and offer.tender == "visa 4242"
    with store.transaction() as session:
        record_return(session, "W1", [_req(1, 1)], actor=AMY, now=NOW + timedelta(days=1))
        rest = record_return(
            session,
            "W1",
            [_req(1, 1, "defective"), _req(2, 1, "wrong_size"), _req(3, 1, "wrong_size")],
            actor=AMY,
            now=NOW + timedelta(days=2),
        )
    assert rest.shipping == Decimal("4.99")  # the whole order is back now
    with store.transaction() as session:
        refunded = session.scalar(select(func.sum(Return.total)))
        discounts = session.scalar(select(func.sum(ReturnLine.discount)))
    assert discounts == Decimal("10.00") and refunded == Decimal("56.98") - Decimal("10.00") + Decimal(
        "4.99"
    ) - Decimal("1.65")


def test_what_the_policy_refuses_records_nothing(store: Database) -> None:
    with store.transaction() as session:
        delivered_order(session, "W2", [("SKU-9", 1, "3.50")])
    empty = _recorded(store)
    cases = [
        ("W1", [_req(1, 3)], NOW, "only 2 unit"),
        ("W1", [_req(1, 1)], NOW + timedelta(days=31), "30-day return window"),
        ("W2", [_req(1, 1)], NOW, "final sale"),
        ("W1", [_req(7, 1)], NOW, "no line 7"),
        ("W1", [_req(1, 1), _req(1, 1)], NOW, "listed twice"),
    ]
    for order_id, requests, at, words in cases:
        with pytest.raises(ValidationError, match=words), store.transaction() as session:
            record_return(session, order_id, requests, actor=AMY, now=at)
        assert _recorded(store) == empty
    with store.transaction() as session:
        record_return(session, "W1", [_req(1, 2)], actor=AMY, now=NOW)
    with pytest.raises(ValidationError, match="already returned") as error, store.transaction() as session:
        record_return(session, "W1", [_req(1, 1)], actor=AMY, now=NOW)
    assert error.value.field == "lines[0].qty"
    with store.transaction() as session:
        lines = returnable_lines(session, "W1", now=NOW)
        assert [(ln.line_no, ln.returnable) for ln in lines] == [(1, 0), (2, 1), (3, 1)]
        set_setting(session, "returns.fee.changed_mind", "0")
        assert quote_return(session, "W1", [_req(2, 1)], now=NOW).fees == Decimal("0.00")


def test_return_without_receipt_is_store_credit_with_a_managers_pin(store: Database) -> None:
    items = [ReceiptlessItem("SKU-2", 2, "changed_mind", "new")]
    empty = _recorded(store)
    with store.transaction() as session:
        refused = record_receiptless_return(session, items, manager_id="1001", manager_pin="1234", actor=AMY)
        assert not refused.ok and "not a manager" in refused.message
        wrong = record_receiptless_return(session, items, manager_id="9001", manager_pin="1111", actor=AMY)
        assert not wrong.ok and "Wrong PIN" in wrong.message
    assert _recorded(store) == empty
    with store.transaction() as session:
        done = record_receiptless_return(session, items, manager_id="9001", manager_pin="9876", actor=AMY)
    assert done.ok and done.receipt is not None
    receipt = done.receipt
    assert (receipt.refund_method, receipt.tender, receipt.approved_by, receipt.receipt) == (
        "store_credit",
        "store credit",
        "9001",
        False,
    )
    assert receipt.total == Decimal("39.98") - Decimal("4.00")  # today's price, 10% fee for a change of mind
    assert level(store, "SKU-2") == 12
    with pytest.raises(ValidationError, match="final sale"), store.transaction() as session:
        record_receiptless_return(
            session,
            [ReceiptlessItem("SKU-9", 1, "changed_mind", "new")],
            manager_id="9001",
            manager_pin="9876",
            actor=AMY,
        )


def test_orders_are_found_by_receipt_code_or_customer(store: Database) -> None:
    with store.transaction() as session:
        assert [h.order_id for h in find_orders_for_return(session, "W1")] == ["W1"]
        fid = session.scalar(select(Fulfilment.id).where(Fulfilment.order_id == "W1"))
        assert [h.order_id for h in find_orders_for_return(session, fid)] == ["W1"]
        assert [h.order_id for h in find_orders_for_return(session, "ava k")] == ["W1"]
        assert [h.order_id for h in find_orders_for_return(session, "(312) 555-0147")] == ["W1"]


def test_the_check_flags_returns_beyond_what_was_sold(store: Database) -> None:
    with store.transaction() as session:
        record_return(session, "W1", [_req(2, 1)], actor=AMY, now=NOW)
        line = session.scalars(select(ReturnLine)).one()
        session.add(
            ReturnLine(
                return_id=line.return_id,
                order_line_id=line.order_line_id,
                sku="SKU-2",
                qty=1,
                reason="x",
                unit_price=Decimal(5),
                gross=Decimal(5),
                discount=Decimal(0),
                fee=Decimal(0),
                refund=Decimal(5),
            )
        )
        session.flush()
        problems = [str(p) for p in run_checks(session)]
    assert any("returned" in p and "W1 line 2" in p for p in problems), problems
