"""The Inventory screen on real services: a scan anywhere opens the product, typed words list
matches to tap, the counts read like the shelf, and other locations come from a real hub (in
process), nearest with stock first, or a sentence when the hub cannot be reached."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.store_inventory import OFFLINE, hub_nearby, inventory_services
from core.domain.inventory import MovementSpec, Reason
from core.services.inventory import record_movements, reserve
from core.services.outbox import SyncKey, set_setting
from core.storage.database import Database
from tests.factories import make_ean13
from tests.sync.hub_harness import Hub, Store
from tests.ui.hub_store import enrolled_s01, on_screen
from tests.ui.kit import Kit, build_kit, close_kit, sign_in
from tests.ui.pack_kit import seed_store
from tests.ui.pick_kit import run_async
from tests.ui.returns_kit import AMY, settle_garbage
from ui.ops import OpRunner
from ui.screens.inventory import InventoryScreen

SHIRT = make_ean13("400000000001")


@pytest.fixture
def kit(qtbot: QtBot, qapp: QApplication, store_db: Database) -> Iterator[Kit]:
    """The demo app (no hub) signed in as Amy, on the Inventory screen; 10 shirts, 3 of them held."""
    seed_store(store_db)
    with store_db.transaction() as session:
        set_setting(session, SyncKey.LOCATION, "S01")
        reserve(session, "S01", "SKU-1", 3)
        record_movements(session, [MovementSpec("S01", "SKU-1", -1, Reason.SALE, reference="POS-12")])
    built = build_kit(qtbot, qapp, store_db, demo=True)
    qtbot.waitUntil(lambda: built.shell.page == "sign_in" and len(built.shell.sign_in.cards) == 3)
    qtbot.waitUntil(lambda: built.shell.main.prepared)
    sign_in(qtbot, built, "1001", "1234")
    built.shell.main.rail.buttons["inventory"].click()
    yield built
    close_kit(built)


def inventory(kit: Kit) -> InventoryScreen:
    screen = kit.shell.main.screen("inventory")
    assert isinstance(screen, InventoryScreen)
    return screen


def test_a_scan_anywhere_opens_the_product_with_its_counts(qtbot: QtBot, kit: Kit) -> None:
    screen = inventory(kit)
    kit.shell.on_scan(SHIRT, "enter")
    qtbot.waitUntil(lambda: screen.stock is not None)
    panel = screen.panel
    assert panel.title.text() == "Navy Oxford Shirt"
    assert panel.promise.text() == "6 units to promise"
    assert panel.sum.text() == "9 on the shelves − 3 held for orders − 0 safety stock = 6"
    assert panel.counts["sellable"][1].text() == "9" and panel.counts["reserved"][1].text() == "3"
    assert "sale · -1 sellable · POS-12" in panel.moves.text()
    assert panel.nearby.text() == "This tablet has no hub to ask about other locations."
    assert screen.banner.outcome == "ok" and "6 to promise here" in screen.banner.text.text()


def test_counting_the_shelves_records_the_difference(qtbot: QtBot, kit: Kit) -> None:
    screen = inventory(kit)
    kit.shell.on_scan(SHIRT, "enter")
    qtbot.waitUntil(lambda: screen.stock is not None)
    card = screen.panel.count_card
    # The panel scrolls (kinetic): with a mouse the scroller holds a press to tell a flick from a
    # tap, so the buttons are pressed as a tap ends, with click().
    assert card.expected.text() == "The shelves should hold 9 (9 on the books)."
    assert card.stepper.value == 9 and "saving records nothing" in card.preview.text()
    card.stepper.minus.click()
    card.stepper.minus.click()
    assert card.preview.text() == "2 fewer than expected: saving records -2 on the books."
    card.save_button.click()
    qtbot.waitUntil(lambda: screen.stock is not None and screen.stock.levels.sellable == 7)
    assert screen.banner.text.text().startswith("Counted 7: recorded -2 for SKU-1 at S01")
    assert "count · -2 sellable · shelf count by 1001" in screen.panel.moves.text()
    assert card.stepper.value == 7 and card.save_button.isEnabled()


def test_an_unknown_code_says_so_and_shows_nothing(qtbot: QtBot, kit: Kit) -> None:
    screen = inventory(kit)
    kit.shell.on_scan("0000000000000", "enter")
    qtbot.waitUntil(lambda: screen.banner.outcome == "error")
    assert "no product with that code or name" in screen.banner.text.text()
    assert screen.stock is None and screen.tiles == {}


def test_typed_words_list_the_matches_to_tap(qtbot: QtBot, kit: Kit) -> None:
    screen = inventory(kit)
    qtbot.keyClicks(screen.field, "leather")
    qtbot.waitUntil(lambda: set(screen.tiles) == {"SKU-2"})
    assert screen.results.summary.text() == "1 product match “leather”"
    qtbot.mouseClick(screen.tiles["SKU-2"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.stock is not None and screen.stock.product.sku == "SKU-2")
    assert screen.panel.promise.text() == "10 units to promise"
    screen.field.clear()
    qtbot.keyClicks(screen.field, "zebra")
    qtbot.waitUntil(lambda: screen.results.summary.text() == "No product matches “zebra”.")


@pytest.fixture
def counter(qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[InventoryScreen, Hub, Store]]:
    """S01's tablet enrolled at a real hub (in process), the screen bound to its sync client."""
    with enrolled_s01(qtbot, tmp_path) as (hub, store):
        ops = OpRunner(store.db.transaction)
        screen = InventoryScreen(
            ops, inventory_services("tablet-S01", hub_nearby(lambda: store.client)), None
        )
        on_screen(qtbot, screen, AMY)
        settle_garbage()
        yield screen, hub, store
        ops.shutdown()


