"""This store's routing switches at the hub: taking new orders or paused, and its daily capacity.

One request each, outside the sync round (like `order_fetch`): the switches live at the hub,
where the planner reads them, so changing them needs the network; the Routing screen says so
when it is down. The store speaks for itself only: the hub refuses its token for any other.
"""

from __future__ import annotations

from core.domain.location_routing import LocationRouting
from sync.client.order_fetch import hub_credentials
from sync.client.relay import SyncClient
from sync.protocol.location_routing import LocationRoutingView, SteerRequest


def _status(view: LocationRoutingView) -> LocationRouting:
    return LocationRouting(**view.model_dump())


async def store_routing(client: SyncClient) -> LocationRouting:
    creds = await hub_credentials(client)
    return _status(await client.api.location_routing(creds.hub_url, creds.token, creds.location))


async def steer_store(
    client: SyncClient,
    *,
    by: str,
    enabled: bool | None = None,
    daily_capacity: int | None = None,
    reason: str = "",
) -> LocationRouting:
    """Pause or resume this store and/or set its capacity; `by` is the manager signed in."""
    creds = await hub_credentials(client)
    request = SteerRequest(enabled=enabled, daily_capacity=daily_capacity, reason=reason, by=by)
    return _status(await client.api.steer_location(creds.hub_url, creds.token, creds.location, request))
