"""The Inventory screen's calls, bound for the UI (see `ui.inventory_ports.InventoryServices`).

Looking stock up writes nothing, so no call names a person. The nearby list asks the hub through
the sync client; offline, or before enrolment, it says so in words and the screen keeps showing
this store's own stock, which comes from the local database either way.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from app.hub_asking import asking_hub
from core.domain.stock_lookup import NearbyStock
from core.services import stock_lookup
from ui.inventory_ports import InventoryServices

if TYPE_CHECKING:
    from sync.client import SyncClient

OFFLINE = "The hub cannot be reached, so other locations are not shown; this store's stock is current."


def hub_nearby(client: Callable[[], SyncClient]) -> Callable[[str], Awaitable[list[NearbyStock]]]:
    async def nearby(sku: str) -> list[NearbyStock]:
        from sync.client.stock_fetch import nearby_stock

        return await asking_hub(nearby_stock(client(), sku), offline=OFFLINE, field="sku")

    return nearby


def inventory_services(
    nearby: Callable[[str], Awaitable[list[NearbyStock]]] | None = None,
) -> InventoryServices:
    return InventoryServices(
        find=lambda text: lambda s: stock_lookup.find_products(s, text),
        stock=lambda sku: lambda s: stock_lookup.store_stock(s, sku),
        nearby=nearby,
    )
