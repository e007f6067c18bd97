"""The Returns screen takes back a web order it did not sell: the scanned receipt is not in the
store's database, so the screen asks the real hub (in process) and opens its copy; the unit is back
in the store's sellable stock at once, and after one sync the hub holds it and the refund. Offline,
the associate is told what to do instead."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.store_returns import OFFLINE, hub_lookup, hub_search
from core.domain.returns import Condition, ReturnReason, ReturnRequest
from core.services.associates import add_demo_associates
from core.services.returns import record_return
from core.storage.models import Return
from sync.client.order_fetch import fetch_order_for_return
from tests.factories import NOW, order_json
from tests.sync.client_support import assert_consistent, balances
from tests.sync.hub_harness import Hub, Store
from tests.sync.refund_kit import dc_only_hub, ship_at_hub
from tests.ui.pick_kit import run_async
from tests.ui.returns_kit import ReturnsKit, confirm, open_order, open_returns, scan, take_back


@dataclass
class Counter:
    kit: ReturnsKit
    hub: Hub
    store: Store


@pytest.fixture
def counter(qtbot: QtBot, tmp_path: Path) -> Iterator[Counter]:
    """S01 enrolled; web order W1 shipped from DC1 yesterday, never seen by S01."""
    hub = dc_only_hub(tmp_path / "hub.db")
    fulfilments = hub.route(order_json("W1"))
    ship_at_hub(hub.db, hub.app.state.hub.router, fulfilments, now=NOW)
    store = Store(tmp_path / "s01.db", hub.asgi)
    with store.db.transaction() as session:
        add_demo_associates(session)
    run_async(qtbot, store.enroll(hub, "S01"))
    kits = open_returns(
        qtbot,
        store.db,
        tmp_path / "docs",
        fetch_order=hub_lookup(lambda: store.client),
        search_hub=hub_search(lambda: store.client),
    )
    yield Counter(next(kits), hub, store)
    next(kits, None)  # the screen and its threads closed
    run_async(qtbot, store.close())
    hub.close()


def test_a_web_order_shipped_from_the_dc_is_fetched_and_returned(qtbot: QtBot, counter: Counter) -> None:
    kit, screen = counter.kit, counter.kit.screen
    open_order(qtbot, kit, "W1")  # not in this store's records: the hub's copy opens
    assert "from the hub" in screen.banner.text.text()
    assert screen.sheet.title.text() == "Order W1 · Ava Kim"
    take_back(qtbot, screen.sheet.rows[0], 1, ReturnReason.WRONG_SIZE, Condition.NEW)
    confirm(qtbot, kit)
    assert balances(kit.db, "S01") == {"SKU-1": 1}  # sellable here at once
    run_async(qtbot, counter.store.client.sync_once())
    assert counter.hub.balances("S01") == {"SKU-1": 1}
    with counter.hub.db.transaction() as session:
        [kept] = session.scalars(select(Return)).all()
        assert (kept.id, kept.location_code) == (screen.receipt.return_id, "S01")
    assert_consistent(kit.db)
    assert_consistent(counter.hub.db)


def test_an_order_sold_elsewhere_is_found_by_the_customers_name(qtbot: QtBot, counter: Counter) -> None:
    kit, screen = counter.kit, counter.kit.screen
    scan(kit, "Ava Kim")  # typed and entered: not a code, and no order of hers here
    qtbot.waitUntil(lambda: "W1" in screen.find.tiles)
    assert "found at the hub" in screen.banner.text.text()
    qtbot.mouseClick(screen.find.tiles["W1"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: screen.page is screen.sheet and bool(screen.sheet.rows) and not screen.sheet.building
    )
    assert screen.sheet.title.text() == "Order W1 · Ava Kim" and screen.sheet.rows[0].most == 2


def test_an_unknown_code_is_not_searched_as_a_customer(qtbot: QtBot, counter: Counter) -> None:
    scan(counter.kit, "4006381333931")  # a product's barcode, scanned at the wrong moment
    qtbot.waitUntil(lambda: "here or at the hub" in counter.kit.screen.banner.text.text())
    assert counter.kit.screen.find.hits == []


def test_offline_the_associate_is_told_what_to_do(qtbot: QtBot, counter: Counter) -> None:
    def unreachable(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no route to the hub", request=request)

    api = counter.store.client.api
    online, api.http = api.http, httpx.AsyncClient(transport=httpx.MockTransport(unreachable))
    try:
        scan(counter.kit, "W1")
        qtbot.waitUntil(lambda: counter.kit.screen.banner.text.text() == OFFLINE)
        assert counter.kit.screen.page is counter.kit.screen.find
    finally:
        run_async(qtbot, api.http.aclose())
        api.http = online


@pytest.fixture
def stale_copy(qtbot: QtBot, counter: Counter, tmp_path: Path) -> Counter:
    """S01 copied W1 from the hub; afterwards a unit of it came back at S02, which synced."""
    run_async(qtbot, fetch_order_for_return(counter.store.client, "W1"))
    s02 = Store(tmp_path / "s02.db", counter.hub.asgi)
    try:
        run_async(qtbot, s02.enroll(counter.hub, "S02"))
        run_async(qtbot, fetch_order_for_return(s02.client, "W1"))
        with s02.db.transaction() as session:
            record_return(session, "W1", [ReturnRequest(1, 1, "wrong_size", "new")], now=counter.kit.clock())
        run_async(qtbot, s02.client.sync_once())
    finally:
        run_async(qtbot, s02.close())
    return counter


def test_an_order_copied_before_is_brought_up_to_date_when_scanned_again(
    qtbot: QtBot, stale_copy: Counter
) -> None:
    kit, screen = stale_copy.kit, stale_copy.kit.screen
    open_order(qtbot, kit, "W1")  # S01's copy opens at once, then the hub's news arrives
    qtbot.waitUntil(lambda: "Updated from the hub" in screen.banner.text.text())
    qtbot.waitUntil(lambda: not screen.sheet.building and kit.ops.pending == 0)
    assert screen.sheet.rows[0].most == 1  # S02's unit counts here too
