"""A store database full of open orders, written in bulk, for the app benchmark and large-queue tests.

Going through the hub's feed one fulfilment at a time would take minutes for 100,000 orders, so
this writes the same rows `store_fulfilments` would (order shell, lines, fulfilment, its first
audit row with the routing reason, reservations) as a few executemany statements. The result
passes the ledger and reservation checks: each position gets one `initial` movement and its
`reserved` is the sum of its active reservations.
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from core.domain.barcodes import make_ean13
from core.domain.inventory import Reason, utc_now
from core.domain.network import BinSpec, LocationSpec, LocationType, ProductSpec
from core.services.catalog import upsert_bins, upsert_locations, upsert_products
from core.services.outbox import SyncKey, set_setting
from core.storage.models import (
    Fulfilment,
    FulfilmentLine,
    Movement,
    Order,
    OrderLine,
    Reservation,
    StateEvent,
    StockPosition,
)

FIRST = ("Ava", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jon", "Kemi", "Luis")
LAST = ("Kim", "Okafor", "Rivera", "Lee", "Novak", "Haddad", "Smith", "Tanaka", "Costa", "Berg")
WHY = (
    "Routed to Store {loc}: the closest store with every item, {km} km away; DC Central would have cost "
    "$4.{c}0 more in shipping. Store S02 was skipped: it has only 1 of the {n} items in stock."
)
CHUNK = 5000


def seed_store_orders(
    session: Session,
    count: int,
    *,
    location: str = "S01",
    products: int = 2000,
    seed: int = 7,
    now: datetime | None = None,
) -> None:
    """`count` open fulfilments (1–3 lines each) for `location`, with products, bins and stock."""
    rng = random.Random(seed)
    now = now or utc_now()
    upsert_locations(session, [LocationSpec(location, f"Store {location}", LocationType.STORE, "60601")])
    set_setting(session, SyncKey.LOCATION, location)
    specs = [
        ProductSpec(
            sku=f"P{i:05d}",
            name=f"{rng.choice(('Mug', 'Lamp', 'Towel', 'Kettle', 'Cushion', 'Frame'))} {i}",
            price=Decimal("9.99"),
            barcodes=(make_ean13(f"2{i:011d}"),),
        )
        for i in range(products)
    ]
    upsert_products(session, specs)
    bins = [
        BinSpec(location, f"{z}-{a:02d}-{p}", z, a, p)
        for z in "ABCD"
        for a in range(1, 13)
        for p in range(1, 9)
    ]
    upsert_bins(session, bins)
    first_line = int(session.scalar(select(func.max(OrderLine.id))) or 0) + 1
    orders, order_lines, fulfilments, lines, audits, holds = [], [], [], [], [], []
    reserved: dict[str, int] = defaultdict(int)
    for n in range(count):
        order_id, fid = f"W{n:06d}", f"W{n:06d}-{location}"
        method = "pickup" if rng.random() < 0.2 else "ship"
        placed = now - timedelta(minutes=rng.randint(5, 600))
        promise = now + timedelta(minutes=rng.randint(-30, 3 * 24 * 60))
        orders.append(
            dict(
                id=order_id,
                channel="hub",
                placed_at=placed,
                customer_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                customer_email="",
                customer_phone="",
                delivery_method=method,
                ship_postal_code="",
                ship_country="US",
                pickup_location=location if method == "pickup" else None,
                promise_by=promise,
                state="in_fulfilment",
                total=Decimal(0),
                payload_hash="",
                created_at=placed,
                updated_at=placed,
            )
        )
        state = "picking" if rng.random() < 0.05 else "assigned"
        fulfilments.append(
            dict(
                id=fid,
                order_id=order_id,
                location_code=location,
                state=state,
                promise_by=promise,
                carrier="UPS",
                service="Ground",
                created_at=placed,
                updated_at=placed,
            )
        )
        skus = rng.sample(range(products), rng.choice((1, 1, 2, 3)))
        for line_no, i in enumerate(skus, start=1):
            sku, qty = f"P{i:05d}", rng.choice((1, 1, 1, 2))
            order_lines.append(
                dict(
                    id=first_line, order_id=order_id, line_no=line_no, sku=sku, qty=qty, unit_price=Decimal(0)
                )
            )
            lines.append(
                dict(
                    fulfilment_id=fid,
                    order_line_id=first_line,
                    sku=sku,
                    qty=qty,
                    rejected_qty=0,
                    rejection_reason="",
                )
            )
            holds.append(
                dict(
                    id=uuid.uuid4(),
                    location_code=location,
                    sku=sku,
                    qty=qty,
                    fulfilment_id=fid,
                    reference=order_id,
                    status="active",
                    created_at=placed,
                )
            )
            reserved[sku] += qty
            first_line += 1
        why = WHY.format(loc=location, km=rng.randint(2, 40), c=rng.randint(1, 9), n=len(skus))
        audits.append(
            dict(
                entity="order",
                entity_id=order_id,
                from_state=None,
                to_state="in_fulfilment",
                actor="hub",
                device="",
                reason="assigned by the hub",
                at=placed,
            )
        )
        audits.append(
            dict(
                entity="fulfilment",
                entity_id=fid,
                from_state=None,
                to_state=state,
                actor="hub",
                device="",
                reason=why[:240],
                at=placed,
            )
        )
    for model, rows in (
        (Order, orders),
        (OrderLine, order_lines),
        (Fulfilment, fulfilments),
        (FulfilmentLine, lines),
        (StateEvent, audits),
        (Reservation, holds),
    ):
        for start in range(0, len(rows), CHUNK):
            session.execute(insert(model), rows[start : start + CHUNK])
    positions, moves = [], []
    for i, spec in enumerate(specs):
        units = reserved.get(spec.sku, 0) + rng.randint(0, 12)
        bin_spec = bins[(i * 7) % len(bins)]
        positions.append(
            dict(
                location_code=location,
                sku=spec.sku,
                sellable=units,
                damaged=0,
                quarantine=0,
                in_transit=0,
                reserved=reserved.get(spec.sku, 0),
                safety_stock=0,
                bin_code=bin_spec.code,
            )
        )
        if units:
            moves.append(
                dict(
                    id=uuid.uuid4(),
                    location_code=location,
                    sku=spec.sku,
                    qty=units,
                    bucket="sellable",
                    reason=Reason.INITIAL.value,
                    reference="seed",
                    device="",
                    occurred_at=now,
                    recorded_at=now,
                )
            )
    session.execute(insert(StockPosition), positions)
    if moves:
        session.execute(insert(Movement), moves)
    session.flush()
