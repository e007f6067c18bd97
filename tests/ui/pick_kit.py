"""A store database with work to pick, made the way a real store gets it: through the hub's feed.

`seed_pick_store` applies catalog, stock (with home bins) and `fulfilment_assigned` changes with
`core.services.store_pull.apply_changes`, then lays out the bins and counts an overflow bin, so the
queue, the walk and short picks all run on rows the sync path would have written.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from core.domain.barcodes import make_ean13
from core.domain.network import BinSpec
from core.services.catalog import upsert_bins
from core.services.outbox import SyncKey, set_setting
from core.services.pick_walk import count_bin
from core.services.store_pull import PulledChange, apply_changes
from core.storage.database import Database
from tests.ui.kit import Kit, sign_in
from ui.screens.pick import PickScreen

STORE = "S01"
NOW = datetime.now(UTC).replace(microsecond=0)
SKUS = {
    # sku: (name, barcode or None, home bin)
    "SKU-1": ("Blue ceramic mug", make_ean13("400000000001"), "A-01-2"),
    "SKU-2": ("Linen tea towel", make_ean13("400000000002"), "C-04-1"),
    "SKU-3": ("Brass desk lamp", make_ean13("400000000003"), "B-02-5"),
    "SKU-4": ("Gift wrap (loose)", None, "A-03-1"),
}
WHY = (
    "Routed to Store S01 (S01): the closest store with both items, 3 km away; DC Central (DC1) "
    "would have cost $4.10 more in shipping. Store S02 (S02) was skipped: it has only 1 of the 2 items in stock."
)
ORDERS = {
    # fulfilment id: (customer, method, promise in hours, lines)
    "W1-S01": ("Ava Kim", "ship", 2, [("SKU-1", 2), ("SKU-2", 1)]),
    "W2-S01": ("Ben Novak", "pickup", 5, [("SKU-1", 1), ("SKU-3", 1)]),
    "W3-S01": ("Chloe Haddad", "ship", 26, [("SKU-4", 1)]),
}


def barcode(sku: str) -> str:
    code = SKUS[sku][1]
    assert code is not None
    return code


def _catalog() -> PulledChange:
    products = [
        {"sku": sku, "name": name, "price": "9.99", "barcodes": [code] if code else [], "category": "home"}
        for sku, (name, code, _bin) in SKUS.items()
    ]
    locations = [
        {
            "code": code,
            "name": f"Store {code}",
            "type": "store",
            "timezone": "America/Chicago",
            "pickup": True,
            "returns": True,
            "ships": True,
        }
        for code in ("S01", "S02")
    ]
    return PulledChange(1, "catalog", {"complete": True, "products": products, "locations": locations})


def _stock(units: int) -> PulledChange:
    balances = [
        {
            "sku": sku,
            "sellable": units,
            "damaged": 0,
            "quarantine": 0,
            "in_transit": 0,
            "reserved": 0,
            "safety_stock": 0,
            "bin": bin_code,
        }
        for sku, (_name, _code, bin_code) in SKUS.items()
    ]
    return PulledChange(2, "stock", {"location": STORE, "complete": True, "balances": balances})


def assigned(
    fid: str, customer: str, method: str, hours: float, lines: list[tuple[str, int]], seq: int, why: str = WHY
) -> PulledChange:
    return PulledChange(
        seq,
        "fulfilment_assigned",
        {
            "fulfilment_id": fid,
            "order_id": fid.split("-")[0],
            "location": STORE,
            "state": "assigned",
            "customer_name": customer,
            "delivery_method": method,
            "promise_by": (NOW + timedelta(hours=hours)).isoformat(),
            "lines": [{"sku": sku, "qty": qty, "name": SKUS[sku][0]} for sku, qty in lines],
            "carrier": "UPS" if method == "ship" else "",
            "service": "Ground" if method == "ship" else "",
            "explanation": why,
            "created_at": NOW.isoformat(),
        },
    )


def seed_pick_store(db: Database, *, units: int = 6, orders: dict | None = None) -> None:
    """Catalog, stock with bins and the orders of `ORDERS` (or `orders`) at store S01."""
    chosen = ORDERS if orders is None else orders
    changes = [_catalog(), _stock(units)]
    for seq, (fid, (customer, method, hours, lines)) in enumerate(chosen.items(), start=3):
        changes.append(assigned(fid, customer, method, hours, lines, seq))
    with db.transaction() as session:
        set_setting(session, SyncKey.LOCATION, STORE)
        apply_changes(session, changes, len(changes))
        upsert_bins(
            session,
            [
                BinSpec(STORE, f"{z}-{a:02d}-{p}", z, a, p)
                for z in "ABC"
                for a in range(1, 5)
                for p in range(1, 6)
            ]
            + [BinSpec(STORE, "BR-1", "Z", 99, 1)],
        )
        count_bin(session, STORE, "SKU-1", "BR-1", 4)
        count_bin(session, STORE, "SKU-1", "B-01-1", 0)  # counted empty: never suggested


# ---------------------------------------------------------------------- driving the app


def pick_screen(kit: Kit) -> PickScreen:
    screen = kit.shell.main.screen("pick")
    assert isinstance(screen, PickScreen)
    return screen


def open_queue(
    qtbot: QtBot, kit: Kit, rows: int, associate: tuple[str, str] = ("1001", "1234")
) -> PickScreen:
    """Sign in and wait until the queue shows `rows` cards."""
    sign_in(qtbot, kit, *associate)
    screen = pick_screen(kit)
    qtbot.waitUntil(lambda: screen.queue.model.rowCount() == rows and not screen.queue.model.loading)
    return screen


def tap_card(qtbot: QtBot, screen: PickScreen, fulfilment_id: str) -> None:
    """A finger on the card: a click in the middle of it on the list's viewport."""
    view = screen.queue.view
    index = screen.queue.model.index(screen.queue.model.ids().index(fulfilment_id))
    view.scrollTo(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())


def start(qtbot: QtBot, kit: Kit, screen: PickScreen, *fulfilment_ids: str) -> None:
    for fid in fulfilment_ids:
        tap_card(qtbot, screen, fid)
    qtbot.waitUntil(lambda: sorted(screen.queue.chosen_ids()) == sorted(fulfilment_ids))
    qtbot.mouseClick(screen.queue.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.walking and kit.store.ops.pending == 0)


def scan(qtbot: QtBot, code: str) -> None:
    """A wedge scanner: the code typed as fast as keys go, then Enter, into whatever has focus."""
    target = QApplication.focusWidget() or QApplication.activeWindow()
    assert target is not None
    qtbot.keyClicks(target, code)
    qtbot.keyClick(target, Qt.Key.Key_Return)


def run_async(qtbot: QtBot, coroutine: Any, timeout: int = 15000) -> Any:
    """Run a coroutine on the qasync loop while Qt keeps processing events (the UI never waits)."""
    future = asyncio.ensure_future(coroutine)
    qtbot.waitUntil(future.done, timeout=timeout)
    return future.result()
