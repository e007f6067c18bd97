"""Time at the pickup counter with a simulated clock: reminders, the unclaimed timeout (cancel, refund,
restock task, stock back only when scanned), orders the hub cancels while on the shelf, and the
e-mails delivered to a folder."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.domain.errors import PermissionDeniedError, ValidationError
from core.domain.inventory import Bucket
from core.domain.pickup import PickupSettings
from core.services.checks import run_checks
from core.services.mail_senders import FolderSender
from core.services.notifications import deliver_pending, notifications_for
from core.services.orders import get_fulfilment, get_order
from core.services.pickup import get_pickup, pickup_settings, save_pickup_settings
from core.services.pickup_schedule import run_pickup_schedule
from core.services.store_pull import PulledChange, apply_changes
from core.services.store_tasks import open_tasks, scan_restock
from core.storage.database import Database
from core.storage.models import Return, StockPosition
from tests.core.pickup_kit import AMY, MORGAN, T0, level, outbox, reserved, setup_store, staged

DAY = timedelta(days=1)


@pytest.fixture
def store(db: Database) -> Database:
    setup_store(db)
    with db.transaction() as session:
        save_pickup_settings(session, PickupSettings("SHELF-A", (1, 3), 5), actor=MORGAN)
    return db


def _run(db: Database, at: object) -> object:
    with db.transaction() as session:
        return run_pickup_schedule(session, location="S01", now=at)  # type: ignore[arg-type]


def test_only_a_manager_sets_the_schedule_and_it_is_checked(store: Database) -> None:
    with pytest.raises(PermissionDeniedError), store.transaction() as session:
        save_pickup_settings(session, PickupSettings(), actor=AMY)
    with pytest.raises(ValidationError, match="reminder_days"):
        PickupSettings(reminder_days=(1, 9), unclaimed_days=5)
    with store.transaction() as session:
        assert pickup_settings(session) == PickupSettings("SHELF-A", (1, 3), 5)


def test_reminders_then_unclaimed_cancellation_and_restock_only_when_scanned(
    store: Database, tmp_path: Path
) -> None:
    done = staged(store, "W1-S01", [("SKU-1", 2), ("SKU-2", 1)], prices={"SKU-1": "10.00", "SKU-2": "2.50"})
    assert done.shelf == "SHELF-A" and done.claim_by == T0 + 5 * DAY
    assert _run(store, T0 + 12 * timedelta(hours=1)).reminders == []
    assert _run(store, T0 + DAY).reminders == ["W1-S01"]
    assert _run(store, T0 + DAY + timedelta(hours=5)).reminders == []  # once per reminder day
    assert _run(store, T0 + 3 * DAY + timedelta(minutes=1)).reminders == ["W1-S01"]
    assert _run(store, T0 + 4 * DAY).reminders == []
    sellable = level(store, "SKU-1")
    report = _run(store, T0 + 5 * DAY)
    assert report.unclaimed == ["W1-S01"] and len(report.restock_tasks) == 2
    with store.transaction() as session:
        assert get_fulfilment(session, "W1-S01").state == "cancelled"
        assert get_order(session, "W1").state == "cancelled"
        assert get_pickup(session, "W1-S01").state == "unclaimed"
        kinds = [n.kind for n in notifications_for(session, "W1")]
        assert kinds == ["ready_for_pickup", "pickup_reminder", "pickup_reminder", "pickup_cancelled"]
        [refund] = session.scalars(select(Return)).all()
        assert refund.total == Decimal("22.50") and refund.kind == "pickup"
        assert "22.50 will be refunded" in notifications_for(session, "W1")[-1].body
    # held in quarantine: sellable nowhere until scanned, not reserved either
    assert reserved(store, "SKU-1") == 0
    assert level(store, "SKU-1") == sellable - 2 and level(store, "SKU-1", Bucket.QUARANTINE) == 2
    assert ("fulfilment", "cancelled_by_store") in outbox(store)
    assert ("movement", "adjustment/quarantine/2") in outbox(store)
    assert _run(store, T0 + 6 * DAY).unclaimed == []  # once
    with store.transaction() as session:
        tasks = {t.sku: t for t in open_tasks(session, "restock")}
        scan_restock(session, "SKU-1", location="S01", actor=AMY)
        assert level_in(session, "SKU-1") == sellable - 1
        scan_restock(session, tasks["SKU-2"].code, location="S01", actor=AMY)
        with pytest.raises(ValidationError, match="no restock task waits"):
            scan_restock(session, "SKU-3", location="S01", actor=AMY)
        scan_restock(session, "SKU-1", location="S01", actor=AMY)
        assert open_tasks(session) == []
        assert run_checks(session) == []
    assert level(store, "SKU-1") == sellable and level(store, "SKU-1", Bucket.QUARANTINE) == 0
    report = deliver_pending(store.transaction, FolderSender(tmp_path / "mail"), now=T0 + 6 * DAY)
    assert (report.sent, report.failed) == (4, 0)
    mails = sorted((tmp_path / "mail").glob("*.eml"))
    assert len(mails) == 4 and all(b"ava@example.com" in m.read_bytes() for m in mails)


def level_in(session: Session, sku: str) -> int:
    return session.get(StockPosition, ("S01", sku)).sellable


def test_an_order_the_hub_cancels_on_the_shelf_goes_back_by_restock(store: Database) -> None:
    staged(store, "W2-S01", [("SKU-3", 1)])
    cancel = PulledChange(
        9, "fulfilment_cancelled", {"fulfilment_id": "W2-S01", "order_id": "W2", "reason": "customer called"}
    )
    with store.transaction() as session:
        apply_changes(session, [cancel], 9)
    report = _run(store, T0 + DAY)
    assert report.cancelled_elsewhere == ["W2-S01"] and report.reminders == []
    assert level(store, "SKU-3", Bucket.QUARANTINE) == 1 and level(store, "SKU-3") == 9
    with store.transaction() as session:
        assert get_pickup(session, "W2-S01").state == "cancelled"
        assert run_checks(session) == []


def test_an_order_without_email_gets_a_skipped_notification(store: Database) -> None:
    staged(store, "W3-S01", [("SKU-1", 1)], email="")
    with store.transaction() as session:
        [mail] = notifications_for(session, "W3")
        assert (mail.state, mail.last_error) == ("skipped", "the order has no e-mail address")
