"""Counting a product's shelves at a store, turned into one ledger movement of the difference.

Ship-from-store promises what the books say is on the shelves, so a store that finds fewer (or
more) must be able to say so at once. The count covers every shelf of the store, not a bin, and
is compared with what the shelves should hold (`ShelfCount`: sellable less units already picked,
packed or bagged for a pickup). The difference is a `count` movement, pushed to the hub like a sale
so the network's ATP follows; a count that matches records nothing. Counting is refused while an
order with the product is being picked, and when the stock moved after the associate read the
number they counted against (someone sold one meanwhile), so a count is never applied to a
number nobody saw.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.domain.actors import Actor
from core.domain.associates import Role
from core.domain.errors import ConflictError, ValidationError
from core.domain.inventory import MovementSpec, Reason, utc_now
from core.domain.lifecycle import FulfilmentState
from core.domain.stock_lookup import ShelfCount
from core.services.associates import require_role
from core.services.lookups import require_products
from core.services.positions import lock_positions
from core.services.store_ops import record_store_movements
from core.storage.models import Fulfilment, FulfilmentLine

OFF_SHELF = (FulfilmentState.PICKED, FulfilmentState.PACKED, FulfilmentState.READY_FOR_PICKUP)
MAX_COUNT = 1_000_000


def shelf_count(session: Session, location: str, sku: str, sellable: int) -> ShelfCount:
    """What the shelves of `location` should hold of `sku`, given its sellable balance."""
    rows = session.execute(
        select(Fulfilment.order_id, Fulfilment.state, FulfilmentLine.qty - FulfilmentLine.rejected_qty)
        .join(FulfilmentLine, FulfilmentLine.fulfilment_id == Fulfilment.id)
        .where(
            Fulfilment.location_code == location,
            FulfilmentLine.sku == sku,
            Fulfilment.state.in_([*OFF_SHELF, FulfilmentState.PICKING]),
        )
    )
    off_shelf, picking = 0, set()
    for order_id, state, live in rows:
        if state == FulfilmentState.PICKING:
            picking.add(order_id)
        elif live > 0:
            off_shelf += live
    return ShelfCount(sellable, off_shelf, tuple(sorted(picking)))


def record_count(
    session: Session,
    location: str,
    sku: str,
    counted: int,
    *,
    expected: int,
    actor: Actor,
    now: datetime | None = None,
) -> int:
    """Record that the shelves hold `counted` units, against the `expected` the associate saw;
    returns the difference written to the ledger (0: nothing recorded)."""
    require_role(session, actor, Role.ASSOCIATE)
    if isinstance(counted, bool) or not isinstance(counted, int) or not 0 <= counted <= MAX_COUNT:
        raise ValidationError(f"{counted!r} units? count 0 to {MAX_COUNT:,}", field="counted")
    require_products(session, [sku])
    position = lock_positions(session, [(location, sku)])[(location, sku)]  # sales wait for the count
    shelves = shelf_count(session, location, sku, position.sellable)
    if shelves.being_picked:
        orders = ", ".join(shelves.being_picked)
        raise ValidationError(
            f"{sku} is being picked for {orders}: units may be in a tote. Count after the walk.", field="sku"
        )
    if shelves.expected != expected:
        raise ConflictError(
            f"the stock of {sku} moved while you counted: the shelves should now hold {shelves.expected}, "
            f"not {expected}. Check the number and count again.",
            field="expected",
        )
    difference = shelves.variance(counted)
    if difference:
        stamp = now or utc_now()
        spec = MovementSpec(
            location, sku, difference, Reason.COUNT, reference=f"shelf count by {actor.user}", device=actor.device,
            occurred_at=stamp,
        )  # fmt: skip
        record_store_movements(session, [spec])
    return difference
