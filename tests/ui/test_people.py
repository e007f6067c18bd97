"""The People card on Settings, on the real app and services: a manager adds a starter, gives a
new PIN, unlocks a locked-out associate and stops someone signing in; refusals change nothing;
associates never see the card. (Settings scrolls kinetically: with a mouse the scroller holds a
press to tell a flick from a tap, so its buttons are pressed with click().)"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from core.services.associates import list_associates
from core.services.associates import sign_in as check_sign_in
from core.storage.models import AuditEntry
from tests.ui.kit import Kit, sign_in
from ui.screens.people import PeopleCard


def people(qtbot: QtBot, kit: Kit, who: tuple[str, str] = ("9001", "9876")) -> PeopleCard:
    sign_in(qtbot, kit, *who)
    kit.shell.main.open_screen("settings")
    card = kit.shell.main.settings.people
    assert card is not None
    return card


def can_sign_in(qtbot: QtBot, kit: Kit, associate_id: str, pin: str) -> bool:
    """A sign-in checked by the service, off the UI thread (a PIN's key derivation takes ~50 ms)."""

    def attempt() -> bool:
        with kit.db.transaction() as session:
            return check_sign_in(session, associate_id, pin).signed_in is not None

    with ThreadPoolExecutor(1) as pool:
        future = pool.submit(attempt)
        qtbot.waitUntil(future.done, timeout=10_000)
        return future.result()


def type_into(qtbot: QtBot, field: QLineEdit, keys: str, shows: str | None = None) -> None:
    """Keys typed fast are held by the scan detector until it knows they are not a scan, then
    replayed into the field: wait for them to land."""
    qtbot.keyClicks(field, keys)
    expected = keys if shows is None else shows
    qtbot.waitUntil(lambda: field.text().endswith(expected))


def audit_actions(kit: Kit) -> list[tuple[str, str, str]]:
    with kit.db.transaction() as session:
        query = select(AuditEntry).where(AuditEntry.action.like("associate.%"), AuditEntry.actor != "system")
        rows = session.scalars(query.order_by(AuditEntry.id))  # the demo's people were made by the system
        return [(r.actor, r.action, r.subject) for r in rows]


def test_a_manager_adds_a_starter_who_can_sign_in(qtbot: QtBot, kit: Kit) -> None:
    card = people(qtbot, kit)
    qtbot.waitUntil(lambda: len(card.rows) == 3)
    assert card.isVisible()
    type_into(qtbot, card.new_id, "1003")
    type_into(qtbot, card.new_name, "Cara Diaz")
    type_into(qtbot, card.add_pin, "55x55", shows="5555")  # the field takes digits only
    type_into(qtbot, card.add_pin_again, "5555")
    card.add_button.click()
    qtbot.waitUntil(lambda: len(card.rows) == 4)
    assert card.message.text() == "Cara Diaz can sign in now."
    assert card.new_id.text() == "" and card.add_pin.text() == ""
    assert can_sign_in(qtbot, kit, "1003", "5555")
    assert ("9001", "associate.created", "1003") in audit_actions(kit)


def test_refusals_are_said_and_change_nothing(qtbot: QtBot, kit: Kit) -> None:
    card = people(qtbot, kit)
    qtbot.waitUntil(lambda: len(card.rows) == 3)
    type_into(qtbot, card.new_id, "1004")
    type_into(qtbot, card.new_name, "Dev Shah")
    type_into(qtbot, card.add_pin, "2222")
    type_into(qtbot, card.add_pin_again, "2223")
    card.add_button.click()
    assert card.message.text().startswith("The two PINs are not the same")
    card.add_pin_again.clear()
    type_into(qtbot, card.add_pin_again, "2222")
    card.new_id.clear()
    type_into(qtbot, card.new_id, "1001")  # Amy's id
    card.add_button.click()
    qtbot.waitUntil(lambda: "already exists" in card.message.text())
    card.actions["9001"]["active"].click()  # Morgan stopping Morgan
    qtbot.waitUntil(lambda: "cannot deactivate yourself" in card.message.text())
    card.actions["1001"]["pin"].click()
    type_into(qtbot, card.new_pin, "12")
    type_into(qtbot, card.new_pin_again, "12")
    card.save_pin_button.click()
    qtbot.waitUntil(lambda: "4 to 8 digits" in card.message.text())
    assert len(card.rows) == 3 and audit_actions(kit) == []
    assert can_sign_in(qtbot, kit, "1001", "1234")


def test_new_pin_unlock_and_stopping_sign_in(qtbot: QtBot, kit: Kit) -> None:
    for _ in range(5):  # Ben forgot his PIN and locked himself out
        assert not can_sign_in(qtbot, kit, "1002", "0000")
    card = people(qtbot, kit)
    qtbot.waitUntil(lambda: len(card.rows) == 3)
    assert card.actions["1002"]["unlock"].isVisibleTo(card)
    card.actions["1002"]["unlock"].click()
    qtbot.waitUntil(lambda: card.message.text() == "Ben Okafor can sign in again.")
    qtbot.waitUntil(lambda: not card.actions["1002"]["unlock"].isVisibleTo(card))

    card.actions["1002"]["pin"].click()
    assert card.pin_title.text() == "New PIN for Ben Okafor:"
    type_into(qtbot, card.new_pin, "8642")
    type_into(qtbot, card.new_pin_again, "8642")
    card.save_pin_button.click()
    qtbot.waitUntil(lambda: card.message.text() == "Ben Okafor has a new PIN.")
    assert can_sign_in(qtbot, kit, "1002", "8642") and not card.pin_box.isVisibleTo(card)

    card.actions["1001"]["active"].click()
    qtbot.waitUntil(lambda: card.message.text() == "Amy Rivera can no longer sign in.")
    with kit.db.transaction() as session:
        assert "1001" not in [c.associate_id for c in list_associates(session)]  # off the sign-in tiles
    qtbot.waitUntil(lambda: card.actions["1001"]["active"].text() == "Allow sign-in")
    assert [a for _by, a, _who in audit_actions(kit)] == [
        "associate.unlocked",
        "associate.pin_changed",
        "associate.deactivated",
    ]


def test_associates_do_not_see_the_card(qtbot: QtBot, kit: Kit) -> None:
    card = people(qtbot, kit, ("1001", "1234"))
    assert not card.isVisibleTo(kit.shell) and card.rows == []


def test_a_tablet_nobody_touches_signs_its_person_out(qtbot: QtBot, kit: Kit) -> None:
    sign_in(qtbot, kit, "1001", "1234")
    idle = kit.shell.idle
    qtbot.waitUntil(lambda: idle.armed and kit.shell.idle_minutes == 10)
    idle.timer.start(400)  # ten minutes, shortened
    for _ in range(4):  # someone keeps working: every tap restarts the countdown
        qtbot.wait(150)
        qtbot.mouseClick(kit.shell.main.rail.buttons["pack"], Qt.MouseButton.LeftButton)
    assert kit.shell.page == "main"
    qtbot.waitUntil(lambda: kit.shell.page == "sign_in", timeout=3000)
    assert kit.shell.sign_in.message.text() == "Signed out after 10 minutes without a tap or scan."
    assert not idle.armed and kit.shell.person is None


def test_a_manager_sets_how_long_tablets_wait(qtbot: QtBot, kit: Kit) -> None:
    card = people(qtbot, kit)
    qtbot.waitUntil(lambda: card.idle.value == 10)
    assert not card.save_idle_button.isEnabled()
    card.idle.plus.click()
    card.save_idle_button.click()
    qtbot.waitUntil(lambda: card.message.text().startswith("Tablets sign out after 15 minutes"))
    kit.shell.sign_out()
    sign_in(qtbot, kit, "1001", "1234")
    qtbot.waitUntil(lambda: kit.shell.idle_minutes == 15)


def test_anyone_changes_their_own_pin_after_typing_the_current_one(qtbot: QtBot, kit: Kit) -> None:
    sign_in(qtbot, kit, "1002", "2468")
    kit.shell.main.open_screen("settings")
    card = kit.shell.main.settings.my_pin
    assert card is not None and card.title.text() == "My PIN (Ben Okafor)"
    assert not kit.shell.main.settings.people.isVisibleTo(kit.shell)  # Ben is no manager
    type_into(qtbot, card.current, "1111")
    type_into(qtbot, card.new, "7531")
    type_into(qtbot, card.again, "7531")
    card.change_button.click()
    qtbot.waitUntil(lambda: card.message.text().startswith("Wrong PIN. 4 attempts left"))
    type_into(qtbot, card.current, "2468")
    type_into(qtbot, card.new, "7531")
    type_into(qtbot, card.again, "7531")
    card.change_button.click()
    qtbot.waitUntil(lambda: card.message.text().startswith("Your PIN is changed"))
    assert card.current.text() == "" and can_sign_in(qtbot, kit, "1002", "7531")
