"""Fetching an order this store did not sell from the hub, for a return at the counter, by its code
or by the customer's name, e-mail or phone.

A customer may bring back a web order shipped from a DC or collected at another store; the store's
database does not hold it, so the Returns screen asks the hub (`GET /v1/orders/{id}/for-return`)
and the answer is stored as a sold order (`core.services.imported_orders`) on the client's
database thread. A lookup is one request, not part of the sync round, so it neither waits for a
sync nor changes the online state the status bar shows.
"""

from __future__ import annotations

from core.domain.return_desk import OrderHit
from core.services.imported_orders import import_order_for_return
from sync.client import store_io
from sync.client.hub_api import HubRefusedError
from sync.client.relay import NotEnrolledError, SyncClient


async def hub_credentials(client: SyncClient) -> store_io.Credentials:
    """For a one-off lookup at the hub; refuses before enrolment."""
    creds = await client.db.run(store_io.credentials)
    if creds is None:
        raise NotEnrolledError("this store is not enrolled with a hub yet")
    return creds


async def fetch_order_for_return(client: SyncClient, code: str) -> OrderHit | None:
    """The order (by order or fulfilment id) copied into the store database; None when the hub has
    no such order (or the code cannot be one, e.g. words typed with spaces). Raises
    `HubUnavailableError` offline, `NotEnrolledError` before enrolment."""
    creds = await hub_credentials(client)
    try:
        answer = await client.api.order_for_return(creds.hub_url, creds.token, code.strip())
    except HubRefusedError as exc:
        if exc.status in (404, 422):
            return None
        raise
    return await client.db.run(import_order_for_return, answer.model_dump(mode="json"))


async def search_orders_at_hub(client: SyncClient, words: str, *, limit: int = 20) -> list[OrderHit]:
    """Orders of any channel whose customer's name, e-mail or phone matches, newest first; nothing
    is copied until one is chosen (`fetch_order_for_return`). Fewer than 3 characters find nothing."""
    if len(words.strip()) < 3:
        return []
    creds = await hub_credentials(client)
    answer = await client.api.search_orders(creds.hub_url, creds.token, words.strip(), limit)
    return [OrderHit(o.id, o.channel, o.customer_name, o.placed_at, o.total) for o in answer.orders]
