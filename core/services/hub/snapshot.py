"""Everything a store device needs to start over: its open fulfilments, its stock and the catalog.

The feed head is read after taking the location's feed lock and before reading state, so every
change after the returned cursor is either in flight behind the lock or newer than the snapshot;
a change both in the snapshot and after the cursor is applied twice, which the client's upserts
make harmless. A change before the cursor but missing from the snapshot cannot happen.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from core.domain.lifecycle import FulfilmentState
from core.services.hub import payloads
from core.services.hub.feed import feed_head, lock_feed
from core.services.lookups import require_locations
from core.storage.models import Fulfilment, Location, Product, StockPosition

OPEN_STATES = tuple(
    s.value
    for s in (
        FulfilmentState.ASSIGNED,
        FulfilmentState.PICKING,
        FulfilmentState.PICKED,
        FulfilmentState.PACKED,
        FulfilmentState.READY_FOR_PICKUP,
    )
)


def store_snapshot(session: Session, location: str) -> tuple[list[tuple[str, dict[str, Any]]], int]:
    """(kind, payload) pairs to reset a store's copy from, and the cursor to continue after."""
    require_locations(session, [location])
    lock_feed(session, location)
    head = feed_head(session)
    changes: list[tuple[str, dict[str, Any]]] = []
    products = session.scalars(select(Product).options(selectinload(Product.barcodes)).order_by(Product.sku))
    locations = session.scalars(select(Location).order_by(Location.code))
    changes.append((payloads.CATALOG, payloads.catalog(products, locations)))
    positions = session.scalars(
        select(StockPosition).where(StockPosition.location_code == location).order_by(StockPosition.sku)
    )
    changes.append((payloads.STOCK, payloads.stock(location, positions, complete=True)))
    fulfilments = session.scalars(
        select(Fulfilment)
        .where(Fulfilment.location_code == location, Fulfilment.state.in_(OPEN_STATES))
        .options(selectinload(Fulfilment.lines), selectinload(Fulfilment.order))
        .order_by(Fulfilment.created_at, Fulfilment.id)
    )
    changes.extend(
        (payloads.FULFILMENT_ASSIGNED, payloads.fulfilment_assigned(session, f)) for f in fulfilments
    )
    return changes, head
