"""The hub calls the store makes, and what a failure of each one means.

The one rule that matters: when a request times out or the connection drops, the client cannot
know whether the hub committed. That is `HubUnavailableError` ("outcome unknown"): the events stay
pending and are sent again later with the same ids, and the hub's exactly-once rule makes the
retry harmless. A 4xx is `HubRefusedError`: the hub understood and said no (bad token, old protocol),
so retrying the same request at once would only say no again.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx
from pydantic import ValidationError

from sync.protocol import (
    EnrollRequest,
    EnrollResponse,
    OrderForReturn,
    OrderSearchResult,
    PullResponse,
    PushRequest,
    PushResponse,
)
from sync.protocol.location_routing import LocationRoutingView, SteerRequest
from sync.protocol.stock import NetworkStock


class HubUnavailableError(Exception):
    """No answer, or no usable one (timeout, dropped connection, 5xx, 429): try again later."""


class HubRefusedError(Exception):
    """The hub answered with a 4xx: the request itself is wrong (token, protocol, payload)."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(f"hub refused the request ({status}): {detail}")
        self.status = status
        self.detail = detail


class HubApi:
    """Thin typed calls on an injected `httpx.AsyncClient` (tests give it an in-process transport)."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def _call(
        self, method: str, url: str, *, token: str | None = None, **kwargs: Any
    ) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        try:
            response = await self.http.request(method, url, headers=headers, **kwargs)
        except httpx.TransportError as exc:  # timeouts, refused or dropped connections
            raise HubUnavailableError(f"{type(exc).__name__}: {exc}".strip(": ")) from exc
        if response.status_code >= 500 or response.status_code == 429:
            raise HubUnavailableError(f"hub answered {response.status_code}")
        if response.status_code >= 400:
            raise HubRefusedError(response.status_code, _detail(response))
        return response

    async def enroll(self, hub_url: str, code: str, device_name: str) -> EnrollResponse:
        body = EnrollRequest(code=code, device_name=device_name).model_dump(mode="json")
        response = await self._call("POST", _join(hub_url, "/v1/enroll"), json=body)
        return _parse(EnrollResponse, response)

    async def push(self, hub_url: str, token: str, events: list[dict[str, Any]]) -> PushResponse:
        body = {"protocol": PushRequest.model_fields["protocol"].default, "events": events}
        response = await self._call("POST", _join(hub_url, "/v1/sync/push"), token=token, json=body)
        return _parse(PushResponse, response)

    async def pull(
        self, hub_url: str, token: str, cursor: int, limit: int, epoch: str | None = None
    ) -> PullResponse:
        params: dict[str, str | int] = {"cursor": cursor, "limit": limit}
        if epoch:
            params["epoch"] = epoch
        response = await self._call("GET", _join(hub_url, "/v1/sync/pull"), token=token, params=params)
        return _parse(PullResponse, response)

    async def order_for_return(self, hub_url: str, token: str, code: str) -> OrderForReturn:
        """Any order of the network by order or fulfilment id; an unknown one is `HubRefusedError` 404."""
        path = f"/v1/orders/{quote(code, safe='')}/for-return"
        response = await self._call("GET", _join(hub_url, path), token=token)
        return _parse(OrderForReturn, response)

    async def network_stock(self, hub_url: str, token: str, sku: str) -> NetworkStock:
        """Every location's stock of a SKU; an unknown SKU is `HubRefusedError` 404."""
        response = await self._call(
            "GET", _join(hub_url, f"/v1/inventory/{quote(sku, safe='')}"), token=token
        )
        return _parse(NetworkStock, response)

    async def location_routing(self, hub_url: str, token: str, location: str) -> LocationRoutingView:
        path = f"/v1/locations/{quote(location, safe='')}/routing"
        return _parse(LocationRoutingView, await self._call("GET", _join(hub_url, path), token=token))

    async def steer_location(
        self, hub_url: str, token: str, location: str, request: SteerRequest
    ) -> LocationRoutingView:
        path = f"/v1/locations/{quote(location, safe='')}/routing"
        body = request.model_dump(mode="json", exclude_none=True)
        response = await self._call("PUT", _join(hub_url, path), token=token, json=body)
        return _parse(LocationRoutingView, response)

    async def search_orders(self, hub_url: str, token: str, words: str, limit: int) -> OrderSearchResult:
        """Orders of any channel by the customer's name, e-mail or phone (at least 3 characters)."""
        params: dict[str, str | int] = {"q": words, "limit": limit}
        response = await self._call("GET", _join(hub_url, "/v1/orders"), token=token, params=params)
        return _parse(OrderSearchResult, response)


def _join(hub_url: str, path: str) -> str:
    return hub_url.rstrip("/") + path


def _parse(model: Any, response: httpx.Response) -> Any:
    """A 2xx body that is not what the protocol says is as good as no answer: outcome unknown."""
    try:
        return model.model_validate_json(response.content)
    except ValidationError as exc:
        raise HubUnavailableError(f"unreadable answer from the hub: {exc.error_count()} error(s)") from exc


def _detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(body, dict):
        return str(body.get("detail") or body.get("title") or body)[:200]
    return str(body)[:200]
