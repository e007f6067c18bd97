"""Signing in on the real screen against the real services: success, wrong PIN, lockout, audit."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from core.services import audit
from core.services.associates import MAX_FAILED_ATTEMPTS
from tests.ui.kit import Kit, sign_in


def actions(kit: Kit, subject: str) -> list[str]:
    with kit.db.transaction() as session:
        return [entry.action for entry in reversed(audit.entries(session, subject=subject))]


def test_the_right_pin_opens_the_workspace_as_that_person(qtbot: QtBot, kit: Kit) -> None:
    sign_in(qtbot, kit, "1001", "1234")
    qtbot.waitUntil(lambda: kit.shell.page == "main")
    assert kit.shell.person is not None and kit.shell.person.name == "Amy Rivera"
    assert kit.shell.main.current == "pick"
    assert "Amy Rivera" in kit.shell.main.status.person.text()
    assert actions(kit, "1001")[-1] == "sign_in.ok"


def test_keypad_taps_type_the_pin(qtbot: QtBot, kit: Kit) -> None:
    screen = kit.shell.sign_in
    screen.choose_id("1002")
    for key in ("2", "4", "6", "9", "⌫", "8"):
        screen.press(key)
    assert screen.pin.text() == "2468"
    screen.submit()
    qtbot.waitUntil(lambda: kit.shell.page == "main")


def test_a_wrong_pin_is_refused_in_words_and_counted(qtbot: QtBot, kit: Kit) -> None:
    sign_in(qtbot, kit, "1001", "9999")
    screen = kit.shell.sign_in
    assert kit.shell.page == "sign_in"
    assert "Wrong PIN" in screen.message.text()
    assert f"{MAX_FAILED_ATTEMPTS - 1} attempts left" in screen.message.text()
    assert screen.pin.text() == ""  # cleared for the next try
    assert actions(kit, "1001")[-1] == "sign_in.failed"


def test_repeated_wrong_pins_lock_the_person_out_even_with_the_right_pin(qtbot: QtBot, kit: Kit) -> None:
    for _ in range(MAX_FAILED_ATTEMPTS):
        sign_in(qtbot, kit, "1001", "0000")
    assert "locked until" in kit.shell.sign_in.message.text()
    sign_in(qtbot, kit, "1001", "1234")
    assert kit.shell.page == "sign_in"
    assert "locked until" in kit.shell.sign_in.message.text()
    assert actions(kit, "1001")[-2:] == ["sign_in.locked", "sign_in.refused"]


def test_signing_out_returns_to_a_blank_sign_in(qtbot: QtBot, kit: Kit) -> None:
    sign_in(qtbot, kit, "9001", "9876")
    qtbot.waitUntil(lambda: kit.shell.page == "main")
    kit.shell.main.rail.sign_out.click()
    qtbot.waitUntil(lambda: kit.shell.page == "sign_in" and kit.store.ops.pending == 0)
    assert kit.shell.person is None and kit.shell.sign_in.selected is None
    assert actions(kit, "9001")[-1] == "sign_out"


def test_a_sign_out_before_the_workspace_shows_keeps_the_sign_in_page(qtbot: QtBot, kit: Kit) -> None:
    """The workspace shows on the turn after sign-in; signing out in between must not show it."""
    sign_in(qtbot, kit, "9001", "9876")
    person = kit.shell.person
    assert person is not None
    kit.shell.sign_out()
    qtbot.waitUntil(lambda: kit.shell.page == "sign_in" and kit.store.ops.pending == 0)
    kit.shell.enter(person)
    assert kit.shell.page == "sign_in"  # readied, not shown yet
    kit.shell.sign_out()
    qtbot.wait(50)
    assert kit.shell.page == "sign_in" and kit.shell.person is None


def test_sign_in_needs_a_name_first(qtbot: QtBot, kit: Kit) -> None:
    kit.shell.sign_in.pin.setText("1234")
    kit.shell.sign_in.submit()
    assert "Tap your name" in kit.shell.sign_in.message.text()
