"""Asking the hub who else holds a SKU, for the Inventory screen's "nearby" list.

One request, not part of the sync round (like `order_fetch`): the hub's network view, measured
from this store and ranked on the client's database thread (`core.services.stock_lookup`).
Offline it raises `HubUnavailableError` and the screen shows the store's own stock alone.
"""

from __future__ import annotations

from core.domain.stock_lookup import NearbyStock
from core.services.stock_lookup import rank_nearby
from sync.client.hub_api import HubRefusedError
from sync.client.order_fetch import hub_credentials
from sync.client.relay import SyncClient


async def nearby_stock(client: SyncClient, sku: str) -> list[NearbyStock]:
    """Other locations' stock of `sku`, nearest with stock first; [] when the hub does not know it."""
    creds = await hub_credentials(client)
    try:
        answer = await client.api.network_stock(creds.hub_url, creds.token, sku)
    except HubRefusedError as exc:
        if exc.status == 404:
            return []
        raise
    lines = [NearbyStock(at.location, at.name, at.type, at.atp, at.sellable, None) for at in answer.locations]
    return await client.db.run(rank_nearby, lines)
