"""The Routing screen on a real hub (in process): a manager pauses the store with a reason and
resumes it, sets the daily capacity, and the hub's own location row and audit say so; an
associate is refused by the services; with the network down nothing changes and the screen says
why."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.store_routing import OFFLINE, routing_services
from core.domain.associates import Role, SignedIn
from core.storage.models import Location, StateEvent
from tests.sync.hub_harness import Hub, Store
from tests.ui.hub_store import enrolled_s01, on_screen
from tests.ui.returns_kit import settle_garbage
from ui.screens.routing import RoutingScreen

MORGAN = SignedIn("9001", "Morgan Lee", Role.MANAGER, "tablet-S01")
AMY = SignedIn("1001", "Amy Rivera", Role.ASSOCIATE, "tablet-S01")


@pytest.fixture
def counter(qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[RoutingScreen, Hub, Store]]:
    """S01's tablet enrolled at a real hub, the Routing screen bound to its sync client, Morgan on it."""
    with enrolled_s01(qtbot, tmp_path) as (hub, store):
        screen = RoutingScreen(routing_services(lambda: store.client, "tablet-S01"), None)
        on_screen(qtbot, screen, MORGAN)
        qtbot.waitUntil(lambda: screen.status is not None and not screen.busy)
        settle_garbage()
        yield screen, hub, store


def hub_s01(hub: Hub) -> tuple[bool, int]:
    with hub.db.transaction() as session:
        row = session.get(Location, "S01")
        return row.enabled, row.daily_capacity


def test_a_manager_pauses_with_a_reason_and_resumes(
    qtbot: QtBot, counter: tuple[RoutingScreen, Hub, Store]
) -> None:
    screen, hub, _store = counter
    assert screen.state.text() == "▶ Store S01 (S01) is taking new orders"
    assert screen.detail.text().startswith("Today: 0 of 40 orders (40 left)")
    assert not screen.switch_button.isEnabled()  # no reason chosen yet
    qtbot.mouseClick(screen.reason_buttons["Other"], Qt.MouseButton.LeftButton)
    assert not screen.switch_button.isEnabled()  # "Other" needs words
    qtbot.mouseClick(screen.reason_buttons["Stock count"], Qt.MouseButton.LeftButton)
    qtbot.keyClicks(screen.note, "aisle 4 to 9")
    qtbot.mouseClick(screen.switch_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.status is not None and not screen.status.enabled and not screen.busy)
    assert hub_s01(hub) == (False, 40)
    assert screen.state.text() == "‖ Store S01 (S01) is paused: the hub sends no new orders here"
    assert "Paused by Morgan Lee (9001) at " in screen.detail.text()
    assert screen.detail.text().endswith(": Stock count: aisle 4 to 9")
    assert screen.switch_button.text() == "Resume taking orders" and not screen.pause_box.isVisible()
    assert "until you resume" in screen.banner.text.text()

    qtbot.mouseClick(screen.switch_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.status is not None and screen.status.enabled and not screen.busy)
    assert hub_s01(hub) == (True, 40)
    with hub.db.transaction() as session:
        rows = session.scalars(
            select(StateEvent).where(StateEvent.entity == "location").order_by(StateEvent.id)
        )
        assert [(r.to_state, r.actor, r.device) for r in rows] == [
            ("paused", "Morgan Lee (9001)", "tablet-S01"),
            ("taking", "Morgan Lee (9001)", "tablet-S01"),
        ]


def test_the_daily_capacity_is_stepped_and_saved(
    qtbot: QtBot, counter: tuple[RoutingScreen, Hub, Store]
) -> None:
    screen, hub, _store = counter
    assert not screen.save_button.isEnabled()  # nothing changed yet
    qtbot.mouseClick(screen.capacity.minus, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.capacity.minus, Qt.MouseButton.LeftButton)
    assert screen.capacity.value == 30 and screen.save_button.isEnabled()
    qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: screen.status is not None and screen.status.daily_capacity == 30 and not screen.busy
    )
    assert hub_s01(hub) == (True, 30)
    assert screen.banner.text.text() == "Daily capacity is now 30 orders."
    assert not screen.save_button.isEnabled()


def test_an_associate_is_refused_by_the_services(
    qtbot: QtBot, counter: tuple[RoutingScreen, Hub, Store]
) -> None:
    screen, hub, _store = counter
    screen.set_person(AMY)  # a stale screen: the rail hides Routing from associates
    qtbot.mouseClick(screen.capacity.plus, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.banner.outcome == "error")
    assert "manager" in screen.banner.text.text()
    assert hub_s01(hub) == (True, 40)


def test_offline_nothing_changes_and_the_screen_says_why(
    qtbot: QtBot, counter: tuple[RoutingScreen, Hub, Store]
) -> None:
    screen, hub, store = counter
    store.go_offline()
    qtbot.mouseClick(screen.reason_buttons["Short-staffed"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.switch_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.banner.outcome == "error")
    assert screen.banner.text.text() == OFFLINE
    assert hub_s01(hub) == (True, 40) and screen.status is not None and screen.status.enabled
    assert screen.switch_button.isEnabled()  # try again when the network is back
