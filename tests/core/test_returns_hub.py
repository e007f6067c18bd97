"""End to end with the real hub in process: a click-and-collect order routed to S01 is picked,
packed, staged, verified by its code and handed over; a unit comes back at the counter. After one
sync each time, the hub sees the collection, the returned unit in S01's sellable stock and the
refund."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from core.domain.handover import bag_code
from core.domain.returns import ReturnRequest
from core.services.notifications import notifications_for
from core.services.pickup import stage_for_pickup
from core.services.pickup_handover import complete_handover, scan_for_handover
from core.services.pickup_verify import verify_code
from core.services.returns import record_return
from core.services.sold_orders import sold_order
from core.services.store_ops import record_fulfilment_action
from core.storage.models import Fulfilment, Order, Return
from tests.core.pickup_kit import PNG
from tests.sync.client_support import assert_consistent, balances, ledger_ids
from tests.sync.hub_harness import Hub, Store, pickup_order


def test_a_collected_and_returned_unit_is_back_at_the_hub_after_one_sync(tmp_path: Path) -> None:
    hub = Hub(tmp_path / "hub.db")

    async def scenario() -> None:
        store = Store(tmp_path / "s01.db", hub.asgi)
        try:
            await store.enroll(hub, "S01")
            [fid] = hub.route(pickup_order("W9", "S01", [("SKU-1", 2)]))
            await store.client.sync_once()
            with store.db.transaction() as session:
                order = session.get(Order, "W9")
                assert order.customer_email == "ava@example.com" and order.lines[0].unit_price == Decimal(
                    "9.99"
                )
                for action in ("picking", "picked", "packed"):
                    record_fulfilment_action(session, fid, action)
                staged = stage_for_pickup(session, fid, bags=1)
                assert [n.kind for n in notifications_for(session, "W9")] == ["ready_for_pickup"]
            with store.db.transaction() as session:
                assert verify_code(session, fid, staged.code).ok
                scan_for_handover(session, fid, bag_code(fid, 1, 1))
                complete_handover(session, fid, signature=PNG)
            await store.client.sync_once()
            with hub.db.transaction() as session:
                assert session.get(Fulfilment, fid).state == "collected"
            assert hub.balances("S01")["SKU-1"] == 8
            with store.db.transaction() as session:
                receipt = record_return(session, "W9", [ReturnRequest(1, 1, "wrong_size", "new")])
                assert receipt.total == Decimal("9.99")
            assert balances(store.db, "S01")["SKU-1"] == 9  # sellable in the store at once
            await store.client.sync_once()
            assert hub.balances("S01")["SKU-1"] == 9  # and in the network after one sync
            with hub.db.transaction() as session:  # the refund too, counted against the hub's line
                assert sold_order(session, "W9").lines[0].returned == 1
                assert session.get(Return, receipt.return_id).total == Decimal("9.99")
            assert ledger_ids(store.db, "S01") == hub.ledger_ids("S01")
            with hub.db.transaction() as session:
                states = session.scalars(select(Order.state).where(Order.id == "W9")).all()
                assert states == ["completed"]
            assert_consistent(store.db)
            assert_consistent(hub.db)
        finally:
            await store.close()

    try:
        asyncio.run(scenario())
    finally:
        hub.close()