def test_other_locations_come_from_the_hub_nearest_with_stock_first(
    qtbot: QtBot, counter: tuple[InventoryScreen, Hub, Store]
) -> None:
    screen, hub, _store = counter
    with hub.db.transaction() as session:  # S02 sold out since the store last synced
        record_movements(session, [MovementSpec("S02", "SKU-1", -10, Reason.SALE)])
    screen.handle_scan("SKU-1", "enter")
    qtbot.waitUntil(lambda: screen.panel.nearby.text().startswith("DC Central"))
    [dc] = screen.panel.nearby.text().splitlines()  # S02 has none: only places that can help
    assert dc.startswith("DC Central (DC1) · ") and dc.endswith("km away · 10 to promise")
    assert 240 < int(dc.split(" · ")[1].split()[0]) < 300  # Chicago to Indianapolis: the catalog's places
    with hub.db.transaction() as session:  # now nobody else has any
        record_movements(session, [MovementSpec("DC1", "SKU-1", -10, Reason.SALE)])
    screen.handle_scan("SKU-1", "enter")
    qtbot.waitUntil(lambda: screen.panel.nearby.text().startswith("None to promise anywhere else."))
    near, far = screen.panel.nearby.text().splitlines()[1:]
    assert near.startswith("Store S02 (S02) · ") and far.startswith("DC Central (DC1) · ")


def test_a_count_reaches_the_hub_at_the_next_sync(
    qtbot: QtBot, counter: tuple[InventoryScreen, Hub, Store]
) -> None:
    screen, hub, store = counter
    screen.handle_scan("SKU-3", "enter")
    qtbot.waitUntil(lambda: screen.stock is not None)
    screen.panel.count_card.stepper.plus.click()  # in the kinetic panel: see the test above
    screen.panel.count_card.save_button.click()
    qtbot.waitUntil(lambda: screen.stock is not None and screen.stock.levels.sellable == 11)
    run_async(qtbot, store.client.sync_once())
    assert hub.balances("S01")["SKU-3"] == 11


def test_offline_the_store_stock_stands_and_the_list_says_why(
    qtbot: QtBot, counter: tuple[InventoryScreen, Hub, Store]
) -> None:
    screen, _hub, store = counter
    store.go_offline()
    screen.handle_scan("SKU-2", "enter")
    qtbot.waitUntil(lambda: screen.panel.nearby.text() == OFFLINE)
    assert screen.panel.promise.text() == "10 units to promise"
