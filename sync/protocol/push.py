"""Store → hub: enrolment, and the batch of events a device pushes (answered one result per event)."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, Field, TypeAdapter, field_validator, model_validator

from core.domain.inventory import Bucket, Reason
from sync.protocol.base import MAX_EVENTS_PER_PUSH, PROTOCOL_VERSION, Code, Qty, Wire
from sync.protocol.refunds import RefundPayload

# --------------------------------------------------------------------------- enrolment


class EnrollRequest(Wire):
    code: Annotated[str, Field(min_length=4, max_length=64)]
    device_name: Annotated[str, Field(min_length=1, max_length=64)]


class EnrollResponse(Wire):
    protocol: int = PROTOCOL_VERSION
    token: str
    location: str
    hub_time: AwareDatetime


# --------------------------------------------------------------------------- store → hub events


class MovementPayload(Wire):
    """A ledger movement made in the store; the ledger row's id is the event id."""

    location: Code
    sku: Code
    qty: Annotated[int, Field(strict=True, ge=-1_000_000, le=1_000_000)]
    bucket: Bucket = Bucket.SELLABLE
    reason: Reason
    reference: Annotated[str, Field(max_length=120)] = ""
    device: Annotated[str, Field(max_length=64)] = ""

    @field_validator("qty")
    @classmethod
    def _not_zero(cls, qty: int) -> int:
        if qty == 0:
            raise ValueError("qty must not be zero")
        return qty


class FulfilmentAction(StrEnum):
    PICKING = "picking"
    PICKED = "picked"
    PACKED = "packed"
    SHIPPED = "shipped"
    READY_FOR_PICKUP = "ready_for_pickup"
    COLLECTED = "collected"
    REJECT_LINES = "reject_lines"
    CANCELLED_BY_STORE = "cancelled_by_store"


class SkuQty(Wire):
    sku: Code
    qty: Qty


class FulfilmentPayload(Wire):
    """A step the store took on a fulfilment. `reject_lines` with no lines rejects every unit left."""

    fulfilment_id: Annotated[str, Field(min_length=1, max_length=80)]
    action: FulfilmentAction
    lines: Annotated[list[SkuQty], Field(default_factory=list, max_length=200)]
    reason: Annotated[str, Field(max_length=120)] = ""
    tracking_number: Annotated[str, Field(max_length=64)] | None = None

    @model_validator(mode="after")
    def _consistent(self) -> FulfilmentPayload:
        needs_reason = (FulfilmentAction.REJECT_LINES, FulfilmentAction.CANCELLED_BY_STORE)
        if self.action in needs_reason and not self.reason.strip():
            raise ValueError(f"{self.action} needs a reason")
        if self.lines and self.action is not FulfilmentAction.REJECT_LINES:
            raise ValueError("lines are only sent with reject_lines")
        return self


class _EventBase(Wire):
    id: uuid.UUID
    occurred_at: AwareDatetime


class MovementEvent(_EventBase):
    kind: Literal["movement"] = "movement"
    payload: MovementPayload


class FulfilmentEvent(_EventBase):
    kind: Literal["fulfilment"] = "fulfilment"
    payload: FulfilmentPayload


class RefundEvent(_EventBase):
    """A refund the store recorded (a return, units left at pickup); its stock moves as movements."""

    kind: Literal["refund"] = "refund"
    payload: RefundPayload


AnyEvent = MovementEvent | FulfilmentEvent | RefundEvent
Event = Annotated[AnyEvent, Field(discriminator="kind")]
EVENT_ADAPTER: TypeAdapter[AnyEvent] = TypeAdapter(Event)
# A whole batch in one call: per event, validating and dumping from Python costs more than the work.
EVENTS_ADAPTER: TypeAdapter[list[AnyEvent]] = TypeAdapter(list[Event])


class PushRequest(Wire):
    """A batch of events, oldest first. The hub validates each event on its own, so one malformed
    event is rejected with its field and never blocks the others (only a missing/invalid `id`
    fails the whole request, since there would be nothing to answer it by)."""

    protocol: int = PROTOCOL_VERSION
    events: Annotated[list[Event], Field(min_length=1, max_length=MAX_EVENTS_PER_PUSH)]


class PushStatus(StrEnum):
    APPLIED = "applied"
    DUPLICATE = "duplicate"  # already applied earlier with the same content: treat as acked
    REJECTED = "rejected"  # will never apply as sent: move it to the review list, do not retry


class PushResult(Wire):
    id: uuid.UUID
    status: PushStatus
    reason: str = ""
    field: str | None = None


class PushResponse(Wire):
    protocol: int = PROTOCOL_VERSION
    results: list[PushResult]


def event_payload_json(event: AnyEvent) -> dict[str, Any]:
    """The canonical content of an event, hashed by the hub to tell a retry from a conflict."""
    return event.model_dump(mode="json")
