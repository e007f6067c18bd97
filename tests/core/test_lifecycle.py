"""Order and fulfilment state machines: every legal move works and is audited, every other is refused."""

from __future__ import annotations

from itertools import product as pairs

import pytest
from sqlalchemy.orm import Session

from core.domain.errors import IllegalTransitionError
from core.domain.lifecycle import FULFILMENT_MACHINE, ORDER_MACHINE, FulfilmentState, OrderState, StateMachine
from core.domain.orders import parse_order
from core.services.checks import run_checks
from core.services.orders import (
    Actor,
    audit_trail,
    create_fulfilment,
    create_order,
    transition_fulfilment,
    transition_order,
)
from core.storage.database import Database
from core.storage.models import Fulfilment, Order
from tests.factories import NOW, order_json, small_network


def legal(machine: StateMachine) -> list[tuple[str, str]]:
    return [(a.value, b.value) for a, targets in machine.transitions.items() for b in sorted(targets)]


def illegal(machine: StateMachine) -> list[tuple[str, str]]:
    allowed = set(legal(machine))
    return [
        (a.value, b.value) for a, b in pairs(machine.states, repeat=2) if (a.value, b.value) not in allowed
    ]


def put_in_state(session: Session, row: Order | Fulfilment, state: str) -> None:
    """Force a starting state as if earlier transitions had happened (audited, so checks still hold)."""
    kind = "order" if isinstance(row, Order) else "fulfilment"
    move = transition_order if kind == "order" else transition_fulfilment
    machine = ORDER_MACHINE if kind == "order" else FULFILMENT_MACHINE
    path = shortest_path(machine, row.state, state)
    for step in path:
        move(session, row.id, step, reason="setup", now=NOW)  # type: ignore[arg-type]


def shortest_path(machine: StateMachine, start: str, goal: str) -> list[str]:
    frontier, seen = [[start]], {start}
    while frontier:
        path = frontier.pop(0)
        if path[-1] == goal:
            return path[1:]
        for nxt in sorted(machine.allowed(machine.states(path[-1]))):
            if nxt.value not in seen:
                seen.add(nxt.value)
                frontier.append([*path, nxt.value])
    raise AssertionError(f"{goal} unreachable from {start}")


@pytest.fixture
def order(sqlite_db: Database) -> Database:
    with sqlite_db.transaction() as s:
        small_network(s)
        create_order(s, parse_order(order_json()), now=NOW)
        create_fulfilment(s, "W1", "S01", [(1, 2), (2, 1)], now=NOW)
    return sqlite_db


@pytest.mark.parametrize(("start", "target"), legal(ORDER_MACHINE))
def test_every_legal_order_transition(order: Database, start: str, target: str) -> None:
    with order.transaction() as s:
        put_in_state(s, s.get(Order, "W1"), start)
        transition_order(
            s, "W1", OrderState(target), actor=Actor("maria", "tablet-3"), reason="test", now=NOW
        )
    with order.transaction() as s:
        assert s.get(Order, "W1").state == target
        last = audit_trail(s, "order", "W1")[-1]
        assert (last.from_state, last.to_state, last.actor, last.device, last.reason) == (
            start,
            target,
            "maria",
            "tablet-3",
            "test",
        )
        assert run_checks(s) == []


@pytest.mark.parametrize(("start", "target"), legal(FULFILMENT_MACHINE))
def test_every_legal_fulfilment_transition(order: Database, start: str, target: str) -> None:
    with order.transaction() as s:
        fulfilment = s.get(Order, "W1").fulfilments[0]
        put_in_state(s, fulfilment, start)
        transition_fulfilment(s, fulfilment.id, FulfilmentState(target), actor=Actor("li"), now=NOW)
    with order.transaction() as s:
        fulfilment = s.get(Order, "W1").fulfilments[0]
        assert fulfilment.state == target
        assert audit_trail(s, "fulfilment", fulfilment.id)[-1].to_state == target


@pytest.mark.parametrize(("start", "target"), illegal(ORDER_MACHINE)[::4])
def test_illegal_order_transitions_are_refused_and_change_nothing(
    order: Database, start: str, target: str
) -> None:
    with order.transaction() as s:
        put_in_state(s, s.get(Order, "W1"), start)
        events = len(audit_trail(s, "order", "W1"))
    refused = pytest.raises(IllegalTransitionError, match=f"order W1 cannot go from {start} to {target}")
    with refused, order.transaction() as s:
        transition_order(s, "W1", OrderState(target))
    with order.transaction() as s:
        assert s.get(Order, "W1").state == start
        assert len(audit_trail(s, "order", "W1")) == events


@pytest.mark.parametrize(("start", "target"), illegal(FULFILMENT_MACHINE)[::4])
def test_illegal_fulfilment_transitions_are_refused(start: str, target: str) -> None:
    with pytest.raises(IllegalTransitionError, match="allowed from"):
        FULFILMENT_MACHINE.check("F1", FulfilmentState(start), FulfilmentState(target))


def test_final_states_say_so() -> None:
    with pytest.raises(IllegalTransitionError, match="none \\(final state\\)"):
        ORDER_MACHINE.check("W1", OrderState.COMPLETED, OrderState.CANCELLED)
    assert {s for s in FulfilmentState if FULFILMENT_MACHINE.is_terminal(s)} == {
        FulfilmentState.SHIPPED,
        FulfilmentState.COLLECTED,
        FulfilmentState.REJECTED,
        FulfilmentState.CANCELLED,
    }


def test_every_state_is_reachable_from_the_start() -> None:
    for machine, start in ((ORDER_MACHINE, "created"), (FULFILMENT_MACHINE, "assigned")):
        for state in machine.states:
            if state.value != start:
                assert shortest_path(machine, start, state.value)
