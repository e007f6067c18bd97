"""The demo's hub: the real FastAPI app under uvicorn on loopback, in a thread of the demo process.

Why a thread and not `oms hub` in a subprocess: one process to start and to stop (Ctrl+C or a
closed window takes everything down), no second interpreter to import, and the port is a socket
the demo binds itself on 127.0.0.1:0 (no race for a "free" port). The hub serves from its own
thread pool exactly as in production; the store app talks to it over real HTTP.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

import httpx
import uvicorn

from core.demo.network import DemoNetwork
from core.domain.orders import OrderRequest
from core.routing.rates import RateBroker, load_sample_rate_sheet
from core.services.allocation import Router
from core.services.demo_load import load_demo_network
from core.services.hub.access import Role, create_enrolment_code, issue_token
from core.storage.database import Database
from sync.hub import create_app


@dataclass(frozen=True, slots=True)
class HubSetup:
    integration_token: str  # what the "web shop" posts orders with
    enrolment_code: str  # what the store's tablet trades for its device token


def prepare_hub(database: Database, network: DemoNetwork, store: str) -> HubSetup:
    """`oms init --demo` on the hub's database, a web-shop token and a code for the store's tablet."""
    with database.transaction() as session:
        load_demo_network(session, network)
    with database.transaction() as session:
        token = issue_token(session, Role.INTEGRATION, "demo web shop")
        code = create_enrolment_code(session, store, ttl=timedelta(hours=1))
    return HubSetup(token, code)


class EmbeddedHub:
    """`start()` serves the hub on 127.0.0.1 (a port the OS picks); `stop()` shuts it down cleanly."""

    def __init__(self, database: Database) -> None:
        app = create_app(database, Router(RateBroker(load_sample_rate_sheet())))
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self.port = self._sock.getsockname()[1]
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._sock]}, name="oms-demo-hub", daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 20.0) -> EmbeddedHub:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the demo hub did not start")
            time.sleep(0.02)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(timeout)
        self._sock.close()

    def __enter__(self) -> EmbeddedHub:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()


@dataclass(frozen=True, slots=True)
class Placed:
    order_id: str
    status: str  # routed, partially_routed, unfulfillable
    shipments: tuple[tuple[str, str], ...]  # (location, carrier service)
    text: str  # the routing explanation, in sentences


def post_order(http: httpx.Client, hub_url: str, token: str, order: OrderRequest) -> Placed:
    """One web order through `POST /v1/orders`, as a web shop sends it."""
    response = http.post(
        f"{hub_url}/v1/orders",
        content=order.model_dump_json(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    if response.status_code not in (200, 201):
        raise RuntimeError(f"the hub refused order {order.id}: {response.status_code} {response.text[:200]}")
    body = response.json()
    shipments = tuple(
        (s["location"], " ".join(p for p in (s.get("carrier"), s.get("service")) if p))
        for s in body["shipments"]
    )
    return Placed(order.id, body["status"], shipments, body.get("text") or body["explanation"]["summary"])


def post_orders(hub_url: str, token: str, orders: Iterable[OrderRequest]) -> list[Placed]:
    with httpx.Client(timeout=httpx.Timeout(60.0, connect=5.0)) as http:
        return [post_order(http, hub_url, token, order) for order in orders]


def order_on_hub(hub_url: str, token: str, order_id: str) -> str:
    """How the hub sees an order now, in one line: its state and each fulfilment's."""
    with httpx.Client(timeout=30.0) as http:
        response = http.get(f"{hub_url}/v1/orders/{order_id}", headers={"Authorization": f"Bearer {token}"})
    if response.status_code != 200:
        return f"the hub answered {response.status_code} for order {order_id}"
    body = response.json()
    parts = ", ".join(f"{f['location']} {f['state']}" for f in body["fulfilments"])
    return f"order {order_id} is {body['state']} ({parts})"
