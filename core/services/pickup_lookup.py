"""Finding a pickup at the counter: by QR code, order number, or the customer's name, phone or e-mail,
partly typed or mistyped.

A QR payload and an exact order number go straight to the row. Anything else is searched in two
steps (see `core.domain.search_keys`): SQL counts shared trigrams on the indexed `pickup_search`
table and keeps the 120 best rows, then each is scored word by word here. Only open
pickups are searched unless `include_closed` is set (the index leads with `active`).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from core.domain.errors import NotFoundError, ValidationError
from core.domain.pickup import MAX_CODE_ATTEMPTS, OPEN_STATES, QR_PREFIX, QrCheck, check_qr
from core.domain.pickup_desk import PickupCard
from core.domain.search_keys import query_grams, query_terms, score
from core.services.lookups import chunked
from core.services.pickup import qr_key
from core.storage.models import Order, Pickup, PickupSearchGram

CANDIDATES = 120


def card(pickup: Pickup, order: Order, match: float = 1.0) -> PickupCard:
    due = sum(ln.qty - ln.collected_qty - ln.refunded_qty for ln in pickup.lines)
    return PickupCard(
        pickup.id,
        order.id,
        order.customer_name,
        order.customer_phone,
        order.customer_email,
        pickup.proxy_name,
        pickup.shelf,
        pickup.bags,
        due,
        pickup.state,
        pickup.ready_at,
        pickup.claim_by,
        max(0, MAX_CODE_ATTEMPTS - pickup.failed_attempts),
        pickup.locked_at is not None,
        round(match, 3),
    )


def _cards(session: Session, pickups: Sequence[Pickup]) -> list[PickupCard]:
    orders = {
        o.id: o for o in session.scalars(select(Order).where(Order.id.in_({p.order_id for p in pickups})))
    }
    return [card(p, orders[p.order_id]) for p in pickups]


def check_pickup_qr(session: Session, payload: str, location: str) -> QrCheck:
    """The verdict on a scanned QR at this store (pure rules, with this store's key and states)."""

    def state_of(pickup_id: str) -> str | None:
        pickup = session.get(Pickup, pickup_id)
        return pickup.state if pickup is not None and pickup.location_code == location else None

    return check_qr(payload, store=location, key=qr_key(session, location), state_of=state_of)


def pickup_by_qr(session: Session, payload: str, location: str) -> PickupCard:
    """The pickup a QR code names, or an error saying why it cannot be used here."""
    verdict = check_pickup_qr(session, payload, location)
    if not verdict.ok or verdict.claim is None:
        raise ValidationError(verdict.message, field="qr")
    pickup = session.get(Pickup, verdict.claim.fulfilment_id)
    assert pickup is not None
    return _cards(session, [pickup])[0]


def find_pickups(
    session: Session,
    query: str,
    *,
    location: str,
    include_closed: bool = False,
    limit: int = 20,
) -> list[PickupCard]:
    """Best matches first. A QR payload is checked like a scan (and refused with its reason)."""
    text = query.strip()
    if len(text) < 2:
        raise ValidationError("type at least 2 characters (or scan the QR code)", field="query")
    if text.startswith(f"{QR_PREFIX}."):
        return [pickup_by_qr(session, text, location)]
    states = [s.value for s in OPEN_STATES]
    exact = select(Pickup).where(
        Pickup.location_code == location, or_(Pickup.order_id == text, Pickup.id == text)
    )
    if not include_closed:
        exact = exact.where(Pickup.state.in_(states))
    found = list(session.scalars(exact.options(selectinload(Pickup.lines))))
    if found:
        return _cards(session, found)
    terms = query_terms(text)
    grams = sorted(query_grams(terms))
    if not grams:
        return []
    active = [True] if not include_closed else [True, False]
    hits = func.count().label("hits")
    narrowed = session.execute(
        select(PickupSearchGram.pickup_id, hits)
        .where(PickupSearchGram.active.in_(active), PickupSearchGram.gram.in_(grams))
        .group_by(PickupSearchGram.pickup_id)
        .order_by(hits.desc(), PickupSearchGram.pickup_id)
        .limit(CANDIDATES)
    ).all()
    ids = [row[0] for row in narrowed]
    keys: list = []
    for chunk in chunked(ids):  # plain columns: building ORM rows for every candidate costs more than scoring
        keys += session.execute(
            select(Pickup.id, Pickup.search_key, Pickup.state, Pickup.ready_at).where(
                Pickup.id.in_(chunk), Pickup.location_code == location
            )
        ).all()
    scored = [(score(terms, key.split()), pid, state, ready) for pid, key, state, ready in keys]
    ranked = sorted((x for x in scored if x[0] > 0), key=lambda x: (-x[0], x[2] not in states, x[3], x[1]))[
        :limit
    ]
    pickups = {
        p.id: p
        for p in session.scalars(
            select(Pickup).where(Pickup.id.in_([x[1] for x in ranked])).options(selectinload(Pickup.lines))
        )
    }
    orders = {
        o.id: o
        for o in session.scalars(select(Order).where(Order.id.in_({p.order_id for p in pickups.values()})))
    }
    return [card(pickups[pid], orders[pickups[pid].order_id], m) for m, pid, _, _ in ranked]


def pickup_card(session: Session, pickup_id: str) -> PickupCard:
    pickup = session.get(Pickup, pickup_id)
    if pickup is None:
        raise NotFoundError(f"no pickup {pickup_id} at this store", field="pickup_id")
    return _cards(session, [pickup])[0]


def waiting_pickups(session: Session, *, location: str, limit: int = 60) -> list[PickupCard]:
    """What waits on the shelves before anyone types: the oldest first (the next to time out)."""
    pickups = session.scalars(
        select(Pickup)
        .where(Pickup.location_code == location, Pickup.state.in_([s.value for s in OPEN_STATES]))
        .order_by(Pickup.ready_at, Pickup.id)
        .limit(limit)
        .options(selectinload(Pickup.lines))
    )
    return _cards(session, list(pickups))
