"""The real hub for the client tests: its app on its own SQLite file, reached in process.

`ASGITransport` runs the hub's routes in the test's event loop; `DroppingTransport` (an
`httpx.MockTransport`) lets the hub handle a request completely and commit, then loses the answer,
which is exactly the "outcome unknown" case the client must survive.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import httpx
from sqlalchemy import select

from core.domain.inventory import Reason
from core.domain.orders import OrderRequest
from core.services.hub.access import create_enrolment_code
from core.services.hub.intake import route_order
from core.storage.database import Database
from core.storage.models import Location, Movement, StockPosition
from sync.client import RetryPolicy, SyncClient
from sync.hub import create_app
from tests.factories import order_json, small_network
from tests.sync.client_support import open_store

HUB_URL = "http://hub.test"
FAST = RetryPolicy(attempts=4, timeout=10.0, wait_initial=0.01, wait_max=0.05, wait_jitter=0.01)
STORES = ("S01", "S02")


class Hub:
    def __init__(self, path: Path, *, stock: int = 10) -> None:
        self.db = Database.open(str(path))
        with self.db.transaction() as session:
            small_network(session, stock=stock)
            for code in STORES:  # offline sales are facts: the hub accepts them below zero
                session.get(Location, code).allow_negative_stock = True
        self.app = create_app(self.db)
        self.asgi = httpx.ASGITransport(app=self.app)

    def code(self, location: str) -> str:
        with self.db.transaction() as session:
            return create_enrolment_code(session, location)

    def route(self, order: dict[str, object]) -> tuple[str, ...]:
        """Take an order in as the web shop would; returns the fulfilment ids it was split into."""
        with self.db.transaction() as session:
            result = route_order(session, self.app.state.hub.router, OrderRequest.model_validate(order))
            return result.fulfilment_ids

    def ledger_ids(self, location: str) -> list[str]:
        with self.db.transaction() as session:
            query = select(Movement.id).where(
                Movement.location_code == location, Movement.reason != Reason.INITIAL.value
            )
            return sorted(str(i) for i in session.scalars(query))

    def balances(self, location: str, bucket: str = "sellable") -> dict[str, int]:
        with self.db.transaction() as session:
            rows = session.execute(
                select(StockPosition.sku, getattr(StockPosition, bucket)).where(
                    StockPosition.location_code == location
                )
            )
            return {sku: qty for sku, qty in rows if qty}

    def close(self) -> None:
        self.db.close()


class DroppingTransport(httpx.MockTransport):
    """Forwards to the hub; while `drop` > 0 the hub's answer to a push is lost after it committed."""

    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        self.drop = 0
        self.pushes = 0
        self.before_pull: Callable[[], None] | None = None  # e.g. an associate selling mid-pull
        super().__init__(self._forward)

    async def _forward(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/sync/pull") and self.before_pull is not None:
            self.before_pull()
        response = await self.hub.asgi.handle_async_request(request)
        body = await response.aread()
        if request.url.path.endswith("/sync/push"):
            self.pushes += 1
            if self.drop > 0:
                self.drop -= 1
                raise httpx.ReadTimeout("the answer was lost on the way back", request=request)
        return httpx.Response(response.status_code, headers=response.headers, content=body)


class Store:
    """A store tablet: its SQLite file, an http client and a `SyncClient` (create inside a loop)."""

    def __init__(self, path: Path, transport: httpx.AsyncBaseTransport, **options: object) -> None:
        self.path = path
        self.db = open_store(path)
        self.http = httpx.AsyncClient(transport=transport, timeout=5.0)
        self.client = SyncClient(self.db, self.http, retry=FAST, **options)  # type: ignore[arg-type]

    async def enroll(self, hub: Hub, location: str) -> None:
        await self.client.enroll(HUB_URL, hub.code(location), device_name=f"tablet-{location}")
        await self.client.sync_once()

    def go_offline(self) -> None:
        """The cable is pulled: every request from now on fails to connect."""

        def no_network(request: httpx.Request) -> httpx.Response:
            raise httpx.ConnectError("the store's network is down", request=request)

        self.http._transport = httpx.MockTransport(no_network)

    async def close(self) -> None:
        self.client.close()
        await self.http.aclose()
        self.db.close()


def pickup_order(order_id: str, location: str, lines: Sequence[tuple[str, int]]) -> dict[str, object]:
    """A click-and-collect order: routing must give it to the pickup store."""
    order = order_json(order_id)
    order["delivery"] = {"method": "pickup", "pickup_location": location}
    order["lines"] = [{"sku": sku, "qty": qty, "unit_price": "9.99"} for sku, qty in lines]
    return order
