"""The handover: scanning bags and items out to a verified customer, the signature, and finishing.

Each accepted scan is a `pickup_scans` row (who, when, device); a refused one (not on the order,
a second scan of the same unit or bag) raises with the reason and records nothing. Finishing
checks that everything is accounted for, then in one transaction: the fulfilment becomes
`collected` (first visit; `store_ops` writes the `pickup` movements and queues the step for the
hub), units left behind are refunded (declined ones wait in quarantine for a restock scan, damaged
ones go to the damaged bucket, missing ones are already off the books) or kept on the shelf for a
later visit, the signature is stored and the step audited.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.domain.associates import Role
from core.domain.errors import IllegalTransitionError
from core.domain.handover import DueItem, HandoverPlan, LeftLine, check_left, handed_over, judge_scan
from core.domain.inventory import Bucket, MovementSpec, Reason, utc_now
from core.domain.lifecycle import OrderState
from core.domain.pickup import LeftOutcome, LeftReason, PickupState, check_signature
from core.domain.pickup_desk import HandoverResult, HandoverScan
from core.services import audit
from core.services.associates import require_role
from core.services.orders import SYSTEM, Actor, get_fulfilment
from core.services.pickup import advance_order, close, get_pickup, pickup_settings, require_open
from core.services.refund_records import record_pickup_refund
from core.services.store_ops import record_fulfilment_action, record_store_movements
from core.services.store_tasks import RESTOCK, open_task
from core.storage.models import Pickup, PickupScan, Product, ProductBarcode


def _barcodes(session: Session, skus: list[str]) -> dict[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = {}
    query = select(ProductBarcode.sku, ProductBarcode.barcode).where(ProductBarcode.sku.in_(skus))
    for sku, code in session.execute(query.order_by(ProductBarcode.barcode)):
        found[sku] = (*found.get(sku, ()), code)
    return found


def handover_plan(session: Session, pickup_id: str) -> HandoverPlan:
    """What is due at this visit: every unit on the first, the units kept for later after that."""
    pickup = get_pickup(session, pickup_id)
    names = {
        p.sku: p.name
        for p in session.scalars(select(Product).where(Product.sku.in_([ln.sku for ln in pickup.lines])))
    }
    codes = _barcodes(session, [ln.sku for ln in pickup.lines])
    first = pickup.state == PickupState.READY
    items = tuple(
        DueItem(ln.sku, names.get(ln.sku, ln.sku), ln.qty if first else ln.held_qty, codes.get(ln.sku, ()))
        for ln in pickup.lines
        if (ln.qty if first else ln.held_qty) > 0
    )
    return HandoverPlan(pickup.id, pickup.order_id, items, pickup.bags if first else 0)


def _progress(session: Session, pickup: Pickup) -> tuple[Counter[str], set[int]]:
    rows = session.scalars(
        select(PickupScan).where(PickupScan.pickup_id == pickup.id, PickupScan.visit == pickup.visits + 1)
    )
    units: Counter[str] = Counter()
    bags: set[int] = set()
    for row in rows:
        if row.sku:
            units[row.sku] += 1
        elif row.bag:
            bags.add(row.bag)
    return units, bags


def _ready_to_hand_over(session: Session, pickup_id: str, actor: Actor) -> Pickup:
    require_role(session, actor, Role.ASSOCIATE)
    pickup = get_pickup(session, pickup_id)
    require_open(pickup)
    fulfilment = get_fulfilment(session, pickup.id)
    if pickup.state == PickupState.READY and fulfilment.state != "ready_for_pickup":
        raise IllegalTransitionError(
            f"order {pickup.order_id} is {fulfilment.state} (changed while on the shelf); do not hand it over",
            field="pickup_id",
        )
    if pickup.verified_at is None:
        raise IllegalTransitionError(
            f"verify the code, QR code or ID for order {pickup.order_id} first", field="pickup_id"
        )
    return pickup


def scan_for_handover(
    session: Session, pickup_id: str, code: str, *, actor: Actor = SYSTEM, now: datetime | None = None
) -> HandoverScan:
    """One scan at the counter; refused scans raise with the reason and record nothing."""
    stamp = now or utc_now()
    pickup = _ready_to_hand_over(session, pickup_id, actor)
    plan = handover_plan(session, pickup_id)
    units, bags = _progress(session, pickup)
    meaning = judge_scan(plan, code, units, bags)
    session.add(
        PickupScan(
            pickup_id=pickup.id,
            visit=pickup.visits + 1,
            code=meaning.code[:80],
            sku=meaning.sku,
            bag=meaning.bag,
            actor=actor.user,
            device=actor.device,
            at=stamp,
        )
    )
    session.flush()
    if meaning.sku:
        units[meaning.sku] += 1
        item = plan.item(meaning.sku)
        assert item is not None
        text = f"{item.name}: {units[meaning.sku]} of {item.qty}"
    else:
        bags.add(meaning.bag or 0)
        text = f"bag {meaning.bag} of {plan.bags}"
    return HandoverScan(
        pickup.id, meaning.code, meaning.sku, meaning.bag, text, dict(units), tuple(sorted(bags))
    )


def _leftovers(
    session: Session, pickup: Pickup, refunded: dict[str, LeftLine], actor: Actor, now: datetime
) -> list[int]:
    """Stock for units refunded at the counter: they left the books with the `pickup` movement."""
    declined = {sku: ln.qty for sku, ln in refunded.items() if ln.reason is LeftReason.DECLINED}
    tasks = open_task(
        session,
        RESTOCK,
        pickup.location_code,
        declined,
        reference=pickup.id,
        note=f"declined at pickup of order {pickup.order_id}",
        reason=Reason.RETURN,
        actor=actor,
        now=now,
    )
    damaged = [
        MovementSpec(
            pickup.location_code,
            sku,
            ln.qty,
            Reason.RETURN,
            Bucket.DAMAGED,
            reference=f"pickup {pickup.id}",
            device=actor.device,
            occurred_at=now,
        )
        for sku, ln in sorted(refunded.items())
        if ln.reason is LeftReason.DAMAGED
    ]
    if damaged:
        record_store_movements(session, damaged)
    return [t.id for t in tasks]


def complete_handover(
    session: Session,
    pickup_id: str,
    *,
    signature: bytes | str,
    left: Sequence[LeftLine] = (),
    left_outcome: LeftOutcome | str = LeftOutcome.REFUND,
    actor: Actor = SYSTEM,
    now: datetime | None = None,
) -> HandoverResult:
    """Finish this visit: everything due is scanned (or its bags) or declared left with a reason."""
    stamp = now or utc_now()
    pickup = _ready_to_hand_over(session, pickup_id, actor)
    outcome = LeftOutcome(left_outcome)
    kind, data = check_signature(signature)
    plan = handover_plan(session, pickup_id)
    units, bags = _progress(session, pickup)
    staying = check_left(plan, left, outcome)
    going = handed_over(plan, units, bags, staying)
    first = pickup.state == PickupState.READY
    fulfilment = get_fulfilment(session, pickup.id)
    if first:
        record_fulfilment_action(session, pickup.id, "collected", actor=actor, now=stamp)
    refunded = staying if outcome is LeftOutcome.REFUND else {}
    refund = record_pickup_refund(
        session,
        fulfilment,
        [(sku, ln.qty, ln.reason.value) for sku, ln in sorted(refunded.items())],
        actor=actor,
        now=stamp,
    )
    tasks = _leftovers(session, pickup, refunded, actor, stamp)
    for line in pickup.lines:
        took, stay = going.get(line.sku, 0), staying.get(line.sku)
        line.collected_qty += took
        if not first:
            line.held_qty -= took + (stay.qty if stay else 0)
        if stay:
            line.left_reason = stay.reason.value
            if outcome is LeftOutcome.KEEP:
                line.held_qty += stay.qty
            else:
                line.refunded_qty += stay.qty
    pickup.signature, pickup.signature_kind = data, kind
    pickup.visits += 1
    kept = any(ln.held_qty for ln in pickup.lines)
    if kept:  # the next visit is verified again, and the kept units wait a full hold period from now
        pickup.verified_at, pickup.ready_at, pickup.reminders_sent = None, stamp, 0
        pickup.claim_by = stamp + timedelta(days=pickup_settings(session).unclaimed_days)
    close(session, pickup, PickupState.HELD if kept else PickupState.COLLECTED, stamp)
    if first:
        advance_order(session, fulfilment.order, OrderState.COMPLETED, actor, "collected", stamp)
    summary = ", ".join(f"{sku} x{qty}" for sku, qty in sorted(going.items())) or "nothing"
    if staying:
        summary += "; left: " + ", ".join(
            f"{s} x{ln.qty} {ln.reason} ({outcome})" for s, ln in sorted(staying.items())
        )
    audit.record(session, actor, "pickup.handover", pickup.id, f"visit {pickup.visits}: {summary}", now=stamp)
    session.flush()
    return HandoverResult(
        pickup.id,
        pickup.order_id,
        pickup.state,
        going,
        {s: ln.qty for s, ln in refunded.items()},
        {s: ln.qty for s, ln in staying.items()} if outcome is LeftOutcome.KEEP else {},
        refund.total if refund else Decimal("0.00"),
        refund.id if refund else None,
        tuple(tasks),
    )


def handover_progress(session: Session, pickup_id: str) -> tuple[dict[str, int], tuple[int, ...]]:
    """Units and bags already scanned at this visit, so a screen reopened mid-handover resumes it."""
    units, bags = _progress(session, get_pickup(session, pickup_id))
    return dict(units), tuple(sorted(bags))
