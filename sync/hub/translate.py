"""Wire ↔ core: protocol events become `StoreEvent`s, and one bad event stays one result.

A push is validated whole, in one call, because nearly every push is valid and validating event by
event from Python costs several times the validation itself; only a push holding an invalid event
is validated again one event at a time, so that event's field is the one reported.

Core cannot import `sync`, so the hub's services take plain dataclasses; this is the only place
that knows both shapes.
"""

from __future__ import annotations

import uuid
from typing import Any

import pydantic
from fastapi.exceptions import RequestValidationError

from core.domain.errors import OmsError
from core.domain.inventory import MovementSpec
from core.domain.orders import field_path
from core.services.hub.events import StoreEvent
from core.services.hub.fulfilment_updates import FulfilmentUpdate
from core.services.hub.inbox import EventOutcome
from core.services.hub.refunds import StoreRefund
from sync.protocol import EVENT_ADAPTER, EVENTS_ADAPTER, AnyEvent, MovementEvent, RefundEvent


def _event_id(raw: Any, index: int) -> uuid.UUID:
    """The id a result can be reported under; without one the whole request is malformed."""
    value = raw.get("id") if isinstance(raw, dict) else None
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError):
        error = {"loc": ("body", "events", index, "id"), "msg": "every event needs a UUID id", "type": "uuid"}
        raise RequestValidationError([error]) from None


def to_store_events(raw: list[Any]) -> list[StoreEvent | EventOutcome]:
    """Every event of a push, in order, as `to_store_event` answers each."""
    try:
        events = EVENTS_ADAPTER.validate_python(raw)
    except pydantic.ValidationError:
        return [to_store_event(event, i) for i, event in enumerate(raw)]
    documents = EVENTS_ADAPTER.dump_python(events, mode="json")
    return [_store_event(event, document) for event, document in zip(events, documents, strict=True)]


def to_store_event(raw: Any, index: int) -> StoreEvent | EventOutcome:
    """A valid event as the core applies it, or a rejected outcome naming the failing field."""
    event_id = _event_id(raw, index)
    try:
        event = EVENT_ADAPTER.validate_python(raw)
    except pydantic.ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(p for p in first["loc"] if p not in ("movement", "fulfilment", "refund"))
        message = first["msg"].removeprefix("Value error, ")
        return EventOutcome(event_id, "rejected", message, field_path(loc) or None)
    return _store_event(event, event.model_dump(mode="json"))


def _store_event(event: AnyEvent, document: dict[str, Any]) -> StoreEvent | EventOutcome:
    """`document` is the event's canonical JSON, whose hash tells a retry from a conflict."""
    try:
        body = _body(event)
    except OmsError as exc:
        return EventOutcome(event.id, "rejected", exc.message, f"payload.{exc.field}" if exc.field else None)
    return StoreEvent(event.id, event.kind, document, body)


def _body(event: AnyEvent) -> MovementSpec | FulfilmentUpdate | StoreRefund:
    if isinstance(event, RefundEvent):
        return StoreRefund(event.payload.model_dump(mode="json"))
    if isinstance(event, MovementEvent):
        p = event.payload
        return MovementSpec(
            location=p.location,
            sku=p.sku,
            qty=p.qty,
            reason=p.reason,
            bucket=p.bucket,
            reference=p.reference,
            device=p.device,
            occurred_at=event.occurred_at,
            id=event.id,
        )
    f = event.payload
    return FulfilmentUpdate(
        fulfilment_id=f.fulfilment_id,
        action=f.action.value,
        lines=tuple((line.sku, line.qty) for line in f.lines),
        reason=f.reason,
        tracking_number=f.tracking_number,
    )
