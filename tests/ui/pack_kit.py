"""Picked orders on a store database for the Pack tests and screenshots, through the real services."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from core.domain.inventory import MovementSpec, Reason
from core.services.catalog import upsert_products
from core.services.inventory import record_movements
from core.services.orders import Actor
from core.services.store_ops import record_fulfilment_action
from core.services.store_pull import apply_changes
from core.storage.database import Database
from core.storage.models import Movement, OutboxEvent
from tests.factories import product, small_network
from tests.sync.client_support import assigned

AMY = Actor("1001", "tablet-1")
D = Decimal


def seed_store(db: Database) -> None:
    """S01 with three sized products (a shirt, boots, a mug) and 10 of each on the shelf."""
    with db.transaction() as session:
        small_network(session, stock=0)
        upsert_products(
            session,
            [
                product(
                    "SKU-1", 1, name="Navy Oxford Shirt", length_cm=D(28), width_cm=D(20), height_cm=D(3)
                ),
                product(
                    "SKU-2", 2, name="Tan Leather Boot", length_cm=D(34), width_cm=D(22), height_cm=D(13)
                ),
                product("SKU-3", 3, name="Stoneware Mug", length_cm=D(12), width_cm=D(9), height_cm=D(10)),
            ],
        )
        record_movements(session, [MovementSpec("S01", f"SKU-{i}", 10, Reason.INITIAL) for i in (1, 2, 3)])


def add_picked(
    db: Database,
    fid: str,
    lines: list[tuple[str, int]],
    *,
    pickup: bool = False,
    seq: int = 1,
    name: str = "Ava Kim",
) -> None:
    change = assigned(fid, "S01", lines, seq=seq)
    change.payload.update(
        customer_name=name,
        delivery_method="pickup" if pickup else "ship",
        carrier="" if pickup else "Parcelway",
        service="" if pickup else "GROUND",
        ship_postal_code="" if pickup else "60657",
        ship_country="" if pickup else "US",
        eta=None if pickup else "2026-11-30",
    )
    with db.transaction() as session:
        apply_changes(session, [change], seq)
        record_fulfilment_action(session, fid, "picking", actor=AMY)
        record_fulfilment_action(session, fid, "picked", actor=AMY)


def barcode(number: int) -> str:
    """The EAN-13 `tests.factories.product` gives SKU-<number>."""
    from core.domain.barcodes import make_ean13

    return make_ean13(f"40000000{number:04d}")


def outbox_actions(db: Database) -> list[str]:
    with db.transaction() as session:
        rows = session.scalars(
            select(OutboxEvent).where(OutboxEvent.kind == "fulfilment").order_by(OutboxEvent.position)
        )
        return [row.payload["action"] for row in rows]


def shipment_moves(db: Database) -> list[tuple[str, int]]:
    with db.transaction() as session:
        rows = session.execute(
            select(Movement.sku, func.sum(Movement.qty))
            .where(Movement.reason == Reason.SHIPMENT.value)
            .group_by(Movement.sku)
            .order_by(Movement.sku)
        )
        return [(sku, int(qty)) for sku, qty in rows]
