"""Getting stock positions to change: created when missing, locked in one global order.

Every writer locks (location, SKU) rows sorted the same way, so two stores posting overlapping
stock at once on PostgreSQL wait for each other instead of deadlocking. SQLite serialises writers
on its own and ignores FOR UPDATE.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, select
from sqlalchemy.orm import Session

from core.domain.inventory import Bucket
from core.services.lookups import chunked
from core.storage.bulk import insert_missing
from core.storage.models import StockPosition

Key = tuple[str, str]
BUCKETS = tuple(b.value for b in Bucket)


def position_filters(keys: Iterable[Key], size: int = 400) -> Iterator[ColumnElement[bool]]:
    """WHERE clauses covering `keys` in their sorted order, one location and up to `size` SKUs each:
    PostgreSQL finds `location = X AND sku IN (…)` by the key's index, where a list of (location,
    SKU) pairs is planned as one OR per pair."""
    by_location: dict[str, list[str]] = {}
    for loc, sku in sorted(set(keys)):
        by_location.setdefault(loc, []).append(sku)
    for loc, skus in by_location.items():
        for chunk in chunked(skus, size):
            yield and_(StockPosition.location_code == loc, StockPosition.sku.in_(chunk))


def _locking(session: Session, keys: Iterable[Key]) -> Iterator[Select[Any]]:
    """Create the missing rows, then yield sorted SELECT … FOR UPDATE queries (to add columns to)."""
    ordered = sorted(set(keys))
    if ordered:
        insert_missing(session, StockPosition, [{"location_code": loc, "sku": sku} for loc, sku in ordered])
    for where in position_filters(ordered):
        yield select().where(where).order_by(StockPosition.location_code, StockPosition.sku).with_for_update()


def lock_positions(session: Session, keys: Iterable[Key]) -> dict[Key, StockPosition]:
    found: dict[Key, StockPosition] = {}
    for query in _locking(session, keys):
        found.update(((p.location_code, p.sku), p) for p in session.scalars(query.add_columns(StockPosition)))
    return found


def lock_balances(session: Session, keys: Iterable[Key]) -> dict[Key, dict[str, int]]:
    """`lock_positions` for writers that change balances with set-based statements: the four buckets
    as plain values, without loading ORM objects that such a statement would leave stale."""
    columns = [StockPosition.location_code, StockPosition.sku, *(getattr(StockPosition, b) for b in BUCKETS)]
    found: dict[Key, dict[str, int]] = {}
    for query in _locking(session, keys):
        for loc, sku, *values in session.execute(query.add_columns(*columns)):
            found[(loc, sku)] = dict(zip(BUCKETS, values, strict=True))
    return found
