"""A location's routing switches: pause, resume, daily capacity (store tablets for their own store)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Path

from core.domain.actors import Actor
from core.services.hub.access import PermissionDeniedError, Principal, Role
from core.services.hub.location_routing import location_routing, steer_location
from sync.hub.context import Caller, HubDep, run_unit
from sync.protocol.location_routing import LocationRoutingView, SteerRequest

router = APIRouter(prefix="/v1/locations", tags=["locations"])
LocationCode = Annotated[str, Path(max_length=32)]


def _may_steer(caller: Principal, code: str) -> None:
    """Managers steer any location; a store's device only its own store."""
    caller.require(Role.STORE_DEVICE, Role.MANAGER)
    if caller.role is Role.STORE_DEVICE and caller.location != code:
        raise PermissionDeniedError(f"this token speaks for {caller.location}, not {code}", field="location")


@router.get(
    "/{code}/routing",
    response_model=LocationRoutingView,
    summary="Is the location taking new orders, and its capacity",
)
def get_routing(code: LocationCode, hub: HubDep, caller: Caller) -> LocationRoutingView:
    _may_steer(caller, code)
    status = run_unit(hub, lambda s: location_routing(s, code))
    return LocationRoutingView.model_validate(asdict(status))


@router.put(
    "/{code}/routing",
    response_model=LocationRoutingView,
    summary="Pause or resume the location, set its capacity",
)
def put_routing(code: LocationCode, body: SteerRequest, hub: HubDep, caller: Caller) -> LocationRoutingView:
    _may_steer(caller, code)
    actor = Actor(body.by or caller.name, device=caller.name)
    status = run_unit(
        hub,
        lambda s: steer_location(
            s, code, enabled=body.enabled, daily_capacity=body.daily_capacity, reason=body.reason, actor=actor
        ),
    )
    return LocationRoutingView.model_validate(asdict(status))
