"""Restock and inspection tasks: units that wait in quarantine until someone puts them back.

Units that come back to the store's care without being checked (an unclaimed pickup bag, units a
customer declined at the counter, a return that needs a closer look) are moved to the quarantine
bucket by ledger movements that sync like any other, so neither the store nor the network sells
them while they sit at the counter. Scanning them back onto the shelf (restock) or deciding an
inspection moves them to sellable or damaged, again as movements, in the same transaction as the
task's progress.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.domain.errors import NotFoundError, ValidationError
from core.domain.inventory import Bucket, MovementSpec, Reason, utc_now
from core.domain.return_desk import TASK_PREFIX, TaskCard, TaskProgress
from core.services.catalog import product_by_barcode
from core.services.orders import SYSTEM, Actor
from core.services.store_ops import record_store_movements
from core.storage.models import Product, StoreTask

RESTOCK, INSPECTION = "restock", "inspection"


def _move(
    location: str,
    sku: str,
    qty: int,
    source: Bucket,
    target: Bucket,
    reason: Reason,
    ref: str,
    actor: Actor,
    now: datetime,
) -> list[MovementSpec]:
    return [
        MovementSpec(
            location, sku, -qty, reason, source, reference=ref, device=actor.device, occurred_at=now
        ),
        MovementSpec(location, sku, qty, reason, target, reference=ref, device=actor.device, occurred_at=now),
    ]


def open_task(
    session: Session,
    kind: str,
    location: str,
    units: Mapping[str, int],
    *,
    reference: str,
    note: str = "",
    hold: Bucket | None = None,
    reason: Reason = Reason.ADJUSTMENT,
    actor: Actor = SYSTEM,
    now: datetime | None = None,
) -> list[StoreTask]:
    """One task per SKU. With `hold`, the units first move from that bucket into quarantine; without
    it they are taken into quarantine from outside the store's stock (units a customer brings back)."""
    stamp = now or utc_now()
    moves: list[MovementSpec] = []
    tasks: list[StoreTask] = []
    for sku, qty in sorted(units.items()):
        if qty <= 0:
            continue
        ref = f"{kind} {reference}"[:120]
        if hold is not None:
            moves += _move(location, sku, qty, hold, Bucket.QUARANTINE, reason, ref, actor, stamp)
        else:
            moves.append(
                MovementSpec(
                    location,
                    sku,
                    qty,
                    reason,
                    Bucket.QUARANTINE,
                    reference=ref,
                    device=actor.device,
                    occurred_at=stamp,
                )
            )
        task = StoreTask(
            kind=kind,
            location_code=location,
            sku=sku,
            qty=qty,
            done_qty=0,
            reference=reference[:120],
            note=note[:240],
            state="open",
            created_at=stamp,
            closed_by="",
        )
        session.add(task)
        tasks.append(task)
    if moves:
        record_store_movements(session, moves)
    session.flush()
    return tasks


def open_tasks(session: Session, kind: str | None = None) -> list[TaskCard]:
    query = (
        select(StoreTask, Product.name)
        .join(Product, Product.sku == StoreTask.sku)
        .where(StoreTask.state == "open")
        .order_by(StoreTask.created_at, StoreTask.id)
    )
    if kind is not None:
        query = query.where(StoreTask.kind == kind)
    return [
        TaskCard(t.id, t.kind, t.sku, name, t.qty, t.done_qty, t.reference, t.note, t.created_at)
        for t, name in session.execute(query)
    ]


def _advance(task: StoreTask, units: int, actor: Actor, now: datetime) -> None:
    task.done_qty += units
    if task.done_qty >= task.qty:
        task.state, task.closed_at, task.closed_by = "done", now, actor.user


def scan_restock(
    session: Session, code: str, *, location: str, actor: Actor = SYSTEM, now: datetime | None = None
) -> TaskProgress:
    """A restock scan: a task label puts all its units back, a product barcode (or SKU) one unit of
    the oldest open restock task for it. The units become sellable again, here and at the hub."""
    stamp = now or utc_now()
    code = code.strip()
    if code.upper().startswith(TASK_PREFIX):
        task = (
            session.get(StoreTask, int(code[len(TASK_PREFIX) :]))
            if code[len(TASK_PREFIX) :].isdigit()
            else None
        )
        if task is None or task.kind != RESTOCK or task.location_code != location:
            raise NotFoundError(f"{code} is not a restock task of {location}", field="code")
        if task.state != "open":
            raise ValidationError(f"restock task {task.id} is already done", field="code")
        units = task.qty - task.done_qty
    else:
        product = product_by_barcode(session, code) or session.get(Product, code)
        if product is None:
            raise NotFoundError(f"{code} is no product of this store", field="code")
        task = session.scalar(
            select(StoreTask)
            .where(
                StoreTask.kind == RESTOCK,
                StoreTask.state == "open",
                StoreTask.sku == product.sku,
                StoreTask.location_code == location,
            )
            .order_by(StoreTask.created_at, StoreTask.id)
            .limit(1)
        )
        if task is None:
            raise ValidationError(f"no restock task waits for {product.name} ({product.sku})", field="code")
        units = 1
    ref = f"restock task {task.id}"
    record_store_movements(
        session,
        _move(
            location,
            task.sku,
            units,
            Bucket.QUARANTINE,
            Bucket.SELLABLE,
            Reason.ADJUSTMENT,
            ref,
            actor,
            stamp,
        ),
    )
    _advance(task, units, actor, stamp)
    session.flush()
    text = f"{task.sku}: {task.done_qty} of {task.qty} back on the shelf"
    return TaskProgress(
        task.id, task.sku, task.done_qty, task.qty, text + (" (task done)" if task.state == "done" else "")
    )


def resolve_inspection(
    session: Session,
    task_id: int,
    *,
    sellable: int,
    damaged: int,
    actor: Actor = SYSTEM,
    now: datetime | None = None,
) -> TaskProgress:
    """Decide inspected units: `sellable` go back on sale, `damaged` to the damaged bucket."""
    task = session.get(StoreTask, task_id)
    if task is None or task.kind != INSPECTION:
        raise NotFoundError(f"no inspection task {task_id}", field="task_id")
    left = task.qty - task.done_qty
    if task.state != "open" or sellable < 0 or damaged < 0 or sellable + damaged != left:
        raise ValidationError(
            f"inspection {task_id} has {left} unit(s) to decide; {sellable} sellable + {damaged} damaged given",
            field="sellable",
        )
    stamp = now or utc_now()
    ref = f"inspection task {task.id}"
    moves: list[MovementSpec] = []
    for qty, target in ((sellable, Bucket.SELLABLE), (damaged, Bucket.DAMAGED)):
        if qty:
            moves += _move(
                task.location_code,
                task.sku,
                qty,
                Bucket.QUARANTINE,
                target,
                Reason.ADJUSTMENT,
                ref,
                actor,
                stamp,
            )
    record_store_movements(session, moves)
    _advance(task, left, actor, stamp)
    session.flush()
    return TaskProgress(
        task.id, task.sku, task.done_qty, task.qty, f"{task.sku}: {sellable} sellable, {damaged} damaged"
    )
