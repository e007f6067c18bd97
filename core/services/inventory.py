"""Recording stock movements, reserving stock for fulfilments, and network visibility.

A batch of movements is all-or-nothing: every check runs before the first write, so a refused
batch leaves the ledger and balances as they were. Movement ids come from where the change
happened, which makes a retried batch harmless: a known id with the same content is a duplicate,
with other content a conflict.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from core.domain.errors import ConflictError, InsufficientStockError, ValidationError
from core.domain.inventory import Bucket, MovementSpec, Reason, utc_now
from core.domain.network import StockLevel
from core.domain.parsing import require_quantity
from core.domain.stock_lookup import StockLine
from core.services.lookups import chunked, require_locations, require_products
from core.services.positions import lock_positions
from core.storage.bulk import insert_missing
from core.storage.models import Bin, Location, Movement, Reservation, ReservationStatus, StockPosition

Outcome = Literal["applied", "duplicate"]


@dataclass(frozen=True, slots=True)
class MovementResult:
    id: uuid.UUID
    outcome: Outcome


def _same_movement(row: Movement, spec: MovementSpec) -> bool:
    return (row.location_code, row.sku, row.qty, row.bucket, row.reason, row.reference, row.occurred_at) == (
        spec.location,
        spec.sku,
        spec.qty,
        spec.bucket.value,
        spec.reason.value,
        spec.reference,
        spec.occurred_at,
    )


def _split_known(
    session: Session, specs: Sequence[MovementSpec]
) -> tuple[list[MovementSpec], set[uuid.UUID]]:
    """Separate new movements from replays of ones already in the ledger (or earlier in the batch)."""
    known: dict[uuid.UUID, Movement] = {}
    for chunk in chunked([s.id for s in specs]):
        known.update((m.id, m) for m in session.scalars(select(Movement).where(Movement.id.in_(chunk))))
    fresh: dict[uuid.UUID, MovementSpec] = {}
    duplicates: set[uuid.UUID] = set()
    for spec in specs:
        earlier = known.get(spec.id)
        if earlier is not None:
            if not _same_movement(earlier, spec):
                raise ConflictError(
                    f"movement {spec.id} was already recorded with different content", field="id"
                )
            duplicates.add(spec.id)
        elif spec.id in fresh:
            if fresh[spec.id] != spec:
                raise ConflictError(
                    f"movement {spec.id} appears twice in the batch with different content", field="id"
                )
            duplicates.add(spec.id)
        else:
            fresh[spec.id] = spec
    return list(fresh.values()), duplicates


def movement_fields(spec: MovementSpec) -> dict[str, object]:
    """What a movement says besides where and when: shared by the ledger row and the wire event."""
    return {
        "sku": spec.sku,
        "qty": spec.qty,
        "bucket": spec.bucket.value,
        "reason": spec.reason.value,
        "reference": spec.reference,
        "device": spec.device,
    }


def movement_row(spec: MovementSpec, recorded_at: datetime) -> dict[str, object]:
    """A ledger row as an INSERT's parameters."""
    return {
        "id": spec.id,
        "location_code": spec.location,
        **movement_fields(spec),
        "occurred_at": spec.occurred_at,
        "recorded_at": recorded_at,
    }


def _check_result(
    position: StockPosition, location: Location, bucket: Bucket, after: int, delta: int, allow_negative: bool
) -> None:
    if after >= 0 or (bucket is Bucket.SELLABLE and (allow_negative or location.allow_negative_stock)):
        return
    before = after - delta
    where = f"{position.location_code}/{position.sku}"
    rule = "does not allow negative stock" if bucket is Bucket.SELLABLE else f"cannot hold negative {bucket}"
    raise InsufficientStockError(
        f"{where}: {bucket} {before} {delta:+d} would be {after}; {position.location_code} {rule}",
        field="qty",
    )


def record_movements(
    session: Session,
    specs: Sequence[MovementSpec],
    *,
    recorded_at: datetime | None = None,
    allow_negative_sellable: bool = False,
) -> list[MovementResult]:
    """Append movements to the ledger and apply them to balances in the caller's transaction.

    `allow_negative_sellable` is for facts that already happened elsewhere (a store's offline sale
    reaching the hub): refusing them would not bring the units back, only hide that they left.
    """
    fresh, duplicates = _split_known(session, specs)
    if fresh:
        locations = require_locations(session, {s.location for s in fresh})
        require_products(session, {s.sku for s in fresh})
        positions = lock_positions(session, ((s.location, s.sku) for s in fresh))
        deltas: dict[tuple[str, str, Bucket], int] = defaultdict(int)
        for spec in fresh:
            deltas[(spec.location, spec.sku, spec.bucket)] += spec.qty
        for (loc, sku, bucket), delta in sorted(deltas.items()):
            position = positions[(loc, sku)]
            _check_result(
                position,
                locations[loc],
                bucket,
                getattr(position, bucket.value) + delta,
                delta,
                allow_negative_sellable,
            )
        for (loc, sku, bucket), delta in deltas.items():
            position = positions[(loc, sku)]
            setattr(position, bucket.value, getattr(position, bucket.value) + delta)
        stamp = recorded_at or utc_now()
        session.execute(insert(Movement), [movement_row(s, stamp) for s in fresh])
        session.flush()
    return [MovementResult(s.id, "duplicate" if s.id in duplicates else "applied") for s in specs]


