"""Workspace screens are built on first use or after the sign-in screen shows, never before it.

The cold start to the sign-in screen (issue 5) depends on this: building the shell must not build
Pick, Pack or the others, and whatever is opened before they are prepared must still work.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from importlib import import_module

import httpx
import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.store_app import assemble
from core.storage.database import Database
from tests.ui.conftest import Watchdog
from tests.ui.kit import Kit, close_kit, sign_in
from ui.screens.pick import PickScreen
from ui.screens.pickup import PickupScreen
from ui.theme import load_qss


@pytest.fixture
def unprepared(qtbot: QtBot, qapp: QApplication, store_db: Database) -> Iterator[Kit]:
    """The app on its sign-in screen with the warm-up (and so the screens' preparation) switched off."""
    import_module("app.store_pick")  # imported here, before the watchdog: the test body builds only
    store = assemble(qapp, store_db, demo=True, http=httpx.AsyncClient())
    qtbot.addWidget(store.shell)
    store.shell.first_page_shown.disconnect(store.warm_up.start)
    kit = Kit(store, store_db)
    store.shell.show()
    store.shell.start()
    qtbot.waitUntil(lambda: len(store.shell.sign_in.cards) == 3)
    yield kit
    close_kit(kit)


def test_the_screens_are_built_only_after_the_sign_in_tiles_show(kit: Kit) -> None:
    """`kit` waits for the tiles, then for the preparation that follows them."""
    assert kit.shell.page == "sign_in"
    assert {"pick", "pack", "returns", "settings"} <= set(kit.shell.main.screens)


def test_building_the_window_builds_no_screen(unprepared: Kit) -> None:
    assert unprepared.shell.main.screens == {}
    assert not unprepared.shell.main.prepared


def test_signing_in_before_the_screens_are_prepared_opens_pick(qtbot: QtBot, unprepared: Kit) -> None:
    main = unprepared.shell.main
    sign_in(qtbot, unprepared, "1001", "1234")
    assert unprepared.shell.page == "main"
    assert main.current == "pick"
    pick = main.screens["pick"]
    assert isinstance(pick, PickScreen)
    assert main.stack.currentWidget() is pick
    assert pick.person is not None  # told who signed in, though built afterwards
    assert set(main.screens) == {"pick"}


def test_the_status_bar_waits_for_the_sync_client_rather_than_making_it(
    qtbot: QtBot, unprepared: Kit
) -> None:
    """Making it would import the network stack on the UI thread: the warm-up's job."""
    sign_in(qtbot, unprepared, "1001", "1234")
    status = unprepared.shell.main.status
    qtbot.waitUntil(lambda: status._task is not None and status._task.done())
    assert status.sync.text() == "Sync: checking…"
    assert not unprepared.store.sync.made
    unprepared.store.warm_up.start()
    qtbot.waitUntil(lambda: unprepared.store.sync.made, timeout=10000)
    status.poll()
    qtbot.waitUntil(lambda: status.sync.text() != "Sync: checking…")


def test_a_screen_built_after_a_theme_switch_takes_the_new_theme(qtbot: QtBot, unprepared: Kit) -> None:
    unprepared.shell.themes.apply("dark")
    qtbot.waitUntil(lambda: not unprepared.shell.themes.switching)
    assert unprepared.shell.main.screen("inventory").styleSheet() == load_qss("dark")


def test_after_sign_in_pick_shows_its_queue_and_builds_its_walk_page_on_a_later_turn(
    qtbot: QtBot, unprepared: Kit
) -> None:
    sign_in(qtbot, unprepared, "1001", "1234")
    pick = unprepared.shell.main.screens["pick"]
    assert isinstance(pick, PickScreen)
    assert pick.pages.currentWidget() is pick.queue
    qtbot.waitUntil(lambda: PickScreen.walk.built(pick))  # though nothing has prepared the screens
    assert pick.pages.indexOf(pick.walk) >= 0
    assert not pick.walking


def test_pickup_opens_on_its_search_and_builds_its_other_pages_on_later_turns(
    qtbot: QtBot, unprepared: Kit
) -> None:
    pickup = unprepared.shell.main.screen("pickup")
    assert isinstance(pickup, PickupScreen)
    assert not PickupScreen.verify.built(pickup)
    assert not PickupScreen.settings.built(pickup)
    assert pickup.step == "search"  # known without building the other pages
    qtbot.waitUntil(lambda: PickupScreen.settings.built(pickup))
    assert {pickup.pages.indexOf(page) for page in (pickup.detail, pickup.restock, pickup.settings)} == {
        1,
        2,
        3,
    }
    assert pickup.step == "search"


def test_once_the_screens_are_prepared_what_start_up_made_is_set_aside_from_the_garbage_collector(
    qtbot: QtBot, unprepared: Kit, ui_watchdog: Watchdog
) -> None:
    main = unprepared.shell.main
    assert "pick" not in main.screens  # made after the test hook froze what came before the body
    with ui_watchdog.paused(), qtbot.waitSignal(main.screens_prepared, timeout=30_000):
        main.prepare()  # a screen or part a turn; their modules are imported here, not ahead
    assert main.prepared
    pick = main.screens["pick"]
    with ui_watchdog.paused():  # the test's own walk over every object
        assert gc.is_tracked(pick) and all(o is not pick for o in gc.get_objects())  # frozen: never walked
