"""The sync wire protocol, version 1: the pydantic models both the store client and the hub speak.

Why one module for both ends: a field renamed on one side and not the other is a silent data loss
in an offline-first system, so the hub validates what it receives and the client builds what it
sends from the same classes. Every model forbids unknown fields, so a typo fails loudly.

Direction of travel:

* store → hub: `PushRequest` of `Event`s (made on the tablet, each with a UUID made there; the
  hub applies each exactly once and answers one `PushResult` per event);
* hub → store: `PullResponse` of `Change`s for that store after a cursor (`seq` of the last
  change applied). `snapshot=True` means "reset your copy from these changes".

Paths are versioned (`/v1/...`) and bodies carry `protocol` so either end can refuse a version it
does not understand instead of misreading it.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    field_validator,
    model_validator,
)

from core.domain.inventory import Bucket, Reason

PROTOCOL_VERSION = 1
MAX_EVENTS_PER_PUSH = 500
MAX_PULL_LIMIT = 1000

Code = Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
Qty = Annotated[int, Field(strict=True, gt=0, le=1_000_000)]


class Wire(BaseModel):
    """Base of every wire model: unknown fields are an error, values are immutable once parsed."""

    model_config = ConfigDict(extra="forbid", frozen=True)


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
    lines: Annotated[list[SkuQty], Field(max_length=200)] = []
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


Event = Annotated[MovementEvent | FulfilmentEvent, Field(discriminator="kind")]
EVENT_ADAPTER: TypeAdapter[MovementEvent | FulfilmentEvent] = TypeAdapter(Event)


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


# --------------------------------------------------------------------------- hub → store changes


class AssignedLine(Wire):
    sku: str
    qty: int  # units the store must still supply (rejected units already removed)
    name: str


class FulfilmentAssigned(Wire):
    """The whole fulfilment the store must work; sent when routing creates it and in snapshots
    (where `state` may be past `assigned`). Bins are the store's own business, so none here."""

    fulfilment_id: str
    order_id: str
    location: str
    state: str = "assigned"
    customer_name: str
    customer_phone: str = ""
    delivery_method: Literal["ship", "pickup"]
    promise_by: AwareDatetime | None = None
    lines: list[AssignedLine]
    carrier: str = ""
    service: str = ""
    eta: date | None = None
    explanation: str = ""  # why this store, in plain sentences
    created_at: AwareDatetime


class FulfilmentCancelled(Wire):
    fulfilment_id: str
    order_id: str
    reason: str


class Reroute(Wire):
    location: str
    lines: list[SkuQty]


class LinesRerouted(Wire):
    """Units taken away from one of this store's fulfilments, and where they went."""

    fulfilment_id: str
    order_id: str
    lines: list[SkuQty]
    fulfilment_state: str  # `rejected` when nothing is left for the store to do
    moved_to: list[Reroute]  # empty when the units could not be placed anywhere
    reason: str
    text: str


class EventAnswer(Wire):
    """The hub refused an event after the fact (e.g. the fulfilment was cancelled while offline)."""

    event_id: uuid.UUID
    status: Literal["rejected"] = "rejected"
    reason: str
    field: str | None = None
    fulfilment_id: str | None = None


class Balance(Wire):
    sku: str
    sellable: int
    damaged: int
    quarantine: int
    in_transit: int
    reserved: int
    safety_stock: int
    bin: str | None = None


class StockBalances(Wire):
    """Balances of this store; `complete` means SKUs not listed are zero (snapshots)."""

    location: str
    complete: bool
    balances: list[Balance]


class CatalogProduct(Wire):
    sku: str
    name: str
    category: str
    price: Decimal
    barcodes: list[str]
    weight_kg: Decimal
    returnable_days: int


class CatalogLocation(Wire):
    code: str
    name: str
    type: str
    timezone: str
    pickup: bool
    returns: bool
    ships: bool


class Catalog(Wire):
    """Products and locations the store needs offline; `complete` means replace, not merge."""

    complete: bool
    products: list[CatalogProduct]
    locations: list[CatalogLocation]


class ChangeKind(StrEnum):
    FULFILMENT_ASSIGNED = "fulfilment_assigned"
    FULFILMENT_CANCELLED = "fulfilment_cancelled"
    LINES_REROUTED = "lines_rerouted"
    EVENT_ANSWER = "event_answer"
    STOCK = "stock"
    CATALOG = "catalog"


PAYLOAD_MODELS: dict[ChangeKind, type[Wire]] = {
    ChangeKind.FULFILMENT_ASSIGNED: FulfilmentAssigned,
    ChangeKind.FULFILMENT_CANCELLED: FulfilmentCancelled,
    ChangeKind.LINES_REROUTED: LinesRerouted,
    ChangeKind.EVENT_ANSWER: EventAnswer,
    ChangeKind.STOCK: StockBalances,
    ChangeKind.CATALOG: Catalog,
}


class Change(Wire):
    """One entry of a store's feed. `payload` is the JSON of `PAYLOAD_MODELS[kind]`; use
    `typed_payload()` to read it. Snapshot entries carry the feed head as their `seq`."""

    seq: Annotated[int, Field(ge=0)]
    kind: ChangeKind
    payload: dict[str, Any]

    @model_validator(mode="after")
    def _payload_matches_kind(self) -> Change:
        PAYLOAD_MODELS[self.kind].model_validate(self.payload)
        return self

    def typed_payload(self) -> Wire:
        return PAYLOAD_MODELS[self.kind].model_validate(self.payload)


class PullResponse(Wire):
    """Changes after the cursor, oldest first. Apply them and store `cursor` in one transaction;
    pull again at once while `more` is true. With `snapshot=True` first drop the local copy of
    fulfilments, stock and catalog, then apply."""

    protocol: int = PROTOCOL_VERSION
    changes: list[Change]
    cursor: Annotated[int, Field(ge=0)]
    more: bool
    snapshot: bool = False


def change(seq: int, kind: ChangeKind, payload: Wire) -> Change:
    """Build a feed entry from a typed payload (JSON-safe: decimals and dates as strings)."""
    return Change(seq=seq, kind=kind, payload=payload.model_dump(mode="json"))


def event_payload_json(event: MovementEvent | FulfilmentEvent) -> dict[str, Any]:
    """The canonical content of an event, hashed by the hub to tell a retry from a conflict."""
    return event.model_dump(mode="json")


__all__ = [
    "EVENT_ADAPTER",
    "MAX_EVENTS_PER_PUSH",
    "MAX_PULL_LIMIT",
    "PAYLOAD_MODELS",
    "PROTOCOL_VERSION",
    "AssignedLine",
    "Balance",
    "Catalog",
    "CatalogLocation",
    "CatalogProduct",
    "Change",
    "ChangeKind",
    "EnrollRequest",
    "EnrollResponse",
    "Event",
    "EventAnswer",
    "FulfilmentAction",
    "FulfilmentAssigned",
    "FulfilmentCancelled",
    "FulfilmentEvent",
    "FulfilmentPayload",
    "LinesRerouted",
    "MovementEvent",
    "MovementPayload",
    "PullResponse",
    "PushRequest",
    "PushResponse",
    "PushResult",
    "PushStatus",
    "Reroute",
    "SkuQty",
    "StockBalances",
    "change",
    "event_payload_json",
]
