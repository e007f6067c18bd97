"""Starting, building and finishing a pick walk; other bins for a SKU; the store's pick settings.

A walk is one list of tasks for one or several fulfilments (a batch), sorted the way the associate
walks the shop floor: zone, aisle, bin position. The same SKU wanted by several orders is one task
with a portion per order, so the picker takes all the units from the shelf at once and the badge
says which tote each goes into. Scans are matched in memory (`core.domain.pick_progress`); only
the start (assigned → picking) and the end (picking → picked) are written, each with the event
that tells the hub.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from core.domain.errors import NotFoundError, ValidationError
from core.domain.inventory import utc_now
from core.domain.picking import FinishResult, OtherBin, PickTask, PickWalk, Portion, RerouteNotice, Shelf
from core.services.associates import require_role
from core.services.orders import SYSTEM, Actor
from core.services.outbox import get_setting, set_setting
from core.services.pick_progress import empty_totes, in_totes
from core.services.pick_queue import barcodes, product_names, shelves, store_location
from core.services.store_ops import record_fulfilment_action
from core.storage.models import Bin, BinStock, Fulfilment, SyncMessage

MAX_BATCH = len(string.ascii_uppercase)  # one tote letter per order
TAPS_KEY = "pick_taps_allowed"


def taps_allowed(session: Session) -> bool:
    """May an item without a barcode be confirmed by a counted tap? Allowed unless a manager forbade it."""
    return get_setting(session, TAPS_KEY, "1") == "1"


def set_taps_allowed(session: Session, allowed: bool, *, actor: Actor = SYSTEM) -> bool:
    require_role(session, actor, "manager")
    set_setting(session, TAPS_KEY, "1" if allowed else "0")
    return allowed


def _fulfilments(session: Session, ids: Sequence[str]) -> list[Fulfilment]:
    if not ids:
        raise ValidationError("choose at least one order to pick", field="fulfilment_ids")
    if len(set(ids)) > MAX_BATCH:
        raise ValidationError(
            f"a batch holds at most {MAX_BATCH} orders, not {len(set(ids))}", field="fulfilment_ids"
        )
    rows = []
    for fid in dict.fromkeys(ids):
        row = session.get(Fulfilment, fid)
        if row is None:
            raise NotFoundError(f"no fulfilment {fid}", field="fulfilment_ids")
        rows.append(row)
    return rows


def build_walk(session: Session, ids: Sequence[str], *, note: str = "") -> PickWalk:
    """The tasks of a walk over the given fulfilments; tote badges A, B… by promise time."""
    rows = sorted(
        _fulfilments(session, ids),
        key=lambda f: (f.order.promise_by is None, f.order.promise_by or utc_now(), f.id),
    )
    badges = tuple((f.id, f.order_id, string.ascii_uppercase[i]) for i, f in enumerate(rows))
    wanted: dict[str, list[Portion]] = {}
    for (fid, order_id, badge), fulfilment in zip(badges, rows, strict=True):
        units: dict[str, int] = {}
        for line in fulfilment.lines:
            if line.live_qty > 0:
                units[line.sku] = units.get(line.sku, 0) + line.live_qty
        for sku, qty in units.items():
            wanted.setdefault(sku, []).append(Portion(fid, order_id, qty, badge))
    skus = sorted(wanted)
    location = rows[0].location_code
    names, codes, places = (
        product_names(session, skus),
        barcodes(session, skus),
        shelves(session, location, skus),
    )
    tasks = [
        PickTask(sku, names.get(sku, sku), codes.get(sku, ()), places.get(sku, Shelf()), tuple(wanted[sku]))
        for sku in skus
    ]
    tasks.sort(key=lambda t: (t.shelf.walk_key, t.sku))
    return PickWalk(
        tuple(tasks), badges, taps_allowed(session), note, in_totes(session, [f.id for f in rows])
    )


def start_walk(session: Session, ids: Sequence[str], *, actor: Actor = SYSTEM) -> PickWalk:
    """Mark the chosen fulfilments `picking` (queuing the step for the hub) and build their walk.

    A fulfilment that changed since the queue was read (cancelled, re-routed, picked elsewhere) is
    left out with a note rather than failing the whole batch.
    """
    kept, left_out = [], []
    for fulfilment in _fulfilments(session, ids):
        if fulfilment.state == "assigned":
            record_fulfilment_action(session, fulfilment.id, "picking", actor=actor)
        if fulfilment.state == "picking" and any(line.live_qty > 0 for line in fulfilment.lines):
            kept.append(fulfilment.id)
        else:
            left_out.append(f"order {fulfilment.order_id} is {fulfilment.state}")
    if not kept:
        raise ValidationError(
            "none of these orders can be picked now: " + "; ".join(left_out), field="fulfilment_ids"
        )
    note = ("Left out: " + "; ".join(left_out) + ".") if left_out else ""
    return build_walk(session, kept, note=note)


def finish_walk(
    session: Session, picked: Mapping[str, Mapping[str, int]], *, actor: Actor = SYSTEM
) -> FinishResult:
    """Mark fulfilments picked whose units are all in their totes (`picked`: fulfilment → SKU → units).

    The hub may have moved units away while the walk went on (sync runs meanwhile); those orders
    are named with what to put back instead of being marked picked with the wrong contents.
    """
    done, skipped, emptied = [], [], []
    for fulfilment in _fulfilments(session, list(picked)):
        live: dict[str, int] = {}
        for line in fulfilment.lines:
            live[line.sku] = live.get(line.sku, 0) + line.live_qty
        extra = {
            sku: qty - live.get(sku, 0)
            for sku, qty in picked[fulfilment.id].items()
            if qty > live.get(sku, 0)
        }
        if fulfilment.state not in ("assigned", "picking") or not any(live.values()):
            skipped.append(
                f"Order {fulfilment.order_id} was {fulfilment.state} meanwhile: put its items back."
            )
            emptied.append(fulfilment.id)
        elif extra:
            back = ", ".join(f"{qty} × {sku}" for sku, qty in sorted(extra.items()))
            skipped.append(
                f"Order {fulfilment.order_id} changed while you picked: put back {back}, then pick it again."
            )
            emptied.append(fulfilment.id)
        elif any(live.get(sku, 0) > picked[fulfilment.id].get(sku, 0) for sku in live):
            skipped.append(f"Order {fulfilment.order_id} still has units to pick; it stays in the queue.")
        else:
            if fulfilment.state == "assigned":
                record_fulfilment_action(session, fulfilment.id, "picking", actor=actor)
            record_fulfilment_action(session, fulfilment.id, "picked", actor=actor)
            done.append(fulfilment.id)
    empty_totes(session, done + emptied)  # what stays in the queue keeps its totes for next time
    return FinishResult(tuple(done), tuple(skipped))


def other_bins(session: Session, location: str, sku: str, *, besides: str = "") -> tuple[OtherBin, ...]:
    """Bins of this store where units of `sku` were counted, other than `besides`: most units first."""
    query = (
        select(BinStock.bin_code, BinStock.qty, Bin.zone, Bin.aisle, Bin.position)
        .outerjoin(Bin, and_(Bin.location_code == BinStock.location_code, Bin.code == BinStock.bin_code))
        .where(
            BinStock.location_code == location,
            BinStock.sku == sku,
            BinStock.qty > 0,
            BinStock.bin_code != besides,
        )
    )
    found = [
        OtherBin(Shelf(code, zone or "", aisle or 0, position or 0), qty)
        for code, qty, zone, aisle, position in session.execute(query)
    ]
    return tuple(sorted(found, key=lambda b: (-b.qty, b.shelf.walk_key)))


def count_bin(
    session: Session, location: str, sku: str, bin_code: str, qty: int, *, now: datetime | None = None
) -> None:
    """Record how many units of `sku` are in `bin_code` (a hint for short picks, not a ledger change)."""
    if qty < 0:
        raise ValidationError(f"{qty} is negative", field="qty")
    row = session.get(BinStock, (location, sku, bin_code))
    if row is None:
        session.add(
            BinStock(location_code=location, sku=sku, bin_code=bin_code, qty=qty, counted_at=now or utc_now())
        )
    else:
        row.qty, row.counted_at = qty, now or utc_now()
    session.flush()


def reroute_notices(session: Session) -> tuple[RerouteNotice, ...]:
    """Unread "lines re-routed" messages from the hub, oldest first."""
    query = (
        select(SyncMessage)
        .where(SyncMessage.kind == "lines_rerouted", SyncMessage.read_at.is_(None))
        .order_by(SyncMessage.id)
    )
    return tuple(
        RerouteNotice(m.id, m.fulfilment_id or "", m.text, m.created_at) for m in session.scalars(query)
    )


def acknowledge_notices(session: Session, ids: Sequence[int], *, now: datetime | None = None) -> int:
    rows = list(
        session.scalars(
            select(SyncMessage).where(SyncMessage.id.in_(list(ids)), SyncMessage.read_at.is_(None))
        )
    )
    for row in rows:
        row.read_at = now or utc_now()
    session.flush()
    return len(rows)


def pick_location(session: Session, fulfilment_id: str) -> str:
    """The store a fulfilment belongs to (this tablet's store on an enrolled database)."""
    fulfilment = session.get(Fulfilment, fulfilment_id)
    if fulfilment is None:
        raise NotFoundError(f"no fulfilment {fulfilment_id}", field="fulfilment_id")
    return store_location(session) or fulfilment.location_code
