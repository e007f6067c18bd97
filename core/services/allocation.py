"""Routing orders for real: plan, then reserve stock and capacity and record the decision, atomically.

The decision, the fulfilments, the reservations and the order's new state commit together or not
at all. When a location rejects lines, its reservation is released, the location is excluded and
the lines are routed again; the new decision points at the one it replaces.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from core.domain.errors import IllegalTransitionError, ValidationError
from core.domain.inventory import utc_now
from core.domain.lifecycle import FulfilmentState, OrderState
from core.domain.orders import OrderLine as OrderLineIn
from core.domain.orders import OrderRequest
from core.domain.parsing import require_quantity
from core.routing.decision import RoutingDecision
from core.routing.planner import Planner
from core.routing.rules import RuleSet
from core.routing.shipping import ShippingQuoter
from core.services.inventory import close_reservations, reserve
from core.services.orders import (
    SYSTEM,
    Actor,
    assigned_quantities,
    check_order_references,
    create_fulfilment,
    create_order,
    get_fulfilment,
    get_order,
    stored_request,
    transition_fulfilment,
    transition_order,
)
from core.services.routing_snapshot import network_snapshot
from core.services.rule_sets import active_rule_set
from core.storage.models import (
    Fulfilment,
    Order,
    Reservation,
    ReservationStatus,
    RoutingDecisionRecord,
)

REJECTABLE = {FulfilmentState.ASSIGNED, FulfilmentState.PICKING, FulfilmentState.PICKED}
ROUTING_LOCK_KEY = 0x4F4D53_0001  # "OMS" + 1: PostgreSQL advisory lock of routing decisions


def hold_routing_lock(session: Session) -> None:
    """Routing decisions that reserve are taken one at a time, until this transaction ends.

    A decision reads capacity used today and stock from a snapshot and then writes fulfilments
    against it; two hub processes deciding at once on PostgreSQL would both see the last unit of a
    store's daily capacity free and both take it. A transaction-scoped advisory lock makes the read
    and the write one step (SQLite already lets one writer in at a time). Dry runs take no lock.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ROUTING_LOCK_KEY})


@dataclass(frozen=True)
class RoutingResult:
    decision: RoutingDecision
    decision_id: uuid.UUID | None  # None for a dry run
    fulfilment_ids: tuple[str, ...]
    replayed: bool = False  # the order was already routed; this is the stored decision


