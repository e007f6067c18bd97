"""Invariants that must hold in every database, checked by `oms check` and by the tests.

Balances are a cache of the ledger; if anything ever writes one without the other, this is where
it shows, naming the row, before a customer is promised stock that is not there.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.domain.inventory import Bucket
from core.services.orders import LIVE_FULFILMENT_STATES
from core.storage.models import (
    Fulfilment,
    FulfilmentLine,
    Location,
    Movement,
    Order,
    OrderLine,
    Reservation,
    ReservationStatus,
    ReturnLine,
    StateEvent,
    StockPosition,
)


@dataclass(frozen=True, slots=True)
class Problem:
    check: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"[{self.check}] {self.where}: {self.message}"


def _balances_match_ledger(session: Session) -> list[Problem]:
    ledger: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    query = select(Movement.location_code, Movement.sku, Movement.bucket, func.sum(Movement.qty)).group_by(
        Movement.location_code, Movement.sku, Movement.bucket
    )
    for loc, sku, bucket, total in session.execute(query):
        ledger[(loc, sku)][bucket] = int(total)
    problems = []
    for position in session.scalars(
        select(StockPosition).order_by(StockPosition.location_code, StockPosition.sku)
    ):
        sums = ledger.pop((position.location_code, position.sku), {})
        for bucket in Bucket:
            held, summed = getattr(position, bucket.value), sums.get(bucket.value, 0)
            if held != summed:
                problems.append(
                    Problem(
                        "balance",
                        f"stock_positions {position.location_code}/{position.sku}",
                        f"{bucket} is {held} but the ledger sums to {summed}",
                    )
                )
    for (loc, sku), sums in sorted(ledger.items()):
        problems.append(
            Problem("balance", f"movements {loc}/{sku}", f"ledger has {sums} but no stock position")
        )
    return problems


def _reserved_matches_reservations(session: Session) -> list[Problem]:
    query = (
        select(Reservation.location_code, Reservation.sku, func.sum(Reservation.qty))
        .where(Reservation.status == ReservationStatus.ACTIVE)
        .group_by(Reservation.location_code, Reservation.sku)
    )
    active = {(loc, sku): int(total) for loc, sku, total in session.execute(query)}
    problems = []
    for position in session.scalars(
        select(StockPosition).order_by(StockPosition.location_code, StockPosition.sku)
    ):
        expected = active.pop((position.location_code, position.sku), 0)
        if position.reserved != expected:
            problems.append(
                Problem(
                    "reserved",
                    f"stock_positions {position.location_code}/{position.sku}",
                    f"reserved is {position.reserved} but active reservations add up to {expected}",
                )
            )
    return problems


def _no_forbidden_negatives(session: Session) -> list[Problem]:
    query = (
        select(StockPosition, Location.allow_negative_stock)
        .join(Location, Location.code == StockPosition.location_code)
        .order_by(StockPosition.location_code, StockPosition.sku)
    )
    problems = []
    for position, allow_negative in session.execute(query):
        for bucket in Bucket:
            value = getattr(position, bucket.value)
            if value < 0 and not (bucket is Bucket.SELLABLE and allow_negative):
                problems.append(
                    Problem(
                        "negative",
                        f"stock_positions {position.location_code}/{position.sku}",
                        f"{bucket} is {value}",
                    )
                )
    return problems


def _fulfilments_within_order(session: Session) -> list[Problem]:
    query = (
        select(
            OrderLine.order_id,
            OrderLine.line_no,
            OrderLine.qty,
            func.sum(FulfilmentLine.qty - FulfilmentLine.rejected_qty),
        )
        .join(FulfilmentLine, FulfilmentLine.order_line_id == OrderLine.id)
        .join(Fulfilment, Fulfilment.id == FulfilmentLine.fulfilment_id)
        .where(Fulfilment.state.in_(LIVE_FULFILMENT_STATES))
        .group_by(OrderLine.id, OrderLine.order_id, OrderLine.line_no, OrderLine.qty)
    )
    return [
        Problem(
            "assigned", f"order {order_id} line {line_no}", f"{assigned} units assigned but {ordered} ordered"
        )
        for order_id, line_no, ordered, assigned in session.execute(query)
        if assigned > ordered
    ]


def _state_matches_audit(session: Session) -> list[Problem]:
    last_event = (
        select(StateEvent.entity, StateEvent.entity_id, func.max(StateEvent.id).label("last_id"))
        .group_by(StateEvent.entity, StateEvent.entity_id)
        .subquery()
    )
    last_state = {
        (entity, entity_id): to_state
        for entity, entity_id, to_state in session.execute(
            select(StateEvent.entity, StateEvent.entity_id, StateEvent.to_state).join(
                last_event, StateEvent.id == last_event.c.last_id
            )
        )
    }
    problems = []
    for entity, model in (("order", Order), ("fulfilment", Fulfilment)):
        for entity_id, state in session.execute(select(model.id, model.state).order_by(model.id)):
            audited = last_state.get((entity, entity_id))
            if audited != state:
                problems.append(
                    Problem(
                        "audit",
                        f"{entity} {entity_id}",
                        f"state is {state} but the audit trail ends at {audited}",
                    )
                )
    return problems


def _returns_within_sold(session: Session) -> list[Problem]:
    """No order line is refunded (returns and pickup leftovers together) for more units than it had."""
    query = (
        select(OrderLine.order_id, OrderLine.line_no, OrderLine.qty, func.sum(ReturnLine.qty))
        .join(ReturnLine, ReturnLine.order_line_id == OrderLine.id)
        .group_by(OrderLine.id, OrderLine.order_id, OrderLine.line_no, OrderLine.qty)
    )
    return [
        Problem(
            "returns",
            f"order {order_id} line {line_no}",
            f"{returned} units returned or refunded but {sold} sold",
        )
        for order_id, line_no, sold, returned in session.execute(query)
        if returned > sold
    ]


CHECKS = (
    _balances_match_ledger,
    _reserved_matches_reservations,
    _no_forbidden_negatives,
    _fulfilments_within_order,
    _state_matches_audit,
    _returns_within_sold,
)


def run_checks(session: Session) -> list[Problem]:
    return [problem for check in CHECKS for problem in check(session)]
