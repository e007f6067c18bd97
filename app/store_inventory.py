"""The Inventory screen's calls, bound for the UI (see `ui.inventory_ports.InventoryServices`).

Looking stock up writes nothing; a shelf count names the associate and this tablet on its
movement. The nearby list asks the hub through
the sync client; offline, or before enrolment, it says so in words and the screen keeps showing
this store's own stock, which comes from the local database either way.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from app.hub_asking import asking_hub
from core.domain.associates import SignedIn
from core.domain.stock_lookup import NearbyStock, StoreStock
from core.services import stock_lookup
from core.services.associates import actor_of
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
    device: str, nearby: Callable[[str], Awaitable[list[NearbyStock]]] | None = None
) -> InventoryServices:
    def count(person: SignedIn, sku: str, counted: int, expected: int) -> Callable[[Session], StoreStock]:
        who = actor_of(SignedIn(person.associate_id, person.name, person.role, device))
        return lambda s: stock_lookup.count_shelves(s, sku, counted, expected=expected, actor=who)

    return InventoryServices(
        find=lambda text: lambda s: stock_lookup.find_products(s, text),
        stock=lambda sku: lambda s: stock_lookup.store_stock(s, sku),
        count=count,
        nearby=nearby,
    )