def reserve(
    session: Session,
    location: str,
    sku: str,
    qty: int,
    *,
    fulfilment_id: str | None = None,
    reference: str = "",
    now: datetime | None = None,
) -> Reservation:
    """Promise units to a fulfilment; refused when available-to-promise is short."""
    require_quantity(qty)
    if qty < 0:
        raise ValidationError(f"{qty} is negative; release a reservation instead", field="qty")
    require_locations(session, [location])
    require_products(session, [sku])
    position = lock_positions(session, [(location, sku)])[(location, sku)]
    if position.atp < qty:
        raise InsufficientStockError(
            f"{location}/{sku}: ATP {position.atp} < {qty} requested "
            f"(sellable {position.sellable}, reserved {position.reserved}, safety stock {position.safety_stock})",
            field="qty",
        )
    position.reserved += qty
    reservation = Reservation(
        id=uuid.uuid4(),
        location_code=location,
        sku=sku,
        qty=qty,
        fulfilment_id=fulfilment_id,
        reference=reference,
        status=ReservationStatus.ACTIVE,
        created_at=now or utc_now(),
    )
    session.add(reservation)
    session.flush()
    return reservation


def close_reservations(
    session: Session,
    reservations: Sequence[Reservation],
    outcome: ReservationStatus,
    *,
    now: datetime | None = None,
) -> int:
    """Release (nothing shipped) or consume (the stock left) active reservations; returns units freed."""
    if outcome is ReservationStatus.ACTIVE:
        raise ValidationError("a reservation can only be closed as released or consumed", field="status")
    active = [r for r in reservations if r.status == ReservationStatus.ACTIVE]
    positions = lock_positions(session, ((r.location_code, r.sku) for r in active))
    for r in active:
        positions[(r.location_code, r.sku)].reserved -= r.qty
        r.status = outcome
        r.closed_at = now or utc_now()
    session.flush()
    return sum(r.qty for r in active)


def set_safety_stock(session: Session, location: str, sku: str, units: int) -> None:
    require_quantity(units, field="safety_stock", allow_zero=True)
    if units < 0:
        raise ValidationError(f"{units} is negative", field="safety_stock")
    require_locations(session, [location])
    require_products(session, [sku])
    lock_positions(session, [(location, sku)])[(location, sku)].safety_stock = units


def network_stock(session: Session, sku: str) -> list[StockLine]:
    """Where a SKU is across the network, one line per location that has ever held it."""
    require_products(session, [sku])
    rows = session.execute(
        select(Location.code, Location.name, Location.type, StockPosition)
        .join(StockPosition, StockPosition.location_code == Location.code)
        .where(StockPosition.sku == sku)
        .order_by(Location.type, Location.code)
    )
    return [
        StockLine(
            code,
            name,
            kind,
            p.sellable,
            p.damaged,
            p.quarantine,
            p.in_transit,
            p.reserved,
            p.safety_stock,
            p.bin_code,
        )
        for code, name, kind, p in rows
    ]


def set_stock_levels(
    session: Session,
    levels: Sequence[StockLevel],
    *,
    reason: Reason = Reason.COUNT,
    reference: str = "",
    device: str = "",
) -> int:
    """Bring sellable stock to counted levels through ledger movements of the differences.

    Safety stock and the home bin are settings, not stock, so they are written directly; a bin
    named here that the location does not know yet is created.
    """
    require_locations(session, {level.location for level in levels})
    require_products(session, {level.sku for level in levels})
    positions = lock_positions(session, ((level.location, level.sku) for level in levels))
    moves = []
    for level in levels:
        require_quantity(level.on_hand, field="on_hand", allow_zero=True)
        position = positions[(level.location, level.sku)]
        if level.on_hand != position.sellable:
            moves.append(
                MovementSpec(
                    level.location,
                    level.sku,
                    level.on_hand - position.sellable,
                    reason,
                    reference=reference,
                    device=device,
                )
            )
        if level.safety_stock is not None:
            position.safety_stock = level.safety_stock
        if level.bin:
            position.bin_code = level.bin
    named_bins = sorted({(level.location, level.bin) for level in levels if level.bin})
    insert_missing(session, Bin, [{"location_code": loc, "code": code} for loc, code in named_bins])
    record_movements(session, moves)
    return len(moves)
