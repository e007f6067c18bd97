"""A customer returns a web order at a store that did not sell it: the order was shipped from the DC,
the store fetches it from the real hub (in process), takes a unit back into its sellable stock and
syncs. The hub then holds the unit in that store's stock and the refund once, and a second store
that fetches the order cannot take the same units back."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from core.domain.errors import ValidationError
from core.domain.returns import ReturnRequest
from core.services.outbox import requeue
from core.services.returns import record_return, returnable_lines
from core.services.sold_orders import sold_order
from core.storage.models import Fulfilment, Order, Return
from sync.client import HubUnavailableError
from sync.client.order_fetch import fetch_order_for_return
from tests.factories import NOW, order_json
from tests.sync.client_support import assert_consistent, balances
from tests.sync.hub_harness import Hub, Store
from tests.sync.refund_kit import dc_only_hub, ship_at_hub

SHIPPED = NOW + timedelta(days=1)
LATER = SHIPPED + timedelta(days=2)


def _run(hub: Hub, scenario: Coroutine[Any, Any, None]) -> None:
    try:
        asyncio.run(scenario)
    finally:
        hub.close()


def _returnable(store: Store, order_id: str) -> dict[str, int]:
    with store.db.transaction() as session:
        return {ln.sku: ln.returnable for ln in returnable_lines(session, order_id, now=LATER)}


def _return(store: Store, order_id: str, line_no: int, qty: int) -> str:
    with store.db.transaction() as session:
        request = ReturnRequest(line_no, qty, "wrong_size", "new")
        return record_return(session, order_id, [request], now=LATER).return_id


def test_a_web_order_shipped_from_the_dc_comes_back_at_any_store(tmp_path: Path) -> None:
    hub = dc_only_hub(tmp_path / "hub.db")
    [fid] = hub.route(order_json("W1"))
    with hub.db.transaction() as session:
        assert session.get(Fulfilment, fid).location_code == "DC1"
    ship_at_hub(hub.db, hub.app.state.hub.router, [fid], now=SHIPPED)

    async def scenario() -> None:
        s01, s02 = Store(tmp_path / "s01.db", hub.asgi), Store(tmp_path / "s02.db", hub.asgi)
        try:
            await s01.enroll(hub, "S01")
            await s02.enroll(hub, "S02")
            with s01.db.transaction() as session:
                assert session.get(Order, "W1") is None  # not sold here
            hit = await fetch_order_for_return(s01.client, fid)  # the packing slip's barcode
            assert hit is not None and (hit.order_id, hit.channel, hit.customer_name) == (
                "W1",
                "web",
                "Ava Kim",
            )
            assert _returnable(s01, "W1") == {"SKU-1": 2, "SKU-2": 1}
            assert await fetch_order_for_return(s01.client, "W1") == hit  # copying again changes nothing
            return_id = _return(s01, "W1", 1, 1)
            assert balances(s01.db, "S01") == {"SKU-1": 1}  # sellable here at once
            await s01.client.sync_once()
            assert hub.balances("S01") == {"SKU-1": 1}  # and in the network after one sync
            with hub.db.transaction() as session:
                [kept] = session.scalars(select(Return)).all()
                assert (kept.id, kept.location_code, str(kept.total)) == (return_id, "S01", "19.99")
                assert sold_order(session, "W1").lines[0].returned == 1

            with s01.db.transaction() as session:  # a full replay of the outbox: nothing doubles
                requeue(session)
            pushed = await s01.client.push_once()
            assert pushed.sent == 0 and pushed.duplicate >= 2
            with hub.db.transaction() as session:
                assert len(session.scalars(select(Return)).all()) == 1
            assert hub.balances("S01") == {"SKU-1": 1}

            await fetch_order_for_return(s02.client, "W1")
            assert _returnable(s02, "W1") == {"SKU-1": 1, "SKU-2": 1}  # S01's unit counts here too
            with pytest.raises(ValidationError) as refused:
                _return(s02, "W1", 1, 2)
            assert refused.value.field == "lines[0].qty"
            _return(s02, "W1", 1, 1)
            await s02.client.sync_once()
            assert hub.balances("S02") == {"SKU-1": 1}
            await fetch_order_for_return(s01.client, "W1")  # S01 looks again: S02's unit is counted
            assert _returnable(s01, "W1") == {"SKU-1": 0, "SKU-2": 1}
            for db in (s01.db, s02.db, hub.db):
                assert_consistent(db)
        finally:
            await s01.close()
            await s02.close()

    _run(hub, scenario())


def test_an_unknown_order_is_none_and_an_unreachable_hub_says_so(tmp_path: Path) -> None:
    hub = dc_only_hub(tmp_path / "hub.db")

    def unreachable(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no route to the hub", request=request)

    async def scenario() -> None:
        store = Store(tmp_path / "s01.db", hub.asgi)
        try:
            await store.enroll(hub, "S01")
            assert await fetch_order_for_return(store.client, "W404") is None
            store.client.api.http = httpx.AsyncClient(transport=httpx.MockTransport(unreachable))
            with pytest.raises(HubUnavailableError):
                await fetch_order_for_return(store.client, "W1")
            await store.client.api.http.aclose()
        finally:
            await store.close()

    _run(hub, scenario())
