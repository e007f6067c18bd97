"""Theme switching at run time, and the first-run setup screen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from core.domain.errors import ValidationError
from tests.ui.kit import Kit, look, sign_in
from ui.theme import load_qss


def test_both_themes_load_and_style_the_same_widgets() -> None:
    light, dark = load_qss("light"), load_qss("dark")
    selectors = lambda qss: [line.split("{")[0].strip() for line in qss.splitlines() if "{" in line]  # noqa: E731
    assert selectors(light) == selectors(dark)
    assert "font-size: 18px" in light and "min-height: 48px" in light
    with pytest.raises(ValueError, match="unknown theme"):
        load_qss("neon")


def test_switching_theme_in_settings_restyles_every_screen(qtbot: QtBot, kit: Kit) -> None:
    sign_in(qtbot, kit, "1001", "1234")
    qtbot.waitUntil(lambda: kit.shell.page == "main")
    kit.shell.main.rail.buttons["settings"].click()
    look(qtbot)
    settings, themes = kit.shell.main.settings, kit.shell.themes
    light_background = settings.palette().window().color().name()
    qtbot.mouseClick(settings.theme_buttons["dark"], Qt.MouseButton.LeftButton)
    assert settings.theme_buttons["dark"].isChecked() and not settings.theme_buttons["light"].isChecked()
    assert settings.styleSheet() == load_qss("dark")  # the screen in front changes at once
    qtbot.waitUntil(lambda: not themes.switching)  # the rest follow, a screen per event-loop turn
    for part in kit.shell.theme_targets():
        assert part.styleSheet() == load_qss("dark")
    assert settings.palette().window().color().name() != light_background
    qtbot.mouseClick(settings.theme_buttons["light"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not themes.switching)
    assert kit.shell.sign_in.styleSheet() == load_qss("light")


def test_touch_targets_and_text_sizes(qtbot: QtBot, kit: Kit) -> None:
    sign_in(qtbot, kit, "9001", "9876")
    qtbot.waitUntil(lambda: kit.shell.page == "main")
    qtbot.wait(20)
    for button in kit.shell.main.rail.buttons.values():
        assert button.height() >= 48 and button.width() >= 48, button.text()
    kit.shell.main.open_screen("returns")
    qtbot.wait(20)
    entry = kit.shell.main.screen("returns").entry
    assert entry.button.height() >= 48 and entry.field.height() >= 48
    assert entry.field.font().pixelSize() >= 16 or entry.field.font().pointSizeF() >= 12


def test_first_run_shows_setup_and_enrols_then_asks_who_is_working(qtbot: QtBot, first_run_kit: Kit) -> None:
    calls: list[tuple[str, str]] = []

    async def enroll(hub: str, code: str) -> str:
        calls.append((hub, code))
        return "CHI-01"

    setup = first_run_kit.shell.setup
    setup._enroll = enroll
    qtbot.keyClicks(setup.hub, "https://hub.example.com/", delay=40)  # typed by a person
    qtbot.keyClicks(setup.code, "7KQ4-M2XD", delay=40)
    qtbot.mouseClick(setup.connect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: first_run_kit.shell.page == "sign_in")
    assert calls == [("https://hub.example.com", "7KQ4-M2XD")]


def test_setup_explains_a_bad_address_and_a_refused_code(qtbot: QtBot, first_run_kit: Kit) -> None:
    setup = first_run_kit.shell.setup
    setup.hub.setText("hub.example.com")
    setup.code.setText("X")
    setup.submit()
    assert "https://" in setup.message.text() and setup.task is None

    async def refuse(hub: str, code: str) -> str:
        raise ValidationError("the hub refused the enrolment: unknown or expired code")

    setup._enroll = refuse
    setup.hub.setText("https://hub.example.com")
    setup.submit()
    qtbot.waitUntil(lambda: setup.task is not None and setup.task.done())
    assert "unknown or expired code" in setup.message.text()
    assert first_run_kit.shell.page == "setup" and setup.connect_button.isEnabled()


def test_setup_through_the_real_sync_client_reports_an_unreachable_hub(
    qtbot: QtBot, first_run_kit: Kit
) -> None:
    setup = first_run_kit.shell.setup
    setup.hub.setText("https://hub.example.com")
    setup.code.setText("7KQ4-M2XD")
    setup.submit()
    qtbot.waitUntil(lambda: setup.task is not None and setup.task.done(), timeout=5000)
    assert "could not reach the hub" in setup.message.text()
    assert first_run_kit.shell.page == "setup"
