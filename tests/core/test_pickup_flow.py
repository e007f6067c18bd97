"""The pickup handoff at service level, on SQLite and PostgreSQL: staging (code, QR, e-mail), the
proxy with an ID check, bag and item scans, the signature, partial pickups, the code lockout."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from core.domain.errors import IllegalTransitionError, ValidationError
from core.domain.handover import LeftLine, bag_code
from core.domain.inventory import Bucket
from core.domain.pickup import LeftOutcome, PickupState
from core.services.audit import entries
from core.services.checks import run_checks
from core.services.orders import get_order
from core.services.pickup import get_pickup, name_proxy, reissue_code
from core.services.pickup_handover import complete_handover, scan_for_handover
from core.services.pickup_verify import unlock_pickup, verify_code, verify_id, verify_qr
from core.services.store_tasks import open_tasks, scan_restock
from core.storage.database import Database
from core.storage.models import Notification, PickupScan, Return
from tests.core.pickup_kit import AMY, PNG, T0, level, outbox, reserved, setup_store, staged

BARCODE_1 = "4000000000013"  # SKU-1's EAN-13 in tests.factories


@pytest.fixture
def store(db: Database) -> Database:
    setup_store(db)
    return db


def test_staging_puts_it_on_the_shelf_with_a_hashed_code_and_queues_the_email(store: Database) -> None:
    done = staged(store, "W1-S01", [("SKU-1", 2), ("SKU-2", 1)], bags=2)
    assert done.shelf == "PICKUP" and done.bags == 2 and len(done.code) == 6 and done.code not in repr(done)
    with store.transaction() as session:
        pickup = get_pickup(session, "W1-S01")
        assert pickup.state == "ready" and done.code not in (pickup.code_hash, pickup.code_salt)
        assert get_order(session, "W1").state == "ready_for_pickup"
        [mail] = session.scalars(select(Notification)).all()
        assert (mail.kind, mail.to_address, mail.state) == ("ready_for_pickup", "ava@example.com", "pending")
        assert done.code in mail.body and done.qr_payload in mail.body
        assert all(done.code not in e.detail for e in entries(session))  # never in the audit log
    assert ("fulfilment", "ready_for_pickup") in outbox(store)
    assert reserved(store, "SKU-1") == 2  # still held for the customer


def test_whole_handoff_with_a_named_proxy_two_bags_and_a_signature(store: Database) -> None:
    staged(store, "W1-S01", [("SKU-1", 2), ("SKU-2", 1)], bags=2)
    with store.transaction() as session:
        name_proxy(session, "W1-S01", "Sam Lee", actor=AMY)
    with (
        pytest.raises(ValidationError, match="proxy named on order W1 is Sam Lee"),
        store.transaction() as session,
    ):
        verify_id(
            session,
            "W1-S01",
            id_type="driver_licence",
            id_last4="1234",
            holder_name="Sam Smith",
            proxy=True,
            actor=AMY,
        )
    with pytest.raises(ValidationError, match="last 4"), store.transaction() as session:
        verify_id(
            session,
            "W1-S01",
            id_type="passport",
            id_last4="X1234567",
            holder_name="Sam Lee",
            proxy=True,
            actor=AMY,
        )
    with store.transaction() as session:
        outcome = verify_id(
            session,
            "W1-S01",
            id_type="passport",
            id_last4="k567",
            holder_name="sam  LEE",
            proxy=True,
            actor=AMY,
        )
        assert outcome.ok
        scan_for_handover(session, "W1-S01", bag_code("W1-S01", 1, 2), actor=AMY)
        scan = scan_for_handover(session, "W1-S01", bag_code("W1-S01", 2, 2), actor=AMY)
        assert scan.bags_scanned == (1, 2)
    with pytest.raises(ValidationError, match="already scanned"), store.transaction() as session:
        scan_for_handover(session, "W1-S01", bag_code("W1-S01", 2, 2), actor=AMY)
    with pytest.raises(ValidationError, match="not on order W1"), store.transaction() as session:
        scan_for_handover(session, "W1-S01", "4006381333931", actor=AMY)
    sellable_before = level(store, "SKU-1")
    with store.transaction() as session:
        result = complete_handover(
            session, "W1-S01", signature="M 10 10 L 20 20 C 1 2 3 4 5 6", actor=AMY, now=T0
        )
        pickup = get_pickup(session, "W1-S01")
        assert (pickup.collector_kind, pickup.collector_name, pickup.id_type, pickup.id_last4) == (
            "proxy",
            "sam LEE",
            "passport",
            "K567",
        )
        assert pickup.signature_kind == "svg" and pickup.signature.startswith(b"M 10")
        assert get_order(session, "W1").state == "completed"
        actions = [e.action for e in reversed(entries(session, subject="W1-S01"))]
        assert actions == ["pickup.staged", "pickup.proxy_named", "pickup.verified", "pickup.handover"]
        assert all(e.device == "tablet-1" and e.actor == "1001" for e in entries(session, subject="W1-S01"))
        assert run_checks(session) == []
    assert (
        result.state == "collected"
        and result.handed_over == {"SKU-1": 2, "SKU-2": 1}
        and result.refund_id is None
    )
    assert level(store, "SKU-1") == sellable_before - 2 and reserved(store, "SKU-1") == 0
    assert outbox(store)[-3:] == [
        ("fulfilment", "collected"),
        ("movement", "pickup/sellable/-2"),
        ("movement", "pickup/sellable/-1"),
    ]


def test_partial_pickup_refunds_what_stays_and_restocks_only_when_scanned(store: Database) -> None:
    staged(
        store,
        "W2-S01",
        [("SKU-1", 2), ("SKU-2", 1), ("SKU-3", 1)],
        bags=0,
        prices={"SKU-1": "10.00", "SKU-2": "4.00"},
    )
    code = _code(store, "W2-S01")
    with store.transaction() as session:
        assert verify_code(session, "W2-S01", code, actor=AMY).ok
        scan_for_handover(session, "W2-S01", BARCODE_1, actor=AMY)
        scan_for_handover(session, "W2-S01", "SKU-3", actor=AMY)
    with pytest.raises(ValidationError, match="neither scanned nor marked"), store.transaction() as session:
        complete_handover(session, "W2-S01", signature=PNG, actor=AMY)
    left = [LeftLine("SKU-1", 1, "declined"), LeftLine("SKU-2", 1, "damaged")]
    with (
        pytest.raises(ValidationError, match="only declined units can be kept"),
        store.transaction() as session,
    ):
        complete_handover(session, "W2-S01", signature=PNG, left=left, left_outcome="keep", actor=AMY)
    damaged_before = level(store, "SKU-2", Bucket.DAMAGED)
    with store.transaction() as session:
        result = complete_handover(
            session, "W2-S01", signature=PNG, left=left, left_outcome=LeftOutcome.REFUND, actor=AMY
        )
        refund = session.get(Return, result.refund_id)
        assert (
            refund.kind == "pickup"
            and refund.total == Decimal("14.00")
            and refund.refund_method == "original_tender"
        )
    assert result.handed_over == {"SKU-1": 1, "SKU-3": 1} and result.refunded == {"SKU-1": 1, "SKU-2": 1}
    assert level(store, "SKU-2", Bucket.DAMAGED) == damaged_before + 1
    assert level(store, "SKU-1", Bucket.QUARANTINE) == 1 and level(store, "SKU-1") == 8  # not sellable yet
    with store.transaction() as session:
        [task] = open_tasks(session)
        assert (task.kind, task.sku, task.qty) == ("restock", "SKU-1", 1)
        progress = scan_restock(session, BARCODE_1, location="S01", actor=AMY)
        assert progress.done and open_tasks(session) == []
        assert run_checks(session) == []
    assert level(store, "SKU-1") == 9 and level(store, "SKU-1", Bucket.QUARANTINE) == 0


def test_declined_units_kept_for_later_are_handed_over_on_a_second_visit(store: Database) -> None:
    staged(store, "W3-S01", [("SKU-1", 3)], bags=1)
    code = _code(store, "W3-S01")
    with store.transaction() as session:
        verify_code(session, "W3-S01", code, actor=AMY)
        scan_for_handover(session, "W3-S01", bag_code("W3-S01", 1, 1), actor=AMY)
        result = complete_handover(
            session,
            "W3-S01",
            signature=PNG,
            left=[LeftLine("SKU-1", 2, "declined")],
            left_outcome="keep",
            actor=AMY,
            now=T0,
        )
    assert (result.state, result.kept, result.refund_id) == ("held", {"SKU-1": 2}, None)
    with pytest.raises(IllegalTransitionError, match="verify"), store.transaction() as session:
        scan_for_handover(session, "W3-S01", "SKU-1", actor=AMY)  # a new visit needs a new check
    with store.transaction() as session:
        verify_id(session, "W3-S01", id_type="state_id", id_last4="9876", holder_name="Ava Kim", actor=AMY)
        scan_for_handover(session, "W3-S01", "SKU-1", actor=AMY)
        scan_for_handover(session, "W3-S01", "SKU-1", actor=AMY)
        with pytest.raises(ValidationError, match="scanned twice"):
            scan_for_handover(session, "W3-S01", "SKU-1", actor=AMY)
        second = complete_handover(session, "W3-S01", signature=PNG, actor=AMY)
        assert get_pickup(session, "W3-S01").lines[0].collected_qty == 3
        assert run_checks(session) == []
    assert second.state == PickupState.COLLECTED and second.handed_over == {"SKU-1": 2}


def test_five_wrong_codes_lock_it_until_a_manager_unlocks(store: Database) -> None:
    staged(store, "W4-S01", [("SKU-1", 1)])
    code = _code(store, "W4-S01")
    wrong = "111111" if code != "111111" else "222222"
    with pytest.raises(ValidationError, match="6 digits"), store.transaction() as session:
        verify_code(session, "W4-S01", "12ab", actor=AMY)  # a typo is not a guess: not counted
    for left in (4, 3, 2, 1):
        with store.transaction() as session:  # each attempt commits on its own, as at the counter
            outcome = verify_code(session, "W4-S01", wrong, actor=AMY)
        assert (outcome.ok, outcome.attempts_left, outcome.locked) == (False, left, False)
    with store.transaction() as session:
        assert verify_code(session, "W4-S01", wrong, actor=AMY).locked
    with store.transaction() as session:
        assert verify_code(session, "W4-S01", code, actor=AMY).locked  # even the right code now
    with store.transaction() as session:
        refused = unlock_pickup(session, "W4-S01", manager_id="1001", manager_pin="1234", actor=AMY)
        assert not refused.ok and "not a manager" in refused.message
        assert not unlock_pickup(session, "W4-S01", manager_id="9001", manager_pin="0000", actor=AMY).ok
    with store.transaction() as session:
        assert unlock_pickup(session, "W4-S01", manager_id="9001", manager_pin="9876", actor=AMY).ok
        assert verify_code(session, "W4-S01", code, actor=AMY).ok
        actions = {e.action for e in entries(session)}
        assert {
            "pickup.locked",
            "pickup.unlocked",
            "approval.failed",
            "approval.refused",
            "approval.ok",
        } <= actions


def test_qr_code_verifies_offline_and_says_why_it_is_refused(store: Database) -> None:
    first = staged(store, "W5-S01", [("SKU-1", 1)])
    with store.transaction() as session:
        new = reissue_code(session, "W5-S01", actor=AMY)
    with pytest.raises(ValidationError, match="replaced by a newer one"), store.transaction() as session:
        verify_qr(session, first.qr_payload, location="S01", actor=AMY)
    with pytest.raises(ValidationError, match="store S01"), store.transaction() as session:
        verify_qr(session, new.qr_payload, location="S02", actor=AMY)
    with pytest.raises(ValidationError, match="not a pickup QR"), store.transaction() as session:
        verify_qr(session, "hello", location="S01", actor=AMY)
    with store.transaction() as session:
        assert verify_qr(session, new.qr_payload, location="S01", actor=AMY).ok
        scan_for_handover(session, "W5-S01", bag_code("W5-S01", 1, 1), actor=AMY)
        complete_handover(session, "W5-S01", signature=PNG, actor=AMY)
    with pytest.raises(ValidationError, match="already collected"), store.transaction() as session:
        verify_qr(session, new.qr_payload, location="S01", actor=AMY)


def test_bad_signature_and_bad_scans_record_nothing(store: Database) -> None:
    staged(store, "W6-S01", [("SKU-1", 1)], bags=0)
    with pytest.raises(IllegalTransitionError, match="verify"), store.transaction() as session:
        scan_for_handover(session, "W6-S01", "SKU-1", actor=AMY)
    code = _code(store, "W6-S01")
    with store.transaction() as session:
        verify_code(session, "W6-S01", code, actor=AMY)
    for bad, match in (
        (b"GIF89a", "not a PNG"),
        (PNG + b"\x00" * 70_000, "at most"),
        ("<svg>", "not SVG path"),
    ):
        with pytest.raises(ValidationError, match=match), store.transaction() as session:
            scan_for_handover(session, "W6-S01", "SKU-1", actor=AMY)
            complete_handover(session, "W6-S01", signature=bad, actor=AMY)
    with store.transaction() as session:
        assert session.scalars(select(PickupScan)).all() == []
        assert get_pickup(session, "W6-S01").state == "ready"
    assert ("fulfilment", "collected") not in outbox(store)


def _code(db: Database, pickup_id: str) -> str:
    """Tests know the code by trying all of them against the hash (a million SHA-256s is too slow),
    so instead reissue one and read it from the returned value."""
    with db.transaction() as session:
        return reissue_code(session, pickup_id, actor=AMY).code
