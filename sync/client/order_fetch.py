"""Fetching an order this store did not sell from the hub, for a return at the counter.

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


async def fetch_order_for_return(client: SyncClient, code: str) -> OrderHit | None:
    """The order (by order or fulfilment id) copied into the store database; None when the hub has
    no such order. Raises `HubUnavailableError` offline, `NotEnrolledError` before enrolment."""
    creds = await client.db.run(store_io.credentials)
    if creds is None:
        raise NotEnrolledError("this store is not enrolled with a hub yet")
    try:
        answer = await client.api.order_for_return(creds.hub_url, creds.token, code.strip())
    except HubRefusedError as exc:
        if exc.status == 404:
            return None
        raise
    return await client.db.run(import_order_for_return, answer.model_dump(mode="json"))
