"""Fixtures and helpers for the hub tests: the app in process on SQLite and PostgreSQL (`db`), tokens
for every role, and event builders that go through the wire models so the tests speak the protocol."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from core.routing.rates import RateBroker, load_sample_rate_sheet
from core.services.allocation import Router
from core.services.hub.access import Role, create_enrolment_code, issue_token
from core.storage.database import Database
from sync.hub import create_app

__all__ = ["TestClient", "create_app"]  # re-exported for tests that build a second app
from sync.protocol import FulfilmentEvent, MovementEvent, PullResponse
from tests.factories import NOW, order_json, small_network


@pytest.fixture(scope="module")
def router() -> Router:
    return Router(RateBroker(load_sample_rate_sheet()))


@pytest.fixture
def hub_db(db: Database) -> Database:
    with db.transaction() as session:
        small_network(session)
    return db


class HubClient:
    """A TestClient plus one token per role (S01 and S02 devices enrol through the API)."""

    def __init__(self, database: Database, router: Router) -> None:
        self.database = database
        self.http = TestClient(create_app(database, router), raise_server_exceptions=True)
        with database.transaction() as session:
            self.integration = issue_token(session, Role.INTEGRATION, "web shop")
            self.manager = issue_token(session, Role.MANAGER, "regional manager")
            codes = {store: create_enrolment_code(session, store) for store in ("S01", "S02")}
        self.stores = {store: self.enrol(code, f"tablet-{store}") for store, code in codes.items()}

    def enrol(self, code: str, device: str) -> str:
        response = self.http.post("/v1/enroll", json={"code": code, "device_name": device})
        assert response.status_code == 200, response.text
        return response.json()["token"]

    @staticmethod
    def auth(token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}

    def as_store(self, store: str) -> dict[str, str]:
        return self.auth(self.stores[store])

    def push(self, store: str, *events: dict[str, Any]) -> list[dict[str, Any]]:
        response = self.http.post(
            "/v1/sync/push", json={"events": list(events)}, headers=self.as_store(store)
        )
        assert response.status_code == 200, response.text
        return response.json()["results"]

    def pull(self, store: str, cursor: int, limit: int = 200, epoch: str | None = None) -> PullResponse:
        params: dict[str, Any] = {"cursor": cursor, "limit": limit}
        if epoch is not None:
            params["epoch"] = epoch
        response = self.http.get("/v1/sync/pull", params=params, headers=self.as_store(store))
        assert response.status_code == 200, response.text
        return PullResponse.model_validate(response.json())

    def changes(self, store: str, after: int) -> list[tuple[str, dict[str, Any]]]:
        """Every incremental change after a cursor, following `more` (never a snapshot here)."""
        out, cursor = [], after
        while True:
            page = self.pull(store, cursor)
            assert not page.snapshot
            out += [(c.kind.value, c.payload) for c in page.changes]
            cursor = page.cursor
            if not page.more:
                return out

    def order(self, data: dict[str, Any]) -> dict[str, Any]:
        response = self.http.post("/v1/orders", json=data, headers=self.auth(self.integration))
        assert response.status_code in (200, 201), response.text
        return response.json()

    def close(self) -> None:
        self.http.close()


@pytest.fixture
def hub(hub_db: Database, router: Router) -> Iterator[HubClient]:
    client = HubClient(hub_db, router)
    yield client
    client.close()


def movement(
    location: str,
    sku: str,
    qty: int,
    reason: str = "sale",
    *,
    event_id: uuid.UUID | None = None,
    at: datetime = NOW,
    **extra: Any,
) -> dict[str, Any]:
    event = MovementEvent(
        id=event_id or uuid.uuid4(),
        occurred_at=at,
        payload={"location": location, "sku": sku, "qty": qty, "reason": reason, **extra},
    )
    return event.model_dump(mode="json")


def step(
    fulfilment_id: str, action: str, *, event_id: uuid.UUID | None = None, **extra: Any
) -> dict[str, Any]:
    event = FulfilmentEvent(
        id=event_id or uuid.uuid4(),
        occurred_at=NOW,
        payload={"fulfilment_id": fulfilment_id, "action": action, **extra},
    )
    return event.model_dump(mode="json")


def pickup_at(store: str, order_id: str, **qty: int) -> dict[str, Any]:
    """An order collected at `store` (so routing must put it there); `SKU_1=2` sets its lines."""
    data = order_json(order_id)
    data["delivery"] = {"method": "pickup", "pickup_location": store}
    if qty:
        data["lines"] = [{"sku": s.replace("_", "-"), "qty": q, "unit_price": "1.00"} for s, q in qty.items()]
    return data


def statuses(results: list[dict[str, Any]]) -> list[str]:
    return [r["status"] for r in results]
