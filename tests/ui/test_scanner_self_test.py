"""The scanner self-test names the fix: suffix, keyboard layout, Caps Lock."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.ui.kit import Kit, sign_in, wedge_type
from ui.code39 import modules
from ui.scanner_test import AZERTY_KEYS_ON_US, TEST_CODE, US_KEYS_ON_AZERTY, diagnose


def outcomes(received: str, suffix: str | None) -> list[str]:
    return [f.outcome for f in diagnose(received, suffix)]


def test_a_good_scan_with_enter_needs_nothing() -> None:
    assert outcomes(TEST_CODE, "enter") == ["ok", "ok"]


def test_tab_is_accepted_with_advice() -> None:
    findings = diagnose(TEST_CODE, "tab")
    assert findings[0].outcome == "warn" and "CR (Enter)" in findings[0].text


def test_no_suffix_is_an_error() -> None:
    assert "No suffix" in diagnose(TEST_CODE, None)[0].text


def test_azerty_tablet_with_a_us_scanner() -> None:
    received = TEST_CODE.translate(US_KEYS_ON_AZERTY)
    assert received == "SCQN&é\"'(-è_çà"
    finding = diagnose(received, "enter")[1]
    assert finding.outcome == "error" and "French AZERTY" in finding.text and "symbols" in finding.text


def test_us_tablet_with_an_azerty_scanner() -> None:
    finding = diagnose(TEST_CODE.translate(AZERTY_KEYS_ON_US), "enter")[1]
    assert "set to US" in finding.text


def test_caps_lock() -> None:
    assert "Caps Lock" in diagnose(TEST_CODE.swapcase(), "enter")[1].text


def test_something_else_names_what_was_read() -> None:
    assert "'4006381333931'" in diagnose("4006381333931", "enter")[1].text


def test_the_test_code_is_drawable_as_code39() -> None:
    bars = modules(TEST_CODE)
    assert sum(1 for is_bar, _ in bars if is_bar) == 5 * (len(TEST_CODE) + 2)


def open_self_test(qtbot: QtBot, kit: Kit):
    sign_in(qtbot, kit, "1002", "2468")
    qtbot.waitUntil(lambda: kit.shell.page == "main")
    kit.shell.main.rail.buttons["settings"].click()
    qtbot.waitUntil(lambda: kit.shell.main.current == "settings")
    return kit.shell.main.settings


def test_scanning_the_test_code_on_the_settings_screen(qtbot: QtBot, kit: Kit) -> None:
    settings = open_self_test(qtbot, kit)
    wedge_type(qtbot, settings, "SCQN&é\"'(-è_çà")
    qtbot.keyClick(settings, Qt.Key.Key_Tab, delay=1)
    qtbot.waitUntil(lambda: len(settings.self_test.findings) == 2)
    banner = settings.self_test.banner
    assert banner.outcome == "error" and "needs fixing" in banner.text.text()
    assert [f.outcome for f in settings.self_test.findings] == ["warn", "error"]


def test_a_scanner_without_suffix_is_caught_by_the_self_test(qtbot: QtBot, kit: Kit) -> None:
    settings = open_self_test(qtbot, kit)
    qtbot.keyClicks(settings, TEST_CODE, delay=1)  # no Enter, no Tab
    qtbot.waitUntil(lambda: len(settings.self_test.findings) == 2)
    assert settings.self_test.findings[0].outcome == "error"
    assert "No suffix" in settings.self_test.findings[0].text
    assert settings.self_test.findings[1].outcome == "ok"
