"""Short picks: units the associate cannot take from the shelf, what that does to stock, and doing it.

The preview and the confirmation run the same `plan`, so what the associate reads before tapping
Confirm is exactly what happens. Confirming is one transaction: the units are rejected on their
fulfilments (`reject_lines` events, so the hub re-routes them excluding this store) and the stock
is corrected with ledger movements (events too), in that order, so the hub releases the rejected
reservation before it sees the stock go down.

- not found: the shelf does not have what the books say. The SKU's ATP here is set to 0 (the
  units nobody has promised are written off as an adjustment), so the hub stops sending it here
  until a count or a receipt brings it back.
- damaged: the units move from sellable to damaged.
- other: only the rejection; stock stays as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from core.domain.errors import IllegalTransitionError, NotFoundError, ValidationError
from core.domain.inventory import Bucket, MovementSpec, Reason
from core.domain.picking import ShortLine, ShortPickPreview, ShortPickResult, ShortReason
from core.services.orders import SYSTEM, Actor
from core.services.pick_queue import product_names
from core.services.pick_walk import other_bins
from core.services.store_ops import record_fulfilment_action, record_store_movements
from core.storage.models import Fulfilment, StockPosition

REJECTABLE = ("assigned", "picking", "picked")


@dataclass(frozen=True, slots=True)
class _Plan:
    location: str
    effects: tuple[str, ...]
    movements: tuple[MovementSpec, ...]


def _units(n: int) -> str:
    return f"{n} unit{'s' if n != 1 else ''}"


def _check(session: Session, lines: Sequence[ShortLine]) -> list[Fulfilment]:
    if not lines:
        raise ValidationError("say which units are short", field="lines")
    rows = []
    for i, line in enumerate(lines):
        fulfilment = session.get(Fulfilment, line.fulfilment_id)
        if fulfilment is None:
            raise NotFoundError(f"no fulfilment {line.fulfilment_id}", field=f"lines[{i}].fulfilment_id")
        if fulfilment.state not in REJECTABLE:
            raise IllegalTransitionError(
                f"order {fulfilment.order_id} is {fulfilment.state} now; nothing of it can be short-picked",
                field=f"lines[{i}].fulfilment_id",
            )
        live = sum(ln.live_qty for ln in fulfilment.lines if ln.sku == line.sku)
        if not 0 < line.qty <= live:
            raise ValidationError(
                f"order {fulfilment.order_id} has {_units(live)} of {line.sku} left; cannot short {line.qty}",
                field=f"lines[{i}].qty",
            )
        rows.append(fulfilment)
    if len({f.location_code for f in rows}) > 1:
        raise ValidationError("a short pick is for one store's orders", field="lines")
    return rows


def plan(
    session: Session,
    lines: Sequence[ShortLine],
    reason: ShortReason,
    *,
    reference: str = "",
    device: str = "",
) -> _Plan:
    """What rejecting `lines` for `reason` does, in sentences and movements; writes nothing."""
    rows = _check(session, lines)
    location = rows[0].location_code
    skus = sorted({line.sku for line in lines})
    names = product_names(session, skus)
    effects = []
    for line, fulfilment in zip(lines, rows, strict=True):
        left = sum(ln.live_qty for ln in fulfilment.lines) - line.qty
        effects.append(
            f"Takes {line.qty} × {names.get(line.sku, line.sku)} off order {fulfilment.order_id}: the hub routes "
            + ("it" if line.qty == 1 else "them")
            + " to another location when this tablet syncs."
        )
        if left == 0:
            effects.append(
                f"Order {fulfilment.order_id} then has nothing left to pick here and leaves the queue."
            )
    moves: list[MovementSpec] = []
    ref = (reference or f"short pick {rows[0].id}")[:120]
    for sku in skus:
        short = sum(line.qty for line in lines if line.sku == sku)
        position = session.get(StockPosition, (location, sku))
        sellable, damaged = (position.sellable, position.damaged) if position else (0, 0)
        reserved = (position.reserved if position else 0) - short
        safety = position.safety_stock if position else 0
        if reason is ShortReason.NOT_FOUND:
            atp = sellable - reserved - safety
            if atp > 0:
                effects.append(
                    f"Sets ATP of {sku} at this store to 0: writes off {_units(atp)} nobody has promised "
                    f"(sellable {sellable} → {sellable - atp}), so the hub stops sending {sku} here until it is counted."
                )
                moves.append(
                    MovementSpec(location, sku, -atp, Reason.ADJUSTMENT, reference=ref, device=device)
                )
            else:
                effects.append(
                    f"ATP of {sku} at this store is already 0; the stock figures stay as they are."
                )
        elif reason is ShortReason.DAMAGED:
            qty = min(short, max(sellable, 0))
            if qty:
                effects.append(
                    f"Moves {_units(qty)} of {sku} to damaged (sellable {sellable} → {sellable - qty}, "
                    f"damaged {damaged} → {damaged + qty})."
                )
                moves.append(MovementSpec(location, sku, -qty, Reason.DAMAGE, reference=ref, device=device))
                moves.append(
                    MovementSpec(
                        location, sku, qty, Reason.DAMAGE, Bucket.DAMAGED, reference=ref, device=device
                    )
                )
            else:
                effects.append(f"No sellable {sku} is on the books to move to damaged; stock stays as it is.")
        else:
            effects.append(f"The stock of {sku} stays as it is.")
    return _Plan(location, tuple(effects), tuple(moves))


def preview_short_pick(
    session: Session, lines: Sequence[ShortLine], reason: ShortReason | str
) -> ShortPickPreview:
    """What confirming will do, and other bins of the store that hold the SKU (look there first)."""
    why = ShortReason(reason)
    the_plan = plan(session, lines, why)
    first = lines[0]
    home = session.get(StockPosition, (the_plan.location, first.sku))
    bins = other_bins(session, the_plan.location, first.sku, besides=(home.bin_code or "") if home else "")
    return ShortPickPreview(tuple(lines), why, the_plan.effects, bins)


def confirm_short_pick(
    session: Session,
    lines: Sequence[ShortLine],
    reason: ShortReason | str,
    *,
    note: str = "",
    actor: Actor = SYSTEM,
) -> ShortPickResult:
    """Reject the units (events for the hub to re-route them) and correct the stock, in one transaction."""
    why = ShortReason(reason)
    if why is ShortReason.OTHER and not note.strip():
        raise ValidationError(
            "say what happened (for example: label missing, wrong item on the shelf)", field="note"
        )
    the_plan = plan(session, lines, why, device=actor.device)
    text = f"{why.value}: {note.strip()}" if note.strip() else why.value
    by_fulfilment: dict[str, list[tuple[str, int]]] = {}
    for line in lines:
        by_fulfilment.setdefault(line.fulfilment_id, []).append((line.sku, line.qty))
    rejected = []
    for fid, units in by_fulfilment.items():
        fulfilment = record_fulfilment_action(
            session, fid, "reject_lines", lines=units, reason=text[:120], actor=actor
        )
        if fulfilment.state == "rejected":
            rejected.append(fid)
    if the_plan.movements:
        record_store_movements(session, the_plan.movements)
    return ShortPickResult(tuple(lines), the_plan.effects, tuple(rejected))
