"""The packing bench: what is ready to pack, the sheet for one fulfilment, and finishing it.

Store-side use cases on the store's own database. Every change goes through
`store_ops.record_fulfilment_action`, so the state change, its audit row, the stock that leaves
(`shipment` movements) and the events for the hub commit in the caller's one transaction
(principle 3) — the bench works the same with the network down.

Verifying items by scan records nothing (`core.domain.packing.Verification` lives in the
screen); the first thing written is `packed`, once every unit has been checked. A ship order then
ends `shipped` with its tracking number; a pickup order ends `ready_for_pickup` (the handoff to
the customer is the Pickup screen's job).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from core.domain.boxes import Box, Item, choose_box
from core.domain.errors import IllegalTransitionError, ValidationError
from core.domain.inventory import utc_now
from core.domain.packing import Address, PackCard, PackLine, PackSheet, ShipResult
from core.domain.tracking import tracking_number
from core.services.orders import SYSTEM, Actor, get_fulfilment
from core.services.store_ops import record_fulfilment_action
from core.storage.models import Fulfilment, Location, Order, Product

PACKABLE = ("picked", "packed")


def packable(session: Session) -> list[PackCard]:
    """Picked (and packed, not yet sent on) fulfilments, most urgent promise first.

    The store's database holds only its own fulfilments, so no location filter is needed."""
    rows = session.scalars(
        select(Fulfilment)
        .join(Order)
        .where(Fulfilment.state.in_(PACKABLE))
        .options(selectinload(Fulfilment.lines), selectinload(Fulfilment.order))
        .order_by(Order.promise_by.is_(None), Order.promise_by, Fulfilment.created_at, Fulfilment.id)
    )
    return [
        PackCard(
            fulfilment_id=f.id,
            order_id=f.order_id,
            customer_name=f.order.customer_name,
            delivery_method=f.order.delivery_method,
            state=f.state,
            units=sum(line.live_qty for line in f.lines),
            promise_by=f.order.promise_by,
            carrier=f.carrier,
            service=f.service,
        )
        for f in rows
    ]


def _ship_from(session: Session, code: str) -> Address:
    location = session.get(Location, code)
    if location is None:
        return Address(code)
    place = " ".join(part for part in (location.postal_code, location.country) if part)
    lines = tuple(line for line in (location.address, place) if line)
    return Address(f"{location.name} ({code})" if location.name != code else f"Store {code}", lines)


def _ship_to(order: Order, store: Address) -> Address:
    if order.delivery_method == "pickup":
        return Address(
            order.customer_name, tuple(x for x in (f"Pickup at {store.name}", order.customer_phone) if x)
        )
    place = " ".join(part for part in (order.ship_postal_code, order.ship_country) if part)
    return Address(order.customer_name, tuple(line for line in (place, order.customer_phone) if line))


def pack_sheet(session: Session, fulfilment_id: str, boxes: Sequence[Box]) -> PackSheet:
    """Everything the bench shows and prints for one fulfilment, with the box suggestion."""
    fulfilment = get_fulfilment(session, fulfilment_id)
    if fulfilment.state not in PACKABLE:
        raise IllegalTransitionError(
            f"fulfilment {fulfilment_id} is {fulfilment.state}; only picked orders can be packed",
            field="fulfilment_id",
        )
    units: dict[str, int] = {}
    for line in fulfilment.lines:
        if line.live_qty:
            units[line.sku] = units.get(line.sku, 0) + line.live_qty
    products = {
        p.sku: p
        for p in session.scalars(
            select(Product).where(Product.sku.in_(list(units))).options(selectinload(Product.barcodes))
        )
    }
    lines = tuple(
        PackLine(
            sku=sku,
            name=products[sku].name,
            qty=qty,
            barcodes=tuple(b.barcode for b in products[sku].barcodes),
            weight_kg=products[sku].weight_kg,
            dims_cm=(products[sku].length_cm, products[sku].width_cm, products[sku].height_cm),
        )
        for sku, qty in units.items()
    )
    box = choose_box([Item(ln.sku, ln.dims_cm, ln.weight_kg, ln.qty) for ln in lines], boxes)
    order = fulfilment.order
    store = _ship_from(session, fulfilment.location_code)
    return PackSheet(
        fulfilment_id=fulfilment.id,
        order_id=order.id,
        state=fulfilment.state,
        delivery_method=order.delivery_method,
        placed_at=order.placed_at,
        promise_by=order.promise_by,
        ship_from=store,
        ship_to=_ship_to(order, store),
        carrier=fulfilment.carrier,
        service=fulfilment.service,
        eta=fulfilment.eta,
        tracking_number=tracking_number(fulfilment.id, fulfilment.carrier or "store"),
        lines=lines,
        box=box,
    )


def record_packed(
    session: Session, fulfilment_id: str, box_text: str, *, actor: Actor = SYSTEM, now: datetime | None = None
) -> str:
    """Every unit was checked: record `packed` (with the box used) unless it already is. Returns the state."""
    fulfilment = get_fulfilment(session, fulfilment_id)
    if fulfilment.state == "packed":
        return fulfilment.state
    if fulfilment.state != "picked":
        raise IllegalTransitionError(
            f"fulfilment {fulfilment_id} is {fulfilment.state}; it can be packed once it is picked",
            field="fulfilment_id",
        )
    reason = f"packed: {box_text}"[:120]
    record_fulfilment_action(
        session, fulfilment_id, "packed", reason=reason, actor=actor, now=now or utc_now()
    )
    return "packed"


def _finish(
    session: Session, fulfilment_id: str, method: str, action: str, actor: Actor, now: datetime | None
) -> ShipResult:
    fulfilment = get_fulfilment(session, fulfilment_id)
    if fulfilment.order.delivery_method != method:
        other = "mark it ready for pickup" if method == "ship" else "mark it shipped"
        raise ValidationError(
            f"order {fulfilment.order_id} is a {fulfilment.order.delivery_method} order; {other}",
            field="delivery_method",
        )
    if fulfilment.state != "packed":
        raise IllegalTransitionError(
            f"fulfilment {fulfilment_id} is {fulfilment.state}; check every item (packed) first",
            field="fulfilment_id",
        )
    number = tracking_number(fulfilment.id, fulfilment.carrier or "store") if method == "ship" else None
    leaving = sum(line.live_qty > 0 for line in fulfilment.lines) if action == "shipped" else 0
    record_fulfilment_action(
        session, fulfilment_id, action, tracking_number=number, actor=actor, now=now or utc_now()
    )
    return ShipResult(fulfilment_id, action, number, leaving)


def mark_shipped(
    session: Session, fulfilment_id: str, *, actor: Actor = SYSTEM, now: datetime | None = None
) -> ShipResult:
    """The parcel left with the carrier: `shipped` with its tracking number; the stock leaves the books."""
    return _finish(session, fulfilment_id, "ship", "shipped", actor, now)


def mark_ready_for_pickup(
    session: Session, fulfilment_id: str, *, actor: Actor = SYSTEM, now: datetime | None = None
) -> ShipResult:
    """A pickup order is bagged and on the pickup shelf; the stock leaves when the customer collects."""
    return _finish(session, fulfilment_id, "pickup", "ready_for_pickup", actor, now)
