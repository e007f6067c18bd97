"""A rule set tried on past orders before it is activated (`oms rules simulate`).

The orders are the database's own (those placed in the last days, oldest first) or a file of Order
JSON. Both the active rules and the candidate route them on the network as it stands now, with
its stock and today's capacity, as if the orders came in now: the question a manager asks is
"what would this rule do to orders like these", and today's network is the one it would act on.
Nothing is reserved or stored.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from core.domain.errors import OmsError
from core.domain.orders import OrderRequest
from core.routing.planner import Planner
from core.routing.rules import RuleSet
from core.routing.shipping import ShippingQuoter
from core.routing.simulation import Comparison, simulate
from core.services.orders import check_order_references, stored_request
from core.services.routing_snapshot import network_snapshot
from core.services.rule_sets import active_rule_set
from core.storage.models import Order


def recent_orders(session: Session, now: datetime, days: int, limit: int) -> list[OrderRequest]:
    """The orders placed in the last `days` days, the newest `limit` of them, oldest first."""
    query = (
        select(Order)
        .where(Order.placed_at >= now - timedelta(days=days))
        .order_by(Order.placed_at.desc(), Order.id.desc())
        .limit(limit)
        .options(selectinload(Order.lines))
    )
    return [stored_request(order) for order in reversed(session.scalars(query).all())]


def simulate_rules(
    session: Session,
    candidate: RuleSet,
    quoter: ShippingQuoter,
    orders: list[OrderRequest],
    now: datetime,
    *,
    check: bool = True,
) -> Comparison:
    """The active rules and `candidate` over `orders`; `check`: refuse unknown SKUs or stores first."""
    if check:
        for order in orders:
            try:
                check_order_references(session, order)
            except OmsError as exc:  # unknown SKU or store: say which order
                raise type(exc)(exc.message, field=f"order {order.id} {exc.field or ''}".strip()) from None
    skus = {line.sku for order in orders for line in order.lines}
    network = network_snapshot(session, sorted(skus), now)
    current = Planner(active_rule_set(session), quoter)
    return simulate(orders, network, current, Planner(candidate, quoter))
