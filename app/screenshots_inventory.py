"""The Inventory pictures for `oms screenshots`: a product looked up at S01 of the demo retailer.

The screenshot store runs without a hub (demo mode), but its database holds the whole demo
network, so the "other locations" list is answered from it by the functions behind the hub's
view and the store's ranking (`network_stock`, `rank_nearby`): the same numbers a hub would send.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.screenshot_store import Shot, demo_catalog_store, render_on_own_store
from core.domain.inventory import MovementSpec, Reason
from core.domain.stock_lookup import NearbyStock
from core.services.inventory import network_stock, record_movements, reserve
from core.services.pick_walk import count_bin
from core.services.stock_lookup import rank_nearby
from core.storage.database import Database
from core.storage.models import StockPosition


def seed_inventory(database: Database) -> tuple[str, str]:
    """A home product S01 and other stores hold, sold and counted today; returns (SKU, a name word)."""
    by_category = demo_catalog_store(database)
    with database.transaction() as session:
        held = set(
            session.scalars(
                select(StockPosition.sku).where(
                    StockPosition.location_code == "S01", StockPosition.sellable >= 6
                )
            )
        )
        product = next(p for p in by_category["home"] if p.sku in held)
        record_movements(
            session,
            [MovementSpec("S01", product.sku, -1, Reason.SALE, reference="POS-1042", device="tablet-2")],
        )
        reserve(session, "S01", product.sku, 2, reference="W0000311-S01")
        count_bin(session, "S01", product.sku, "BACK-04", 3)
    return product.sku, product.name.split()[-1]


def network_in(database: Database) -> Callable[[str], Awaitable[list[NearbyStock]]]:
    """Other locations from this database's copy of the whole network, off the UI thread."""

    def read(sku: str) -> list[NearbyStock]:
        with database.transaction() as session:
            lines = [
                NearbyStock(line.location, line.name, line.type, line.atp, line.sellable, None)
                for line in network_stock(session, sku)
            ]
            return rank_nearby(session, lines)

    async def nearby(sku: str) -> list[NearbyStock]:
        with ThreadPoolExecutor(1) as pool:  # qasync's default executor would leave a QThread behind
            return await asyncio.get_running_loop().run_in_executor(pool, read, sku)

    return nearby


def inventory_screenshots(shell: Any, database: Database, seeded: tuple[str, str], shot: Shot) -> list[Path]:
    from app.screenshots import settle

    sku, word = seeded
    screen = shell.main.screen("inventory")
    screen.services = replace(screen.services, nearby=network_in(database))
    shell.main.open_screen("inventory")
    screen.field.setText(word)
    screen.search(word)
    settle(lambda: len(screen.tiles) > 1 and sku in screen.tiles)
    screen.tiles[sku].click()
    settle(lambda: screen.stock is not None and "km away" in screen.panel.nearby.text())
    shot("inventory")
    card = screen.panel.count_card
    screen.scroll.ensureWidgetVisible(card)
    card.stepper.minus.click()  # one fewer on the shelves than the books say
    shot("inventory_count")
    return []


def render_inventory_screenshots(out: Path) -> list[Path]:
    def drive(shell: Any, database: Database, seeded: tuple[str, str], _out: Path, shot: Shot) -> list[Path]:
        return inventory_screenshots(shell, database, seeded, shot)

    return render_on_own_store(out, "inventory", seed_inventory, drive)
