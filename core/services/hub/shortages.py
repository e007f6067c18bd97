"""Offline sales that took stock a fulfilment was counting on: re-route what can no longer be picked.

A store sells from the shelf while offline; by the time the sale reaches the hub, units reserved
for an online order may be gone. The sale is a fact (it is recorded even if sellable goes below
zero), so the promise gives way: the newest fulfilments at that store lose the missing units,
which are routed elsewhere (reason "stock sold in store"), and the store is told.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.domain.errors import InsufficientStockError, OmsError
from core.services.allocation import REJECTABLE, Router
from core.services.hub.intake import reroute_lines
from core.services.orders import Actor
from core.services.positions import position_filters
from core.storage.models import Fulfilment, FulfilmentLine, StockPosition

REASON = "stock sold in store"


def reroute_shortages(
    session: Session, router: Router, keys: Iterable[tuple[str, str]], *, actor: Actor, now: datetime
) -> int:
    """For each (location, SKU) whose reservations exceed sellable, re-route the excess; returns units moved."""
    moved = 0
    for location, sku in _over_reserved(session, sorted(set(keys))):
        position = session.get(StockPosition, (location, sku))
        if position is None:
            continue
        session.refresh(position)
        excess = position.reserved - max(position.sellable, 0)
        if excess <= 0:
            continue
        holders = session.execute(
            select(Fulfilment.id, FulfilmentLine.qty - FulfilmentLine.rejected_qty)
            .join(FulfilmentLine, FulfilmentLine.fulfilment_id == Fulfilment.id)
            .where(
                Fulfilment.location_code == location,
                FulfilmentLine.sku == sku,
                Fulfilment.state.in_([s.value for s in REJECTABLE]),
                FulfilmentLine.qty > FulfilmentLine.rejected_qty,
            )
            .order_by(Fulfilment.created_at.desc(), Fulfilment.id.desc())
        ).all()
        held: dict[str, int] = {}
        for fid, qty in holders:
            held[fid] = held.get(fid, 0) + qty
        for fid, qty in held.items():
            if excess <= 0:
                break
            for take in dict.fromkeys((min(excess, qty), qty)):  # all of it when safety stock blocks a part
                try:
                    with session.begin_nested():
                        reroute_lines(session, router, fid, [(sku, take)], REASON, actor=actor, now=now)
                except InsufficientStockError:
                    continue
                except OmsError:  # the sale stays recorded; a person sees the shortage in `oms check`
                    break
                excess -= take
                moved += take
                break
    return moved


def _over_reserved(session: Session, keys: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """The keys whose reservations exceed sellable, found with one query per chunk: a push of
    hundreds of sales usually leaves none, and looking at each one alone costs two queries."""
    found: list[tuple[str, str]] = []
    for where in position_filters(keys):
        query = (
            select(StockPosition.location_code, StockPosition.sku)
            .where(where, StockPosition.reserved > StockPosition.sellable, StockPosition.reserved > 0)
            .order_by(StockPosition.location_code, StockPosition.sku)
        )
        found.extend((loc, sku) for loc, sku in session.execute(query))
    return found
