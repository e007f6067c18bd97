"""A store (S01) with people and stock, and pickup orders brought to the shelf through the real
services: assigned by a hub feed entry, picked and packed by `store_ops`, then staged."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.domain.inventory import Bucket, MovementSpec, Reason
from core.domain.orders import parse_order
from core.services.associates import create_associate
from core.services.catalog import upsert_products
from core.services.inventory import record_movements
from core.services.orders import Actor, create_fulfilment, create_order, transition_fulfilment
from core.services.outbox import SyncKey, set_setting
from core.services.pickup import StagedPickup, stage_for_pickup
from core.services.store_ops import record_fulfilment_action
from core.services.store_pull import apply_changes
from core.storage.database import Database
from core.storage.models import OutboxEvent, StockPosition
from tests.factories import NOW, product, small_network
from tests.sync.client_support import assigned

AMY = Actor("1001", "tablet-1")
MORGAN = Actor("9001", "tablet-1")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
T0 = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


def setup_store(db: Database, stock: int = 10) -> None:
    """S01 as an enrolled store: the small network, a final-sale product, an associate and a manager."""
    with db.transaction() as session:
        set_setting(session, SyncKey.LOCATION, "S01")
        small_network(session, stock=stock)
        upsert_products(session, [product("SKU-9", 9, price="3.50", returnable_days=0)])
        record_movements(session, [MovementSpec("S01", "SKU-9", stock, Reason.INITIAL)])
        create_associate(session, "1001", "Amy Rivera", "associate", "1234")
        create_associate(session, "9001", "Morgan Lee", "manager", "9876")


def packed_pickup(
    session: Session,
    fid: str,
    lines: Sequence[tuple[str, int]],
    *,
    name: str = "Ava Kim",
    email: str = "ava@example.com",
    phone: str = "+1 312 555 0147",
    prices: dict[str, str] | None = None,
    seq: int = 1,
    steps: Sequence[str] = ("picking", "picked", "packed"),
) -> None:
    change = assigned(fid, "S01", lines, seq=seq)
    change.payload.update(
        delivery_method="pickup", customer_name=name, customer_email=email, customer_phone=phone
    )
    for line in change.payload["lines"]:
        line["unit_price"] = (prices or {}).get(line["sku"], "19.99")
    apply_changes(session, [change], seq)
    for action in steps:
        record_fulfilment_action(session, fid, action, actor=AMY, now=T0)


def staged(
    db: Database,
    fid: str,
    lines: Sequence[tuple[str, int]],
    *,
    bags: int = 1,
    at: datetime = T0,
    **kw: object,
) -> StagedPickup:
    with db.transaction() as session:
        packed_pickup(session, fid, lines, **kw)  # type: ignore[arg-type]
        return stage_for_pickup(session, fid, bags=bags, actor=AMY, now=at)


def level(db: Database, sku: str, bucket: Bucket | str = Bucket.SELLABLE, location: str = "S01") -> int:
    with db.transaction() as session:
        position = session.get(StockPosition, (location, sku))
        return getattr(position, Bucket(bucket).value) if position else 0


def reserved(db: Database, sku: str, location: str = "S01") -> int:
    with db.transaction() as session:
        position = session.get(StockPosition, (location, sku))
        return position.reserved if position else 0


def _event_words(payload: dict[str, Any]) -> str:
    if "action" in payload:
        return payload["action"]
    if "return_id" in payload:  # a refund: its kind and total
        return f"{payload['kind']}/{payload['total']}"
    return f"{payload['reason']}/{payload['bucket']}/{payload['qty']}"


def outbox(db: Database) -> list[tuple[str, str]]:
    """(kind, action, reason/bucket/qty or refund kind/total) of every queued event, oldest first."""
    with db.transaction() as session:
        rows = session.scalars(select(OutboxEvent).order_by(OutboxEvent.position))
        return [(r.kind, _event_words(r.payload)) for r in rows]


def outbox_size(db: Database) -> int:
    with db.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(OutboxEvent)) or 0)


def delivered_order(
    session: Session,
    order_id: str,
    lines: Sequence[tuple[str, int, str]],
    *,
    location: str = "DC1",
    channel: str = "web",
    at: datetime = NOW,
) -> None:
    """An order from any channel, shipped from `location` (the hub's path: routed, picked, shipped)."""
    request = parse_order(
        {
            "id": order_id,
            "channel": channel,
            "placed_at": (at - timedelta(days=2)).isoformat(),
            "customer": {"name": "Ava Kim", "email": "ava@example.com", "phone": "+1 312 555 0147"},
            "delivery": {"method": "ship", "postal_code": "60657"},
            "lines": [{"sku": sku, "qty": qty, "unit_price": price} for sku, qty, price in lines],
        }
    )
    create_order(session, request, now=at - timedelta(days=2))
    fulfilment = create_fulfilment(
        session, order_id, location, [(i, qty) for i, (_, qty, _) in enumerate(lines, start=1)], now=at
    )
    for state in ("picking", "picked", "packed", "shipped"):
        transition_fulfilment(session, fulfilment.id, state, now=at)  # type: ignore[arg-type]


def money(text: str) -> Decimal:
    return Decimal(text)