class Router:
    """Routes orders against the database with one quoter; planners are compiled once per rule set."""

    def __init__(self, quoter: ShippingQuoter) -> None:
        self.quoter = quoter
        self._planners: dict[str, Planner] = {}

    def planner(self, rules: RuleSet) -> Planner:
        key = rules.model_dump_json()
        if key not in self._planners:
            self._planners[key] = Planner(rules, self.quoter)
        return self._planners[key]

    def plan(
        self,
        session: Session,
        request: OrderRequest,
        *,
        rules: RuleSet | None = None,
        exclude: dict[str, str] | None = None,
        now: datetime | None = None,
    ) -> RoutingDecision:
        """The decision for an order without reserving anything (a dry run, or a simulation)."""
        now = now or utc_now()
        snapshot = network_snapshot(session, (line.sku for line in request.lines), now)
        return self.planner(rules or active_rule_set(session)).route(
            request, snapshot, exclude_locations=exclude or {}, now=now
        )

    def route(
        self,
        session: Session,
        request: OrderRequest,
        *,
        rules: RuleSet | None = None,
        dry_run: bool = False,
        actor: Actor = SYSTEM,
        now: datetime | None = None,
    ) -> RoutingResult:
        """Take an order in and route it; the same order again returns its stored decision."""
        now = now or utc_now()
        if dry_run:
            check_order_references(session, request)
            return RoutingResult(self.plan(session, request, rules=rules, now=now), None, ())
        order, created = create_order(session, request, actor=actor, now=now)
        if not created:
            latest = latest_decision(session, order.id)
            if latest is not None:
                ids = tuple(f.id for f in order.fulfilments if f.decision_id == latest.id)
                return RoutingResult(
                    RoutingDecision.from_dict(latest.document), latest.id, ids, replayed=True
                )
        hold_routing_lock(session)
        decision = self.plan(session, request, rules=rules, now=now)
        return _allocate(session, order, decision, replaces=None, reason="new order", actor=actor, now=now)

    def reject_lines(
        self,
        session: Session,
        fulfilment_id: str,
        rejected: Sequence[tuple[str, int]] | None,
        reason: str,
        *,
        actor: Actor = SYSTEM,
        now: datetime | None = None,
    ) -> RoutingResult:
        """A location cannot supply some units (`None` = all of them): release, exclude, route them again."""
        now = now or utc_now()
        hold_routing_lock(session)  # before the release below locks stock rows: one lock order
        fulfilment = get_fulfilment(session, fulfilment_id)
        if FulfilmentState(fulfilment.state) not in REJECTABLE:
            raise IllegalTransitionError(
                f"fulfilment {fulfilment_id} is {fulfilment.state}; only assigned, picking or picked lines can be rejected",
                field="fulfilment_id",
            )
        if not reason.strip():
            raise ValidationError("give a reason (not found, damaged, no capacity...)", field="reason")
        units = _mark_rejected(session, fulfilment, rejected, reason)
        if all(line.live_qty == 0 for line in fulfilment.lines):
            transition_fulfilment(
                session, fulfilment.id, FulfilmentState.REJECTED, actor=actor, reason=reason, now=now
            )
        order = get_order(session, fulfilment.order_id)
        request = _sub_order(order, units)
        decision = self.plan(session, request, exclude=_rejecting_locations(order), now=now)
        why = f"{fulfilment.location_code} rejected {sum(units.values())} unit(s): {reason}"
        return _allocate(
            session, order, decision, replaces=fulfilment.decision_id, reason=why, actor=actor, now=now
        )


def latest_decision(session: Session, order_id: str) -> RoutingDecisionRecord | None:
    return session.scalar(
        select(RoutingDecisionRecord)
        .where(RoutingDecisionRecord.order_id == order_id)
        .order_by(RoutingDecisionRecord.created_at.desc(), RoutingDecisionRecord.id)
        .limit(1)
    )


def decisions_for(session: Session, order_id: str) -> list[RoutingDecisionRecord]:
    return list(
        session.scalars(
            select(RoutingDecisionRecord)
            .where(RoutingDecisionRecord.order_id == order_id)
            .order_by(RoutingDecisionRecord.created_at)
        )
    )


def _mark_rejected(
    session: Session, fulfilment: Fulfilment, rejected: Sequence[tuple[str, int]] | None, reason: str
) -> dict[str, int]:
    """Record rejected units on the fulfilment's lines and free their reservations; returns sku -> units."""
    wanted: dict[str, int] = {}
    for i, (sku, qty) in enumerate(
        rejected or [(ln.sku, ln.live_qty) for ln in fulfilment.lines if ln.live_qty]
    ):
        require_quantity(qty, field=f"rejected[{i}].qty")
        wanted[sku] = wanted.get(sku, 0) + qty
    for sku, qty in wanted.items():
        live = sum(ln.live_qty for ln in fulfilment.lines if ln.sku == sku)
        if not 0 < qty <= live:
            raise ValidationError(
                f"fulfilment {fulfilment.id} holds {live} unit(s) of {sku}; cannot reject {qty}",
                field="rejected",
            )
    for sku, qty in wanted.items():
        left = qty
        for line in (ln for ln in fulfilment.lines if ln.sku == sku):
            take = min(left, line.live_qty)
            line.rejected_qty += take
            line.rejection_reason = reason
            left -= take
        held = list(
            session.scalars(
                select(Reservation).where(
                    Reservation.fulfilment_id == fulfilment.id,
                    Reservation.sku == sku,
                    Reservation.status == ReservationStatus.ACTIVE,
                )
            )
        )
        close_reservations(session, held, ReservationStatus.RELEASED)
        still = sum(ln.live_qty for ln in fulfilment.lines if ln.sku == sku)
        if still:
            reserve(
                session,
                fulfilment.location_code,
                sku,
                still,
                fulfilment_id=fulfilment.id,
                reference=fulfilment.order_id,
            )
    session.flush()
    return wanted


