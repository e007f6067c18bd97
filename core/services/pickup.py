"""Pickup orders at the counter: staging a packed order on the shelf, its code and QR, and the
settings and shared helpers the other pickup services use.

Staging is where a pickup begins: the fulfilment moves to `ready_for_pickup` (through
`packing.mark_ready_for_pickup`, which queues the step for the hub), the pickup row gets its
shelf, a fresh six-digit code (kept only as a salted hash) and its search trigrams, and the
"ready for pickup" e-mail with the code and the signed QR payload is queued — all in the caller's
one transaction. The code is returned once, for that e-mail and the demo; it is in no log.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from core.domain.associates import Role
from core.domain.errors import ConflictError, IllegalTransitionError, NotFoundError, ValidationError
from core.domain.inventory import utc_now
from core.domain.lifecycle import ORDER_MACHINE, OrderState
from core.domain.pickup import (
    OPEN_STATES,
    PickupSettings,
    PickupState,
    hash_code,
    new_code,
    new_salt,
    qr_payload,
)
from core.domain.search_keys import key_grams, search_terms
from core.services import audit
from core.services.associates import require_role
from core.services.notifications import queue_email
from core.services.orders import SYSTEM, Actor, get_fulfilment, transition_order
from core.services.outbox import get_setting, set_setting, settings
from core.services.packing import mark_ready_for_pickup
from core.storage.models import Location, Order, Pickup, PickupLine, PickupSearchGram


def pickup_settings(session: Session) -> PickupSettings:
    return PickupSettings.from_mapping(settings(session))


def save_pickup_settings(
    session: Session, new: PickupSettings, *, actor: Actor = SYSTEM, now: datetime | None = None
) -> None:
    """Shelf, reminder days and the unclaimed timeout are the store manager's decision."""
    require_role(session, actor, Role.MANAGER)
    for key, value in new.as_mapping().items():
        set_setting(session, key, value, now=now)
    audit.record(session, actor, "pickup.settings", "pickup", str(new.as_mapping()), now=now)


def qr_key(session: Session, location: str) -> bytes:
    """The store's QR signing key, made on first use and kept in the store's settings."""
    name = f"qrkey:{location}"
    value = get_setting(session, name)
    if value is None:
        value = secrets.token_hex(32)
        set_setting(session, name, value)
    return bytes.fromhex(value)


def get_pickup(session: Session, pickup_id: str) -> Pickup:
    pickup = session.get(Pickup, pickup_id)
    if pickup is None:
        raise NotFoundError(f"no pickup {pickup_id} at this store", field="pickup_id")
    return pickup


def require_open(pickup: Pickup) -> None:
    if pickup.state not in OPEN_STATES:
        raise IllegalTransitionError(
            f"order {pickup.order_id} is {pickup.state}; nothing to hand over", field="pickup_id"
        )


def store_name(session: Session, code: str) -> str:
    location = session.get(Location, code)
    return location.name if location is not None else code


def advance_order(
    session: Session, order: Order, target: OrderState, actor: Actor, reason: str, now: datetime
) -> None:
    """Move the order along when its machine allows it; a store's copy may be behind the hub's."""
    if order.state != target and target in ORDER_MACHINE.allowed(OrderState(order.state)):
        transition_order(session, order.id, target, actor=actor, reason=reason, now=now)


def close(session: Session, pickup: Pickup, state: PickupState, now: datetime) -> None:
    """A pickup leaves the open list: its trigrams stop answering the default lookup."""
    pickup.state, pickup.updated_at = state.value, now
    if state not in OPEN_STATES:
        pickup.closed_at = now
        session.execute(
            update(PickupSearchGram).where(PickupSearchGram.pickup_id == pickup.id).values(active=False)
        )
    session.flush()


@dataclass(frozen=True, slots=True)
class StagedPickup:
    pickup_id: str
    order_id: str
    shelf: str
    bags: int
    claim_by: datetime
    code: str = field(repr=False)
    qr_payload: str = field(repr=False)


def _ready_email(session: Session, pickup: Pickup, order: Order, code: str, qr: str, now: datetime) -> None:
    store = store_name(session, pickup.location_code)
    body = (
        f"Hello {order.customer_name},\n\nyour order {order.id} is ready for pickup at {store}.\n\n"
        f"Your pickup code: {code}\nShow this code or the QR code below at the counter, or bring a photo ID.\n"
        f"Someone else may collect it for you if you name them to the store.\n\n"
        f"We keep it for you until {pickup.claim_by:%A %d %B %Y}.\n\nQR: {qr}\n"
    )
    queue_email(
        session,
        "ready_for_pickup",
        order.customer_email,
        f"Your order {order.id} is ready for pickup",
        body,
        order_id=order.id,
        pickup_id=pickup.id,
        now=now,
    )


def _new_code(session: Session, pickup: Pickup, order: Order) -> tuple[str, str]:
    code, salt = new_code(), new_salt()
    pickup.code_salt, pickup.code_hash = salt, hash_code(code, salt)
    qr = qr_payload(pickup.location_code, order.id, pickup.id, code, qr_key(session, pickup.location_code))
    return code, qr


