"""The Routing screen's calls, bound for the UI (see `ui.routing_ports.RoutingServices`).

The manager role is checked by the services on the sync client's database thread before the hub
is asked; the hub then records the change under the manager's name and this tablet's token.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from app.hub_asking import asking_hub
from core.domain.associates import Role, SignedIn
from core.domain.location_routing import LocationRouting
from core.services import associates
from ui.routing_ports import RoutingServices

if TYPE_CHECKING:
    from sync.client import SyncClient

OFFLINE = (
    "The hub cannot be reached. This store's routing switches live at the hub, where orders are "
    "routed: try again when the network is back."
)


def routing_services(client: Callable[[], SyncClient], device: str) -> RoutingServices:
    async def status() -> LocationRouting:
        from sync.client.store_routing import store_routing

        return await asking_hub(store_routing(client()), offline=OFFLINE, field="location")

    async def steer(
        person: SignedIn, enabled: bool | None, capacity: int | None, reason: str
    ) -> LocationRouting:
        from sync.client.store_routing import steer_store

        who = associates.actor_of(SignedIn(person.associate_id, person.name, person.role, device))
        await client().db.run(associates.require_role, who, Role.MANAGER)
        change = steer_store(
            client(),
            by=f"{person.name} ({person.associate_id})",
            enabled=enabled,
            daily_capacity=capacity,
            reason=reason,
        )
        return await asking_hub(change, offline=OFFLINE, field="location")

    return RoutingServices(status=status, steer=steer)