def _rejecting_locations(order: Order) -> dict[str, str]:
    """Every location that already turned down part of this order, with what it said."""
    excluded: dict[str, str] = {}
    for f in order.fulfilments:
        for line in f.lines:
            if line.rejected_qty:
                excluded[f.location_code] = f"it rejected {line.sku} ({line.rejection_reason})"
    return excluded


def _sub_order(order: Order, units: dict[str, int]) -> OrderRequest:
    """The order as the planner sees it when only the rejected units need a new home."""
    request = stored_request(order)
    price = {line.sku: line.unit_price for line in order.lines}
    lines = [OrderLineIn(sku=sku, qty=qty, unit_price=price[sku]) for sku, qty in units.items()]
    return request.model_copy(update={"lines": lines})


def _open_units(order: Order) -> tuple[int, int]:
    """(units ordered, units held by live fulfilments)."""
    ordered = sum(line.qty for line in order.lines)
    live = sum(
        line.live_qty
        for f in order.fulfilments
        if f.state not in (FulfilmentState.REJECTED, FulfilmentState.CANCELLED)
        for line in f.lines
    )
    return ordered, live


def _settle_order_state(session: Session, order: Order, actor: Actor, reason: str, now: datetime) -> None:
    ordered, live = _open_units(order)
    current = OrderState(order.state)
    if live == ordered:
        target = current if current in (OrderState.ROUTED, OrderState.IN_FULFILMENT) else OrderState.ROUTED
    elif live:
        target = OrderState.PARTIALLY_ROUTED
    else:
        target = OrderState.UNFULFILLABLE
    if target != current:
        transition_order(session, order.id, target, actor=actor, reason=reason, now=now)


def _allocate(
    session: Session,
    order: Order,
    decision: RoutingDecision,
    *,
    replaces: uuid.UUID | None,
    reason: str,
    actor: Actor,
    now: datetime,
) -> RoutingResult:
    record = RoutingDecisionRecord(
        id=uuid.uuid4(),
        order_id=order.id,
        status=decision.status.value,
        rule_set_id=decision.rule_set_id,
        rule_set_version=decision.rule_set_version,
        document=decision.to_stored(),  # candidates as columns: expand_stored gives the JSON
        reason=reason,
        replaces_id=replaces,
        created_at=now,
    )
    session.add(record)
    session.flush()
    ids = []
    for shipment in decision.shipments:
        pairs = _line_numbers(session, order, shipment.lines)
        fulfilment = create_fulfilment(session, order.id, shipment.location, pairs, actor=actor, now=now)
        fulfilment.carrier, fulfilment.service = shipment.carrier, shipment.service
        fulfilment.shipping_cost, fulfilment.eta, fulfilment.decision_id = (
            shipment.cost,
            shipment.eta,
            record.id,
        )
        for sku, qty in shipment.lines:
            reserve(
                session, shipment.location, sku, qty, fulfilment_id=fulfilment.id, reference=order.id, now=now
            )
        ids.append(fulfilment.id)
    session.flush()
    session.refresh(order)
    _settle_order_state(session, order, actor, f"routing: {decision.status}", now)
    return RoutingResult(decision, record.id, tuple(ids))


def _line_numbers(session: Session, order: Order, lines: Sequence[tuple[str, int]]) -> list[tuple[int, int]]:
    """Map (sku, qty) onto the order's line numbers, filling lines that still have units unassigned."""
    assigned = assigned_quantities(session, order.id)
    pairs = []
    for sku, qty in lines:
        left = qty
        for line in order.lines:
            if line.sku != sku or not left:
                continue
            free = line.qty - assigned.get(line.id, 0)
            take = min(free, left)
            if take > 0:
                pairs.append((line.line_no, take))
                assigned[line.id] = assigned.get(line.id, 0) + take
                left -= take
    return pairs
