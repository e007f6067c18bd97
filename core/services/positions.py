"""Getting stock positions to change: created when missing, locked in one global order.

Every writer locks (location, SKU) rows sorted the same way, so two stores posting overlapping
stock at once on PostgreSQL wait for each other instead of deadlocking. SQLite serialises writers
on its own and ignores FOR UPDATE.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from core.services.lookups import chunked
from core.storage.bulk import insert_missing
from core.storage.models import StockPosition

Key = tuple[str, str]


def lock_positions(session: Session, keys: Iterable[Key]) -> dict[Key, StockPosition]:
    ordered = sorted(set(keys))
    if not ordered:
        return {}
    insert_missing(session, StockPosition, [{"location_code": loc, "sku": sku} for loc, sku in ordered])
    found: dict[Key, StockPosition] = {}
    for chunk in chunked(ordered, 400):
        query = (
            select(StockPosition)
            .where(tuple_(StockPosition.location_code, StockPosition.sku).in_(chunk))
            .order_by(StockPosition.location_code, StockPosition.sku)
            .with_for_update()
        )
        found.update(((p.location_code, p.sku), p) for p in session.scalars(query))
    return found