def stage_for_pickup(
    session: Session,
    fulfilment_id: str,
    *,
    shelf: str | None = None,
    bags: int = 1,
    actor: Actor = SYSTEM,
    now: datetime | None = None,
) -> StagedPickup:
    """Put a packed pickup order on the staging shelf (default: the store's setting) and tell the customer."""
    require_role(session, actor, Role.ASSOCIATE)
    stamp = now or utc_now()
    fulfilment = get_fulfilment(session, fulfilment_id)
    order = fulfilment.order
    if order.delivery_method != "pickup":
        raise ValidationError(
            f"order {order.id} is a {order.delivery_method} order, not a pickup", field="fulfilment_id"
        )
    existing = session.get(Pickup, fulfilment_id)
    if existing is not None:
        raise ConflictError(
            f"order {order.id} is already on shelf {existing.shelf} ({existing.state})", field="fulfilment_id"
        )
    if not 0 <= bags <= 20:
        raise ValidationError(f"{bags} bags? give 0 to 20", field="bags")
    config = pickup_settings(session)
    place = (shelf or config.shelf).strip()
    if not place or len(place) > 32:
        raise ValidationError("a staging shelf is 1 to 32 characters", field="shelf")
    if fulfilment.state == "packed":
        mark_ready_for_pickup(session, fulfilment_id, actor=actor, now=stamp)
    elif fulfilment.state != "ready_for_pickup":
        raise IllegalTransitionError(
            f"fulfilment {fulfilment_id} is {fulfilment.state}; pack it before it goes on the pickup shelf",
            field="fulfilment_id",
        )
    units: dict[str, int] = {}
    for line in fulfilment.lines:
        if line.live_qty:
            units[line.sku] = units.get(line.sku, 0) + line.live_qty
    terms = search_terms(order.id, order.customer_name, order.customer_phone, order.customer_email)
    pickup = Pickup(
        id=fulfilment_id,
        order_id=order.id,
        location_code=fulfilment.location_code,
        state=PickupState.READY.value,
        shelf=place,
        bags=bags,
        failed_attempts=0,
        proxy_name="",
        search_key=" ".join(terms)[:600],
        ready_at=stamp,
        claim_by=stamp + timedelta(days=config.unclaimed_days),
        reminders_sent=0,
        updated_at=stamp,
        lines=[PickupLine(sku=sku, qty=qty) for sku, qty in sorted(units.items())],
    )
    code, qr = _new_code(session, pickup, order)
    session.add(pickup)
    session.flush()
    session.execute(
        insert(PickupSearchGram),
        [{"pickup_id": pickup.id, "gram": g, "active": True} for g in sorted(key_grams(terms))],
    )
    others = [
        f.state
        for f in order.fulfilments
        if f.id != fulfilment_id and f.state not in ("cancelled", "rejected")
    ]
    if all(s in ("ready_for_pickup", "collected") for s in others):
        advance_order(session, order, OrderState.READY_FOR_PICKUP, actor, "ready for pickup", stamp)
    _ready_email(session, pickup, order, code, qr, stamp)
    audit.record(session, actor, "pickup.staged", pickup.id, f"shelf {place}, {bags} bag(s)", now=stamp)
    return StagedPickup(pickup.id, order.id, place, bags, pickup.claim_by, code, qr)


def reissue_code(
    session: Session, pickup_id: str, *, actor: Actor = SYSTEM, now: datetime | None = None
) -> StagedPickup:
    """A new code and QR (the customer lost theirs): the old ones stop working, a new e-mail is queued."""
    require_role(session, actor, Role.ASSOCIATE)
    stamp = now or utc_now()
    pickup = get_pickup(session, pickup_id)
    require_open(pickup)
    order = session.get(Order, pickup.order_id)
    assert order is not None
    code, qr = _new_code(session, pickup, order)
    pickup.updated_at = stamp
    _ready_email(session, pickup, order, code, qr, stamp)
    audit.record(session, actor, "pickup.code_reissued", pickup.id, now=stamp)
    session.flush()
    return StagedPickup(pickup.id, order.id, pickup.shelf, pickup.bags, pickup.claim_by, code, qr)


def name_proxy(
    session: Session, pickup_id: str, proxy_name: str, *, actor: Actor = SYSTEM, now: datetime | None = None
) -> None:
    """The customer names someone who may collect for them with their own ID (empty: nobody)."""
    require_role(session, actor, Role.ASSOCIATE)
    pickup = get_pickup(session, pickup_id)
    require_open(pickup)
    name = " ".join(proxy_name.split())
    if len(name) > 120:
        raise ValidationError("a name is at most 120 characters", field="proxy_name")
    pickup.proxy_name, pickup.updated_at = name, now or utc_now()
    audit.record(session, actor, "pickup.proxy_named", pickup.id, name or "(none)", now=now)
    session.flush()


def open_pickups(session: Session, location: str) -> list[Pickup]:
    """Everything waiting on the shelves, oldest first."""
    return list(
        session.scalars(
            select(Pickup)
            .where(Pickup.location_code == location, Pickup.state.in_([s.value for s in OPEN_STATES]))
            .order_by(Pickup.ready_at, Pickup.id)
        )
    )
