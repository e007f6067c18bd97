"""Returns without a receipt (store credit, a manager's PIN), and what was paid for an order.

Without a receipt nothing proves the price paid or that the window is open, so the refund is the
product's current price as store credit, never cash or card, and a manager must approve it with
their PIN at the counter. The approval is checked first; a wrong PIN is returned as a refusal so
the manager's failed-PIN count commits, and nothing else is recorded.

`record_order_payment` keeps what the Order JSON does not carry yet: an order-level discount,
shipping charged and the tender, which the refund arithmetic needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from core.domain.associates import Role
from core.domain.errors import ValidationError
from core.domain.inventory import utc_now
from core.domain.money import parse_money
from core.domain.parsing import parse_enum, require_quantity
from core.domain.refunds import fee_cents, from_cents, to_cents
from core.domain.return_desk import ReceiptlessItem, ReturnOutcome
from core.domain.returns import DISPOSITION, Condition, QuotedLine, ReturnQuote, ReturnReason
from core.services import audit
from core.services.associates import require_role, verify_pin
from core.services.orders import SYSTEM, Actor, get_order
from core.services.refund_records import new_return_id, return_receipt, save_refund
from core.services.returns import restock_returned, return_location, return_policy
from core.storage.models import OrderPayment, Product


def _quote_items(session: Session, items: Sequence[ReceiptlessItem]) -> ReturnQuote:
    if not items:
        raise ValidationError("choose at least one item to return", field="items")
    policy = return_policy(session)
    lines = []
    for i, item in enumerate(items, start=1):
        where = f"items[{i - 1}]"
        require_quantity(item.qty, field=f"{where}.qty")
        if item.qty < 0:
            raise ValidationError(f"{item.qty} is negative", field=f"{where}.qty")
        reason = parse_enum(ReturnReason, item.reason, field=f"{where}.reason")
        condition = parse_enum(Condition, item.condition, field=f"{where}.condition")
        product = session.get(Product, item.sku)
        if product is None:
            raise ValidationError(f"unknown product {item.sku}", field=f"{where}.sku")
        if product.returnable_days == 0:
            raise ValidationError(f"{product.name} is final sale", field=f"{where}.sku")
        gross = to_cents(product.price) * item.qty
        fee = fee_cents(gross, policy.fee_rate(reason))
        lines.append(
            QuotedLine(
                i,
                product.sku,
                product.name,
                item.qty,
                reason,
                condition,
                DISPOSITION[condition],
                product.price,
                from_cents(gross),
                from_cents(0),
                from_cents(fee),
                from_cents(gross - fee),
            )
        )
    merchandise = sum((q.gross for q in lines), Decimal("0.00"))
    fees = sum((q.fee for q in lines), Decimal("0.00"))
    zero = Decimal("0.00")
    return ReturnQuote("", tuple(lines), merchandise, zero, fees, zero, merchandise - fees, "store credit")


def quote_receiptless(session: Session, items: Sequence[ReceiptlessItem]) -> ReturnQuote:
    """What a return without a receipt would give as store credit (no approval needed to ask)."""
    return _quote_items(session, items)


def record_receiptless_return(
    session: Session,
    items: Sequence[ReceiptlessItem],
    *,
    manager_id: str,
    manager_pin: str,
    location: str | None = None,
    actor: Actor = SYSTEM,
    now: datetime | None = None,
) -> ReturnOutcome:
    """Store credit at today's price, approved by a manager's PIN; the units go back by condition."""
    require_role(session, actor, Role.ASSOCIATE)
    stamp = now or utc_now()
    store = return_location(session, location)
    offer = _quote_items(session, items)  # bad input raises before the PIN is even checked
    approval = verify_pin(
        session, manager_id, manager_pin, purpose="return without receipt", by=actor, now=stamp
    )
    if not approval.ok:
        return ReturnOutcome(None, approval.message)
    return_id = new_return_id("return")
    tasks = restock_returned(session, store, return_id, offer.lines, actor, stamp)
    save_refund(
        session,
        offer,
        kind="return",
        order_id=None,
        location=store,
        lines_by_no={},
        method="store_credit",
        receipt=False,
        approved_by=manager_id,
        tasks=tasks,
        return_id=return_id,
        actor=actor,
        now=stamp,
    )
    audit.record(
        session,
        actor,
        "return.no_receipt",
        return_id,
        f"{offer.total} store credit, approved by {manager_id}",
        now=stamp,
    )
    return ReturnOutcome(return_receipt(session, return_id), f"{offer.total} as store credit")


def record_order_payment(
    session: Session,
    order_id: str,
    *,
    discount: Decimal | str = "0.00",
    shipping: Decimal | str = "0.00",
    tender: str = "card",
    tender_ref: str = "",
    actor: Actor = SYSTEM,
    now: datetime | None = None,
) -> OrderPayment:
    """The order-level discount, shipping charged and the tender (card, cash, gift card, marketplace...)."""
    order = get_order(session, order_id)
    off = parse_money(discount, field="discount")
    ship = parse_money(shipping, field="shipping")
    if off > order.total:
        raise ValidationError(
            f"a discount of {off} is more than order {order_id} is worth ({order.total})", field="discount"
        )
    if not tender.strip() or len(tender) > 24 or len(tender_ref) > 40:
        raise ValidationError("a tender is 1 to 24 characters (its reference at most 40)", field="tender")
    row = session.get(OrderPayment, order_id)
    stamp = now or utc_now()
    if row is None:
        row = OrderPayment(
            order_id=order_id,
            discount=off,
            shipping=ship,
            tender=tender.strip(),
            tender_ref=tender_ref,
            recorded_at=stamp,
        )
        session.add(row)
    else:
        row.discount, row.shipping, row.tender, row.tender_ref, row.recorded_at = (
            off,
            ship,
            tender.strip(),
            tender_ref,
            stamp,
        )
    audit.record(
        session, actor, "order.payment", order_id, f"discount {off}, shipping {ship}, {tender}", now=stamp
    )
    session.flush()
    return row
