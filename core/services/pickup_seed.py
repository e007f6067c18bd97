"""Many pickups at once, for the lookup benchmark and tests: generated people and bulk inserts.

Building 100,000 pickups through the services (feed entry, pick, pack, stage) would take longer
than the lookup it is meant to measure, so this writes the same rows directly: orders, one
fulfilment and pickup each, and the search trigrams exactly as `stage_for_pickup` computes them.
It is a fixture for measurements, never a way to take real orders in.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import insert
from sqlalchemy.orm import Session

from core.domain.pickup import hash_code, new_salt
from core.domain.search_keys import key_grams, search_terms
from core.storage.models import Fulfilment, Order, Pickup, PickupLine, PickupSearchGram

_FIRST = (
    "Ava Liam Olivia Noah Emma Oliver Sophia Elijah Isabella James Mia William Amelia Benjamin Harper Lucas "
    "Evelyn Henry Abigail Alexander Emily Michael Ella Daniel Elizabeth Matthew Sofia Jackson Avery Sebastian "
    "Scarlett Jack Grace Aiden Chloe Owen Victoria Samuel Riley Joseph Aria John Lily David Aurora Wyatt Zoey "
    "Carter Nora Julian Hannah Luke Zoe Grayson Stella Isaac Leah Jayden Hazel Theodore Violet Gabriel Aurelia"
)
FIRST = tuple(_FIRST.split())
_LAST = (
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson "
    "Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis "
    "Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall "
    "Rivera Campbell Mitchell Carter Roberts Kim Okafor Schneider Kowalski Dubois Rossi Novak Lindqvist Tanaka"
)
LAST = tuple(_LAST.split())
DOMAINS = ("example.com", "mail.example", "post.example", "inbox.example")


@dataclass(frozen=True, slots=True)
class Person:
    order_id: str
    name: str
    email: str
    phone: str


def people(n: int, seed: int = 7) -> list[Person]:
    """`n` customers: a first, sometimes a middle initial, and a last name; e-mail and phone to match."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        name = (
            f"{first} {rng.choice('ABCDEFGHJKLMNPRSTW')}. {last}" if rng.random() < 0.2 else f"{first} {last}"
        )
        email = f"{first.lower()}.{last.lower()}{rng.randrange(100)}@{rng.choice(DOMAINS)}"
        phone = f"+1 {rng.randrange(200, 999)} {rng.randrange(200, 999)} {rng.randrange(10000):04d}"
        out.append(Person(f"P{i + 1:07d}", name, email, phone))
    return out


def seed_pickups(
    session: Session,
    location: str,
    sku: str,
    persons: list[Person],
    *,
    now: datetime,
    open_share: float = 0.05,
    seed: int = 7,
    chunk: int = 5000,
) -> int:
    """Insert one single-unit pickup per person at `location`; `open_share` of them still waiting."""
    rng = random.Random(seed)
    salt = new_salt()
    code_hash = hash_code("000000", salt)  # never verified: the benchmark only looks pickups up
    for start in range(0, len(persons), chunk):
        orders, fulfilments, pickups, lines, grams = [], [], [], [], []
        for p in persons[start : start + chunk]:
            waiting = rng.random() < open_share
            ready = now - timedelta(hours=rng.randrange(1, 24 * 60))
            fid = f"{p.order_id}-{location}"
            terms = search_terms(p.order_id, p.name, p.phone, p.email)
            orders.append(
                dict(
                    id=p.order_id,
                    channel="web",
                    placed_at=ready - timedelta(days=1),
                    customer_name=p.name,
                    customer_email=p.email,
                    customer_phone=p.phone,
                    delivery_method="pickup",
                    ship_postal_code="",
                    ship_country="US",
                    ship_latitude=None,
                    ship_longitude=None,
                    pickup_location=location,
                    promise_by=None,
                    state="ready_for_pickup" if waiting else "completed",
                    total=Decimal("19.99"),
                    payload_hash="",
                    created_at=ready,
                    updated_at=ready,
                )
            )
            fulfilments.append(
                dict(
                    id=fid,
                    order_id=p.order_id,
                    location_code=location,
                    state="ready_for_pickup" if waiting else "collected",
                    carrier="",
                    service="",
                    shipping_cost=None,
                    eta=None,
                    decision_id=None,
                    created_at=ready,
                    updated_at=ready,
                )
            )
            pickups.append(
                dict(
                    id=fid,
                    order_id=p.order_id,
                    location_code=location,
                    state="ready" if waiting else "collected",
                    shelf="PICKUP",
                    bags=1,
                    code_salt=salt,
                    code_hash=code_hash,
                    failed_attempts=0,
                    locked_at=None,
                    proxy_name="",
                    verified_at=None,
                    verified_by="",
                    verified_method="",
                    collector_name="",
                    collector_kind="",
                    id_type="",
                    id_last4="",
                    signature=None,
                    signature_kind="",
                    search_key=" ".join(terms)[:600],
                    ready_at=ready,
                    claim_by=ready + timedelta(days=7),
                    reminders_sent=0,
                    visits=0 if waiting else 1,
                    closed_at=None if waiting else ready,
                    updated_at=ready,
                )
            )
            lines.append(
                dict(
                    pickup_id=fid,
                    sku=sku,
                    qty=1,
                    collected_qty=0 if waiting else 1,
                    held_qty=0,
                    refunded_qty=0,
                    left_reason="",
                )
            )
            grams += [dict(pickup_id=fid, gram=g, active=waiting) for g in key_grams(terms)]
        for model, rows in (
            (Order, orders),
            (Fulfilment, fulfilments),
            (Pickup, pickups),
            (PickupLine, lines),
            (PickupSearchGram, grams),
        ):
            session.execute(insert(model.__table__), rows)  # Core executemany: no ORM bookkeeping per row
        session.flush()
    return len(persons)
