"""Channel intake and order lookup: routing decisions with their explanations."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from core.domain.orders import OrderRequest
from core.services.hub.access import PermissionDeniedError, Role
from core.services.hub.intake import cancel_order, route_order
from core.services.hub.return_view import order_for_return, search_orders
from core.services.hub.views import order_locations, order_view
from core.services.orders import Actor
from sync.hub.context import Caller, HubDep, run_unit
from sync.protocol import OrderForReturn, OrderSearchResult

router = APIRouter(prefix="/v1/orders", tags=["orders"])
OrderId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")]


class CancelRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Annotated[str, Field(min_length=1, max_length=200)]


@router.post(
    "",
    summary="Take an order in and route it (idempotent by order id)",
    responses={
        201: {"description": "routed now: the routing decision JSON"},
        200: {"description": "this order was already received: its stored decision"},
        409: {"description": "the id was already used for an order with other content"},
    },
)
def post_order(order: OrderRequest, hub: HubDep, caller: Caller) -> JSONResponse:
    caller.require(Role.INTEGRATION)
    actor = Actor(user=f"integration:{caller.name}")
    result = run_unit(hub, lambda s: route_order(s, hub.router, order, actor=actor))
    body = result.decision.to_dict()
    body["fulfilments"] = list(result.fulfilment_ids)
    return JSONResponse(body, status_code=200 if result.replayed else 201)


@router.get(
    "",
    response_model=OrderSearchResult,
    summary="Orders of any channel by the customer's name, e-mail or phone (for a return)",
)
def get_order_search(
    hub: HubDep,
    caller: Caller,
    q: Annotated[str, Query(min_length=3, max_length=100, description="name, e-mail or phone digits")],
    limit: Annotated[int, Query(ge=1, le=20)] = 20,
) -> OrderSearchResult:
    """For the returns counter (store devices) and managers; newest first, at most 20 orders."""
    caller.require(Role.STORE_DEVICE, Role.MANAGER)
    hits = run_unit(hub, lambda s: search_orders(s, q, limit=limit))
    return OrderSearchResult.model_validate({"orders": hits})


@router.get("/{order_id}", summary="An order with its fulfilments, decisions and explanations")
def get_order(order_id: OrderId, hub: HubDep, caller: Caller) -> dict[str, Any]:
    def read(session: Any) -> dict[str, Any]:
        if caller.role is Role.STORE_DEVICE and caller.location not in order_locations(session, order_id):
            raise PermissionDeniedError(
                f"order {order_id} has no fulfilment at {caller.location}", field="order_id"
            )
        return order_view(session, order_id)

    return run_unit(hub, read)


@router.get(
    "/{order_id}/for-return",
    response_model=OrderForReturn,
    summary="Any order of the network as a store needs it to take units back",
)
def get_order_for_return(order_id: OrderId, hub: HubDep, caller: Caller) -> OrderForReturn:
    """`order_id` may also be a fulfilment id (the packing slip's barcode). Any store device may read
    any order this way: a customer may return at any store, whichever channel sold the order and
    wherever it was shipped from. Channels (integration tokens) have no counter and are refused."""
    caller.require(Role.STORE_DEVICE, Role.MANAGER)
    document = run_unit(hub, lambda s: order_for_return(s, order_id))
    return OrderForReturn.model_validate(document)


@router.post("/{order_id}/cancel", summary="Cancel an order; its stores are told to stop")
def post_cancel(order_id: OrderId, body: CancelRequest, hub: HubDep, caller: Caller) -> dict[str, Any]:
    caller.require(Role.INTEGRATION, Role.MANAGER)
    actor = Actor(user=f"{caller.role}:{caller.name}")

    def cancel(session: Any) -> dict[str, Any]:
        cancel_order(session, order_id, body.reason, actor=actor)
        return order_view(session, order_id)

    return run_unit(hub, cancel)
