"""Keyboard-wedge scans are caught by timing wherever focus is; people typing are left alone."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from tests.ui.kit import Kit, sign_in
from ui.scanning import ScanDetector

SCANNER_DELAY_MS = 1  # a wedge scanner: a few milliseconds per character
TYPIST_DELAY_MS = 150  # a quick person


@pytest.fixture
def detector(qapp: QApplication):
    scanner = ScanDetector(qapp)
    yield scanner
    scanner.detach()
    scanner.deleteLater()


@pytest.fixture
def field(qtbot: QtBot) -> QLineEdit:
    edit = QLineEdit()
    qtbot.addWidget(edit)
    edit.show()
    qtbot.waitExposed(edit)
    edit.setFocus()
    return edit


def scan(qtbot: QtBot, widget, code: str, suffix=Qt.Key.Key_Return) -> None:
    qtbot.keyClicks(widget, code, delay=SCANNER_DELAY_MS)
    qtbot.keyClick(widget, suffix, delay=SCANNER_DELAY_MS)


def test_a_fast_burst_ending_in_enter_is_a_scan_and_types_nothing(
    qtbot: QtBot, detector: ScanDetector, field: QLineEdit
) -> None:
    with qtbot.waitSignal(detector.scanned, timeout=1000) as caught:
        scan(qtbot, field, "4006381333931")
    assert caught.args == ["4006381333931", "enter"]
    qtbot.wait(60)
    assert field.text() == ""  # the digits never reached the focused field


def test_tab_suffix_is_a_scan_too(qtbot: QtBot, detector: ScanDetector, field: QLineEdit) -> None:
    with qtbot.waitSignal(detector.scanned, timeout=1000) as caught:
        scan(qtbot, field, "ABC-123", Qt.Key.Key_Tab)
    assert caught.args == ["ABC-123", "tab"]
    assert field.hasFocus()  # the Tab did not move focus


def test_a_slow_typist_is_not_mistaken_for_a_scanner(
    qtbot: QtBot, detector: ScanDetector, field: QLineEdit
) -> None:
    scans: list[tuple[str, str]] = []
    detector.scanned.connect(lambda code, suffix: scans.append((code, suffix)))
    qtbot.keyClicks(field, "40063813", delay=TYPIST_DELAY_MS)
    entered: list[bool] = []
    field.returnPressed.connect(lambda: entered.append(True))
    qtbot.keyClick(field, Qt.Key.Key_Return, delay=TYPIST_DELAY_MS)
    qtbot.wait(60)
    assert scans == []
    assert field.text() == "40063813"  # every key reached the field, in order
    assert entered == [True]  # and so did Enter


def test_keys_that_are_not_characters_pass_straight_through(
    qtbot: QtBot, detector: ScanDetector, field: QLineEdit
) -> None:
    qtbot.keyClicks(field, "abcd", delay=TYPIST_DELAY_MS)
    qtbot.keyClick(field, Qt.Key.Key_Backspace)
    qtbot.wait(60)
    assert field.text() == "abc"


def test_a_short_fast_burst_is_typing_not_a_scan(
    qtbot: QtBot, detector: ScanDetector, field: QLineEdit
) -> None:
    scans: list[str] = []
    detector.scanned.connect(lambda code, _suffix: scans.append(code))
    qtbot.keyClicks(field, "12", delay=SCANNER_DELAY_MS)  # two keys rolled together by a person
    qtbot.wait(60)
    assert scans == [] and field.text() == "12"


def test_a_scan_reaches_the_screen_in_front_wherever_focus_is(qtbot: QtBot, kit: Kit) -> None:
    sign_in(qtbot, kit, "9001", "9876")  # a manager, for Routing
    qtbot.waitUntil(lambda: kit.shell.page == "main")
    kit.shell.main.open_screen("routing")  # a placeholder: it checks any barcode it is given
    qtbot.waitUntil(lambda: kit.shell.main.current == "routing")
    screen = kit.shell.main.screen("routing")
    screen.entry.field.setFocus()  # focus in a text field: the scan must still not land in it
    scan(qtbot, screen.entry.field, "4006381333931")
    qtbot.waitUntil(lambda: screen.banner.outcome == "ok")
    assert "valid EAN-13" in screen.banner.text.text()
    assert screen.banner.glyph.text() == "✔"  # not colour alone: glyph and words too
    assert kit.shell.main.settings.self_test.banner._sounds.last_played == "ok"
    assert screen.entry.field.text() == ""

    kit.shell.main.rail.buttons["pack"].setFocus()  # focus on a button: Enter must not press it
    scan(qtbot, kit.shell.main.rail.buttons["pack"], "4006381333932")
    qtbot.waitUntil(lambda: screen.banner.outcome == "error")
    assert kit.shell.main.current == "routing"
    assert "check digit" in screen.banner.text.text() and screen.banner.glyph.text() == "✖"


def test_manual_entry_is_the_same_as_a_scan(qtbot: QtBot, kit: Kit) -> None:
    sign_in(qtbot, kit, "9001", "9876")
    qtbot.waitUntil(lambda: kit.shell.page == "main")
    kit.shell.main.open_screen("routing")
    qtbot.waitUntil(lambda: kit.shell.main.current == "routing")
    screen = kit.shell.main.screen("routing")
    screen.entry.field.setText("036000291452")
    qtbot.mouseClick(screen.entry.button, Qt.MouseButton.LeftButton)
    assert screen.banner.outcome == "ok" and "UPC-A" in screen.banner.text.text()


def test_a_scan_on_the_sign_in_screen_asks_to_sign_in(qtbot: QtBot, kit: Kit) -> None:
    scan(qtbot, kit.shell.sign_in.pin, "4006381333931")
    qtbot.waitUntil(lambda: "Sign in first" in kit.shell.sign_in.message.text())
    assert kit.shell.sign_in.pin.text() == ""
