"""Helpers for the store-client tests: store databases on real SQLite files and feed entries built
with the wire models, so a drift from `sync.protocol` fails here too."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from core.domain.inventory import Reason
from core.services.checks import run_checks
from core.services.outbox import SyncKey, set_setting
from core.services.store_pull import PulledChange
from core.storage.database import Database
from core.storage.models import Movement, StockPosition
from sync.protocol import (
    AssignedLine,
    Balance,
    ChangeKind,
    FulfilmentAssigned,
    StockBalances,
    change,
)

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def open_store(path: Path, location: str | None = None) -> Database:
    """A store database on a real SQLite file; with `location`, set up as if enrolled there."""
    db = Database.open(str(path))
    if location:
        with db.transaction() as session:
            set_setting(session, SyncKey.LOCATION, location)
    return db


def assigned(
    fulfilment_id: str,
    location: str,
    lines: Sequence[tuple[str, int]],
    *,
    state: str = "assigned",
    seq: int = 1,
) -> PulledChange:
    payload = FulfilmentAssigned(
        fulfilment_id=fulfilment_id,
        order_id=fulfilment_id.split("-")[0],
        location=location,
        state=state,
        customer_name="Ava Kim",
        delivery_method="ship",
        lines=[AssignedLine(sku=sku, qty=qty, name=f"Product {sku}") for sku, qty in lines],
        created_at=T0,
    )
    return _core(change(seq, ChangeKind.FULFILMENT_ASSIGNED, payload))


def stock(location: str, balances: dict[str, int], *, complete: bool = True, seq: int = 1) -> PulledChange:
    rows = [
        Balance(sku=sku, sellable=qty, damaged=0, quarantine=0, in_transit=0, reserved=0, safety_stock=0)
        for sku, qty in sorted(balances.items())
    ]
    return _core(
        change(seq, ChangeKind.STOCK, StockBalances(location=location, complete=complete, balances=rows))
    )


def _core(entry: Any) -> PulledChange:
    return PulledChange(entry.seq, entry.kind.value, entry.payload)


def balances(db: Database, location: str, bucket: str = "sellable") -> dict[str, int]:
    with db.transaction() as session:
        rows = session.execute(
            select(StockPosition.sku, getattr(StockPosition, bucket)).where(
                StockPosition.location_code == location
            )
        )
        return {sku: qty for sku, qty in rows if qty}


def ledger_ids(db: Database, location: str, *, without_snapshots: bool = True) -> list[str]:
    with db.transaction() as session:
        query = select(Movement.id).where(Movement.location_code == location)
        if without_snapshots:
            query = query.where(Movement.reason != Reason.SNAPSHOT.value)
        return sorted(str(i) for i in session.scalars(query))


def movement_count(db: Database) -> int:
    with db.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(Movement)) or 0)


def assert_consistent(db: Database) -> None:
    """`balance == Σ ledger`, reservations, audit trails: every invariant `oms check` knows."""
    with db.transaction() as session:
        problems = run_checks(session)
    assert not problems, "\n".join(map(str, problems))
