"""Who may collect, on the real screen: five wrong codes lock the order until a manager's PIN
unlocks it; a QR code from another store, for an order already collected, or replaced by a newer
one is refused in words and records nothing; a malformed code is a typo, not a guess."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from core.domain.handover import bag_code
from core.domain.pickup import qr_payload
from core.services.pickup import StagedPickup, get_pickup, reissue_code
from core.services.pickup_handover import complete_handover, scan_for_handover
from core.services.pickup_verify import verify_qr
from core.storage.database import Database
from core.storage.models import AuditEntry
from tests.core.pickup_kit import AMY, PNG, staged
from tests.ui.conftest import Watchdog
from tests.ui.pickup_kit import PickupKit, audit_actions, count, screen_on, settle, store_at, wait_step


@pytest.fixture
def store(tmp_path: Path) -> Iterator[tuple[Database, StagedPickup, StagedPickup]]:
    with store_at(tmp_path) as db:
        waiting = staged(db, "W1-S01", [("SKU-1", 1)], name="Ava Kim")
        collected = staged(db, "W2-S01", [("SKU-2", 1)], name="Ben Ode", email="ben@example.com", seq=2)
        with db.transaction() as session:
            verify_qr(session, collected.qr_payload, location="S01", actor=AMY)
            scan_for_handover(session, "W2-S01", bag_code("W2-S01", 1, 1), actor=AMY)
            complete_handover(session, "W2-S01", signature=PNG, actor=AMY)
        yield db, waiting, collected


@pytest.fixture
def kit(qtbot: QtBot, store: tuple[Database, StagedPickup, StagedPickup]) -> Iterator[PickupKit]:
    with screen_on(qtbot, store[0]) as built:
        yield built


def open_w1(qtbot: QtBot, kit: PickupKit) -> None:
    qtbot.mouseClick(kit.screen.search.tiles["W1-S01"], Qt.MouseButton.LeftButton)
    wait_step(qtbot, kit, "verify")


def key_in(qtbot: QtBot, kit: PickupKit, code: str) -> None:
    """Type the code on the on-screen keypad and press Verify."""
    pad = kit.screen.verify
    keys = {b.text(): b for b in pad.findChildren(type(pad.code_button)) if b.objectName() == "PadKey"}
    for digit in code:
        qtbot.mouseClick(keys[digit], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(pad.code_button, Qt.MouseButton.LeftButton)
    settle(qtbot, kit)


def wrong_code(right: str) -> str:
    return f"{(int(right) + 1) % 10**6:06d}"


def test_five_wrong_codes_lock_the_order_until_a_manager_unlocks_it(
    qtbot: QtBot, kit: PickupKit, store: tuple[Database, StagedPickup, StagedPickup]
) -> None:
    db, waiting, _ = store
    screen = kit.screen
    open_w1(qtbot, kit)
    key_in(qtbot, kit, "12")  # not six digits: a typo, refused and not counted
    assert "6 digits" in screen.banner.text.text() and screen.banner.outcome == "error"
    for left in (4, 3, 2, 1):
        key_in(qtbot, kit, wrong_code(waiting.code))
        assert f"{left} attempt(s) left" in screen.banner.text.text()
        assert screen.verify.attempts.text().startswith(f"{left} attempt")
    key_in(qtbot, kit, wrong_code(waiting.code))
    assert screen.step == "unlock" and "locked after 5 wrong codes" in screen.banner.text.text()

    screen.unlock.manager.setText("9001")
    screen.unlock.pin.setText("0000")
    qtbot.mouseClick(screen.unlock.button, Qt.MouseButton.LeftButton)
    settle(qtbot, kit)
    assert screen.step == "unlock" and screen.banner.outcome == "error"  # a wrong manager PIN

    screen.unlock.manager.setText("9001")
    screen.unlock.pin.setText("9876")
    qtbot.mouseClick(screen.unlock.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.step == "verify" and screen.card is not None and not screen.card.locked)
    assert screen.verify.attempts.text().startswith("5 attempts")
    key_in(qtbot, kit, waiting.code)
    wait_step(qtbot, kit, "handover")
    actions = [a for a, _, _ in audit_actions(db, "W1-S01")]
    assert actions.count("pickup.code_failed") == 4 and "pickup.locked" in actions
    assert actions[-2:] == ["pickup.unlocked", "pickup.verified"]
    assert ("pickup.unlocked", "9001", "tablet-1") in audit_actions(db, "W1-S01")


@pytest.mark.parametrize(
    ("which", "words"),
    [
        ("other_store", "for a pickup at store S02 (order W9), not S01"),
        ("collected", "order W2 was already collected"),
        ("replaced", "was replaced by a newer one"),
        ("forged", "signature does not match"),
    ],
)
def test_a_qr_code_that_may_not_start_a_handover_here_is_refused_and_records_nothing(
    qtbot: QtBot,
    kit: PickupKit,
    store: tuple[Database, StagedPickup, StagedPickup],
    which: str,
    words: str,
    ui_watchdog: Watchdog,
) -> None:
    db, waiting, collected = store
    payload = {
        "other_store": qr_payload("S02", "W9", "W9-S02", "123456", b"k" * 32),
        "collected": collected.qr_payload,
        "replaced": waiting.qr_payload,
        "forged": qr_payload("S01", "W1", "W1-S01", waiting.code, b"k" * 32),
    }[which]
    if which == "replaced":
        with (
            ui_watchdog.paused(),
            db.transaction() as session,
        ):  # the customer's new code: not the screen's work
            reissue_code(session, "W1-S01", actor=AMY)
    entries = count(db, AuditEntry)
    kit.screen.handle_scan(payload, "enter")
    settle(qtbot, kit)
    assert kit.screen.banner.outcome == "error" and kit.sounds.last_played == "error"
    assert words in kit.screen.banner.text.text()
    assert kit.screen.step == "search"
    assert count(db, AuditEntry) == entries
    with db.transaction() as session:
        assert get_pickup(session, "W1-S01").verified_at is None
