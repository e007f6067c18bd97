"""Bringing the store's stock to the hub's word without counting anything twice.

The hub's balance for this store already holds every movement the store pushed and the hub
acknowledged, but not the ones still in the outbox. So the local balance must be

    hub balance + this store's movements still pending in the outbox

and the difference to what the store holds now is written as one `snapshot` movement per bucket:
the ledger stays append-only and `balance == Σ ledger` keeps holding. Snapshot movements are never
pushed (they are the hub's own numbers coming back).

This is exact when the hub's balance was taken after every event the store already marked sent,
which the client guarantees by pushing (and settling every event in doubt) before it pulls.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from core.domain.inventory import Bucket, Reason, utc_now
from core.services.positions import lock_positions
from core.services.store_catalog import ensure_location, ensure_products
from core.storage.models import Movement, OutboxEvent, OutboxState, StockPosition

BUCKETS = tuple(b.value for b in Bucket)


def pending_deltas(session: Session, location: str) -> dict[tuple[str, str], int]:
    """(sku, bucket) → units this store moved that the hub has not acknowledged yet."""
    totals: dict[tuple[str, str], int] = defaultdict(int)
    query = select(OutboxEvent.payload).where(
        OutboxEvent.state == OutboxState.PENDING, OutboxEvent.kind == "movement"
    )
    for payload in session.scalars(query):
        if payload.get("location") == location:
            totals[(payload["sku"], payload.get("bucket", "sellable"))] += int(payload["qty"])
    return totals


def apply_stock(session: Session, payload: Mapping[str, Any], *, now: datetime | None = None) -> int:
    """Set listed balances (all of the location's when `complete`) to hub + pending; returns movements written."""
    location = payload["location"]
    ensure_location(session, location)
    hub = {b["sku"]: b for b in payload["balances"]}
    ensure_products(session, {sku: sku for sku in hub})
    skus = set(hub)
    if payload.get("complete"):
        skus |= set(session.scalars(select(StockPosition.sku).where(StockPosition.location_code == location)))
    pending = pending_deltas(session, location)
    positions = lock_positions(session, ((location, sku) for sku in skus))
    stamp = now or utc_now()
    rows = []
    for sku in sorted(skus):
        position = positions[(location, sku)]
        balance = hub.get(sku, {})
        for bucket in BUCKETS:
            target = int(balance.get(bucket, 0)) + pending.get((sku, bucket), 0)
            delta = target - getattr(position, bucket)
            if delta:
                setattr(position, bucket, target)
                rows.append(_snapshot_row(location, sku, bucket, delta, stamp))
        if sku in hub:
            position.safety_stock = int(balance.get("safety_stock", position.safety_stock))
            if balance.get("bin"):
                position.bin_code = balance["bin"]
    if rows:
        session.execute(insert(Movement), rows)
    session.flush()
    return len(rows)


def _snapshot_row(location: str, sku: str, bucket: str, qty: int, at: datetime) -> dict[str, Any]:
    """A ledger row written straight, not through `record_movements`: the hub's balance is a fact
    here even where the local rules would refuse it (e.g. negative sellable after offline sales)."""
    return {
        "id": uuid.uuid4(),
        "location_code": location,
        "sku": sku,
        "qty": qty,
        "bucket": bucket,
        "reason": Reason.SNAPSHOT.value,
        "reference": "hub snapshot",
        "device": "",
        "occurred_at": at,
        "recorded_at": at,
    }
