"""The pickup handoff on the real screen and services: found by search or by scanning the QR code,
verified (a named proxy with their ID), every bag and item scanned out, a partial pickup with a
reason, the signature drawn on the pad, and every step in the audit trail."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from core.domain.inventory import Bucket
from core.services.pickup import StagedPickup, get_pickup
from core.services.store_tasks import open_tasks
from core.storage.database import Database
from core.storage.models import Return
from tests.core.pickup_kit import level, staged
from tests.ui.kit import look
from tests.ui.pickup_kit import (
    BARCODES,
    PickupKit,
    audit_actions,
    count,
    scans,
    screen_on,
    settle,
    sign,
    store_at,
    wait_step,
)
from ui.scanning import ScanDetector

SCANNER_DELAY_MS = 0  # back to back, as a scanner types (the detector's timing has tests of its own)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[tuple[Database, StagedPickup]]:
    with store_at(tmp_path) as db:
        ready = staged(db, "W1-S01", [("SKU-1", 2), ("SKU-2", 1)], bags=1, name="Ava Kim")
        yield db, ready


@pytest.fixture
def kit(qtbot: QtBot, store: tuple[Database, StagedPickup]) -> Iterator[PickupKit]:
    with screen_on(qtbot, store[0]) as built:
        yield built


@pytest.fixture
def scanner(qapp: QApplication, kit: PickupKit) -> Iterator[ScanDetector]:
    detector = ScanDetector(qapp)
    detector.scanned.connect(kit.screen.handle_scan)
    yield detector
    detector.detach()
    detector.deleteLater()


def scan_keys(qtbot: QtBot, kit: PickupKit, scanner: ScanDetector, code: str) -> None:
    """A wedge scanner: the code typed fast into whatever has focus, then Enter; wait for the answer."""
    target = kit.screen.entry.field
    target.setFocus()
    with qtbot.waitSignal(scanner.scanned, timeout=2000):
        qtbot.keyClicks(target, code, delay=SCANNER_DELAY_MS)
        qtbot.keyClick(target, Qt.Key.Key_Return, delay=SCANNER_DELAY_MS)
    settle(qtbot, kit)


def scan(qtbot: QtBot, kit: PickupKit, code: str) -> None:
    """A scan as the app-wide detector hands it over (its key timing is tested on its own)."""
    kit.screen.handle_scan(code, "enter")
    settle(qtbot, kit)


def test_the_whole_handoff_by_scanning_with_a_proxy_a_partial_pickup_and_a_signature(
    qtbot: QtBot, kit: PickupKit, store: tuple[Database, StagedPickup]
) -> None:
    db, _ = store
    screen = kit.screen
    qtbot.keyClicks(screen.search.field, "kim avva")  # a typo in the name still finds her
    qtbot.waitUntil(lambda: screen.search.summary.text().startswith("1 match"))
    qtbot.mouseClick(screen.search.tiles["W1-S01"], Qt.MouseButton.LeftButton)
    wait_step(qtbot, kit, "verify")
    assert screen.title.text() == "Order W1 · Ava Kim"

    screen.verify.proxy_field.setText("Lee Park")  # Ava sends her neighbour
    qtbot.mouseClick(screen.verify.proxy_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.card is not None and screen.card.proxy_name == "Lee Park")
    assert "may be collected by Lee Park" in screen.subtitle.text()

    screen.verify.choose_id_type("passport")
    screen.verify.last4.setText("k123")
    screen.verify.holder.setText("lee  PARK")
    qtbot.mouseClick(screen.verify.proxy, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.verify.id_button, Qt.MouseButton.LeftButton)
    wait_step(qtbot, kit, "handover")
    assert screen.banner.outcome == "ok"

    scan(qtbot, kit, "BAG:W1-S01:1/1")
    assert screen.handover.bags == {1} and screen.handover.complete
    scan(qtbot, kit, BARCODES["SKU-1"])
    scan(qtbot, kit, BARCODES["SKU-2"])
    assert screen.handover.units == {"SKU-1": 1, "SKU-2": 1}
    assert screen.handover.rows["SKU-1"][1].text() == "1 of 2"
    assert scans(db) == 3

    qtbot.mouseClick(screen.handover.finish_button, Qt.MouseButton.LeftButton)
    assert screen.step == "finish" and screen.finish.sign_title.text() == "Signature of lee PARK"
    qtbot.mouseClick(screen.finish.complete_button, Qt.MouseButton.LeftButton)  # not signed yet
    assert screen.banner.outcome == "error" and "sign" in screen.banner.text.text()
    sign(qtbot, kit)
    assert screen.finish.pad.has_ink
    row = screen.finish.row("SKU-1")
    qtbot.mouseClick(row.more, Qt.MouseButton.LeftButton)  # one shirt stays: Ava did not want two
    qtbot.mouseClick(screen.finish.complete_button, Qt.MouseButton.LeftButton)
    assert "tap why" in screen.banner.text.text() and count(db, Return) == 0  # no reason: nothing recorded
    qtbot.mouseClick(row.reasons["declined"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.finish.complete_button, Qt.MouseButton.LeftButton)
    wait_step(qtbot, kit, "done")

    result = screen.result
    assert result is not None and result.state == "collected"
    assert result.handed_over == {"SKU-1": 1, "SKU-2": 1} and result.refunded == {"SKU-1": 1}
    assert "by lee PARK" in screen.done.text.text() and "Refunded" in screen.done.text.text()
    with db.transaction() as session:
        pickup = get_pickup(session, "W1-S01")
        assert (pickup.state, pickup.collector_kind, pickup.collector_name) == (
            "collected",
            "proxy",
            "lee PARK",
        )
        assert (pickup.id_type, pickup.id_last4, pickup.verified_method) == ("passport", "K123", "id")
        assert pickup.signature_kind == "png" and pickup.signature.startswith(b"\x89PNG")
        [task] = open_tasks(session, "restock")
        assert (task.sku, task.qty) == ("SKU-1", 1)
    assert level(db, "SKU-1", Bucket.QUARANTINE) == 1  # the declined shirt waits for its restock scan
    steps = audit_actions(db, "W1-S01")
    assert [a for a, _, _ in steps] == [
        "pickup.staged",
        "pickup.proxy_named",
        "pickup.verified",
        "pickup.handover",
    ]
    assert all((who, device) == ("1001", "tablet-1") for _, who, device in steps[1:])


def test_scanning_the_customers_qr_code_opens_the_order_verified(
    qtbot: QtBot, kit: PickupKit, scanner: ScanDetector, store: tuple[Database, StagedPickup]
) -> None:
    db, ready = store
    scan_keys(qtbot, kit, scanner, ready.qr_payload)  # from the search page, nothing typed
    wait_step(qtbot, kit, "handover")
    assert kit.screen.entry.field.text() == ""  # the scan was swallowed whole
    # Straight to the handover: the banner still says the code was accepted, not to scan one.
    assert kit.screen.banner.text.text().startswith("QR code accepted")
    scan(qtbot, kit, "BAG:W1-S01:1/1")
    qtbot.mouseClick(kit.screen.handover.finish_button, Qt.MouseButton.LeftButton)
    look(qtbot)
    sign(qtbot, kit)
    qtbot.mouseClick(kit.screen.finish.complete_button, Qt.MouseButton.LeftButton)
    wait_step(qtbot, kit, "done")
    assert kit.screen.result is not None and kit.screen.result.handed_over == {"SKU-1": 2, "SKU-2": 1}
    with db.transaction() as session:
        pickup = get_pickup(session, "W1-S01")
        assert (pickup.verified_method, pickup.collector_kind) == ("qr", "customer")


def test_a_scan_of_an_item_not_on_the_order_is_refused_and_records_nothing(
    qtbot: QtBot, kit: PickupKit, store: tuple[Database, StagedPickup]
) -> None:
    db, ready = store
    scan(qtbot, kit, ready.qr_payload)
    wait_step(qtbot, kit, "handover")
    scan(qtbot, kit, BARCODES["SKU-3"])
    assert kit.screen.banner.outcome == "error" and kit.sounds.last_played == "error"
    assert "is not on order W1: do not hand it over" in kit.screen.banner.text.text()
    assert "Nothing was recorded" in kit.screen.banner.text.text()
    assert "✖" in kit.screen.handover.refused.text() and kit.screen.handover.units == {}
    scan(qtbot, kit, BARCODES["SKU-2"])
    scan(qtbot, kit, BARCODES["SKU-2"])  # the one unit given twice
    assert "scanned twice" in kit.screen.banner.text.text()
    assert scans(db) == 1
