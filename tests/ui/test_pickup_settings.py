"""A manager sets the store's pickup rules on the Pickup screen (a wrong entry is named and nothing
saved; an associate has no such button and the service refuses them anyway); a customer who lost
the code gets a new one by e-mail, and the old QR code stops working."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from core.domain.associates import Role, SignedIn
from core.domain.pickup import PickupSettings
from core.services.notifications import notifications_for
from core.services.pickup import StagedPickup, pickup_settings
from core.storage.database import Database
from tests.core.pickup_kit import staged
from tests.ui.pickup_kit import PickupKit, screen_on, settle, store_at, wait_step

MORGAN = SignedIn("9001", "Morgan Lee", Role.MANAGER, "tablet-1")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[tuple[Database, StagedPickup]]:
    with store_at(tmp_path) as db:
        ready = staged(db, "W1-S01", [("SKU-1", 1)])
        yield db, ready


@pytest.fixture
def kit(qtbot: QtBot, store: tuple[Database, StagedPickup]) -> Iterator[PickupKit]:
    with screen_on(qtbot, store[0]) as built:
        yield built


def saved(db: Database) -> PickupSettings:
    with db.transaction() as session:
        return pickup_settings(session)


def test_a_manager_sets_the_pickup_rules_and_a_wrong_entry_saves_nothing(
    qtbot: QtBot, kit: PickupKit, store: tuple[Database, StagedPickup]
) -> None:
    db, _ = store
    screen = kit.screen
    assert screen.search.settings_button.isHidden()  # Amy is an associate
    screen.set_person(MORGAN)
    assert not screen.search.settings_button.isHidden()
    qtbot.mouseClick(screen.search.settings_button, Qt.MouseButton.LeftButton)
    page = screen.settings
    qtbot.waitUntil(lambda: page.days.text() == "7")
    assert (page.shelf.text(), page.reminders.text()) == ("PICKUP", "1,3")

    page.days.setText("3")
    page.reminders.setText("1,5")  # a reminder after the order is cancelled
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, kit)
    assert (
        screen.banner.outcome == "error" and "reminders come after 1 to 2 days" in screen.banner.text.text()
    )
    page.days.clear()
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert "Type the days before cancelling" in screen.banner.text.text()
    assert saved(db) == PickupSettings()

    page.shelf.setText("B-12")
    page.days.setText("3")
    page.reminders.setText("2, 1")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, kit)
    assert screen.banner.outcome == "ok"
    assert saved(db) == PickupSettings("B-12", (1, 2), 3)


def test_an_associate_cannot_save_the_rules(
    qtbot: QtBot, kit: PickupKit, store: tuple[Database, StagedPickup]
) -> None:
    db, _ = store
    screen = kit.screen
    screen.show_settings()  # no button for Amy; the page itself still asks the service
    qtbot.waitUntil(lambda: screen.settings.days.text() == "7")
    screen.settings.days.setText("3")
    qtbot.mouseClick(screen.settings.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, kit)
    assert screen.banner.outcome == "error" and "Nothing was saved" in screen.banner.text.text()
    assert saved(db) == PickupSettings()


def test_a_lost_code_is_reissued_by_email_and_the_old_qr_code_stops_working(
    qtbot: QtBot, kit: PickupKit, store: tuple[Database, StagedPickup]
) -> None:
    db, ready = store
    screen = kit.screen
    qtbot.mouseClick(screen.search.tiles["W1-S01"], Qt.MouseButton.LeftButton)
    wait_step(qtbot, kit, "verify")
    qtbot.mouseClick(screen.verify.reissue_button, Qt.MouseButton.LeftButton)
    settle(qtbot, kit)
    assert screen.banner.outcome == "ok" and "on their way to ava@example.com" in screen.banner.text.text()
    with db.transaction() as session:
        assert [n.kind for n in notifications_for(session, "W1")] == ["ready_for_pickup", "ready_for_pickup"]
    screen.handle_scan(ready.qr_payload, "enter")
    settle(qtbot, kit)
    assert screen.banner.outcome == "error" and "replaced by a newer one" in screen.banner.text.text()
