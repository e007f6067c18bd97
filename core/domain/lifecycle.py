"""Order and fulfilment state machines.

The transitions are data so the audit trail, the UI and the checks all read the same table; any
move not listed is refused with the moves that would have been allowed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

from core.domain.errors import IllegalTransitionError

S = TypeVar("S", bound=StrEnum)


class OrderState(StrEnum):
    CREATED = "created"
    ROUTED = "routed"
    PARTIALLY_ROUTED = "partially_routed"
    UNFULFILLABLE = "unfulfillable"
    IN_FULFILMENT = "in_fulfilment"
    READY_FOR_PICKUP = "ready_for_pickup"
    SHIPPED = "shipped"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class FulfilmentState(StrEnum):
    ASSIGNED = "assigned"
    PICKING = "picking"
    PICKED = "picked"
    PACKED = "packed"
    SHIPPED = "shipped"
    READY_FOR_PICKUP = "ready_for_pickup"
    COLLECTED = "collected"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class StateMachine(Generic[S]):
    name: str
    states: type[S]
    transitions: Mapping[S, frozenset[S]]

    def allowed(self, current: S) -> frozenset[S]:
        return self.transitions.get(current, frozenset())

    def is_terminal(self, state: S) -> bool:
        return not self.allowed(state)

    def check(self, entity_id: str, current: S, target: S) -> None:
        """Raise unless `current -> target` is a legal move for the entity named in the message."""
        if target in self.allowed(current):
            return
        options = ", ".join(sorted(self.allowed(current))) or "none (final state)"
        raise IllegalTransitionError(
            f"{self.name} {entity_id} cannot go from {current} to {target}; allowed from {current}: {options}",
            field="state",
        )


_O = OrderState
ORDER_MACHINE = StateMachine[OrderState](
    "order",
    OrderState,
    {
        _O.CREATED: frozenset({_O.ROUTED, _O.PARTIALLY_ROUTED, _O.UNFULFILLABLE, _O.CANCELLED}),
        _O.ROUTED: frozenset({_O.IN_FULFILMENT, _O.PARTIALLY_ROUTED, _O.UNFULFILLABLE, _O.CANCELLED}),
        _O.PARTIALLY_ROUTED: frozenset({_O.ROUTED, _O.IN_FULFILMENT, _O.UNFULFILLABLE, _O.CANCELLED}),
        _O.UNFULFILLABLE: frozenset({_O.ROUTED, _O.PARTIALLY_ROUTED, _O.CANCELLED}),
        _O.IN_FULFILMENT: frozenset(
            {_O.SHIPPED, _O.READY_FOR_PICKUP, _O.PARTIALLY_ROUTED, _O.ROUTED, _O.UNFULFILLABLE, _O.CANCELLED}
        ),
        _O.READY_FOR_PICKUP: frozenset({_O.COMPLETED, _O.CANCELLED}),
        _O.SHIPPED: frozenset({_O.COMPLETED}),
    },
)

_F = FulfilmentState
FULFILMENT_MACHINE = StateMachine[FulfilmentState](
    "fulfilment",
    FulfilmentState,
    {
        _F.ASSIGNED: frozenset({_F.PICKING, _F.REJECTED, _F.CANCELLED}),
        _F.PICKING: frozenset({_F.PICKED, _F.ASSIGNED, _F.REJECTED, _F.CANCELLED}),
        _F.PICKED: frozenset({_F.PACKED, _F.REJECTED, _F.CANCELLED}),
        _F.PACKED: frozenset({_F.SHIPPED, _F.READY_FOR_PICKUP, _F.CANCELLED}),
        _F.READY_FOR_PICKUP: frozenset({_F.COLLECTED, _F.CANCELLED}),
    },
)
