"""The sync wire protocol, version 1: the pydantic models both the store client and the hub speak.

Why one package for both ends: a field renamed on one side and not the other is a silent data loss
in an offline-first system, so the hub validates what it receives and the client builds what it
sends from the same classes. Every model forbids unknown fields, so a typo fails loudly.

Direction of travel:

* store → hub: `PushRequest` of `Event`s (made on the tablet, each with a UUID made there; the
  hub applies each exactly once and answers one `PushResult` per event);
* hub → store: `PullResponse` of `Change`s for that store after a cursor (`seq` of the last
  change applied). `snapshot=True` means "reset your copy from these changes".

Modules: `base` (version, limits, the strict `Wire` base), `push` (enrolment, events, push
results), `pull` (changes, snapshots), `refunds` (a refund event's payload), `order_lookup` (an
order of any channel as a store reads it for a return). Import from `sync.protocol`; the split is private.

Stock that leaves with a fulfilment travels as the store's own `shipment` / `pickup` movement
events; the `shipped` / `collected` steps only move state and consume the hub's reservation.

Paths are versioned (`/v1/...`) and bodies carry `protocol` so either end can refuse a version it
does not understand instead of misreading it.
"""

from sync.protocol.base import MAX_EVENTS_PER_PUSH, MAX_PULL_LIMIT, PROTOCOL_VERSION, Code, Qty, Wire
from sync.protocol.order_lookup import (
    DeliveredFulfilment,
    DeliveredLine,
    OrderForReturn,
    OrderLineForReturn,
    OrderSearchHit,
    OrderSearchResult,
    RefundRecord,
    RefundRecordLine,
)
from sync.protocol.pull import (
    PAYLOAD_MODELS,
    AssignedLine,
    Balance,
    Catalog,
    CatalogLocation,
    CatalogProduct,
    Change,
    ChangeKind,
    EventAnswer,
    FulfilmentAssigned,
    FulfilmentCancelled,
    LinesRerouted,
    PullResponse,
    Reroute,
    StockBalances,
    change,
)
from sync.protocol.push import (
    EVENT_ADAPTER,
    EVENTS_ADAPTER,
    AnyEvent,
    EnrollRequest,
    EnrollResponse,
    Event,
    FulfilmentAction,
    FulfilmentEvent,
    FulfilmentPayload,
    MovementEvent,
    MovementPayload,
    PushRequest,
    PushResponse,
    PushResult,
    PushStatus,
    RefundEvent,
    SkuQty,
    event_payload_json,
)
from sync.protocol.refunds import RefundKind, RefundLine, RefundMethod, RefundPayload

__all__ = [
    "EVENTS_ADAPTER",
    "EVENT_ADAPTER",
    "MAX_EVENTS_PER_PUSH",
    "MAX_PULL_LIMIT",
    "PAYLOAD_MODELS",
    "PROTOCOL_VERSION",
    "AnyEvent",
    "AssignedLine",
    "Balance",
    "Catalog",
    "CatalogLocation",
    "CatalogProduct",
    "Change",
    "ChangeKind",
    "Code",
    "DeliveredFulfilment",
    "DeliveredLine",
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
    "OrderForReturn",
    "OrderLineForReturn",
    "OrderSearchHit",
    "OrderSearchResult",
    "PullResponse",
    "PushRequest",
    "PushResponse",
    "PushResult",
    "PushStatus",
    "Qty",
    "RefundEvent",
    "RefundKind",
    "RefundLine",
    "RefundMethod",
    "RefundPayload",
    "RefundRecord",
    "RefundRecordLine",
    "Reroute",
    "SkuQty",
    "StockBalances",
    "Wire",
    "change",
    "event_payload_json",
]
