"""Hub → store: the changes a device pulls after its cursor, and the snapshot that resets it."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, Field, model_validator

from sync.protocol.base import PROTOCOL_VERSION, Wire
from sync.protocol.push import SkuQty

# --------------------------------------------------------------------------- hub → store changes


class AssignedLine(Wire):
    sku: str
    qty: int  # units the store must still supply (rejected units already removed)
    name: str
    unit_price: Decimal | None = None  # what the customer paid per unit (refunds at the pickup counter)


class FulfilmentAssigned(Wire):
    """The whole fulfilment the store must work; sent when routing creates it and in snapshots
    (where `state` may be past `assigned`). Bins are the store's own business, so none here."""

    fulfilment_id: str
    order_id: str
    location: str
    state: str = "assigned"
    customer_name: str
    customer_phone: str = ""
    customer_email: str = ""  # for the pickup e-mails (ready, reminders)
    delivery_method: Literal["ship", "pickup"]
    ship_postal_code: str = ""  # where a ship order goes, for the label (empty for pickup)
    ship_country: str = ""
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
    """Units taken away from one of this store's fulfilments, and where they went.

    `remaining` is what the fulfilment still holds on the hub after this change, so a store can
    bring its copy to that state instead of subtracting `lines` (which could count a change twice
    or not at all); `event_id` names the store's own `reject_lines` event this answers (none when
    the hub moved the units on its own, e.g. after an offline sale). Both are absent from older hubs.
    """

    fulfilment_id: str
    order_id: str
    lines: list[SkuQty]
    fulfilment_state: str  # `rejected` when nothing is left for the store to do
    moved_to: list[Reroute]  # empty when the units could not be placed anywhere
    reason: str
    text: str
    event_id: uuid.UUID | None = None
    remaining: list[SkuQty] | None = None


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
    # Outer size for the packing bench's box suggestion (0 = not on file)
    length_cm: Decimal = Decimal(0)
    width_cm: Decimal = Decimal(0)
    height_cm: Decimal = Decimal(0)


class CatalogLocation(Wire):
    code: str
    name: str
    type: str
    timezone: str
    pickup: bool
    returns: bool
    ships: bool
    address: str = ""  # the sender on a store's shipping labels
    postal_code: str = ""
    # Where it is, so a store can say how far another location is (Inventory's "nearby" list)
    latitude: float | None = None
    longitude: float | None = None


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
    """Changes after the cursor, oldest first. Apply them and store `cursor` and `epoch` in one
    transaction; pull again at once while `more` is true. With `snapshot=True` first drop the local
    copy of fulfilments, stock and catalog, then apply.

    `epoch` names the hub's feed: send it back with the cursor (`?cursor=N&epoch=E`). A cursor
    only means something in its epoch, so a device without one (new, reset) or with another hub's
    gets a snapshot, and a device whose snapshot was taken while the feed was still empty (cursor 0)
    is not sent a new snapshot on every pull."""

    protocol: int = PROTOCOL_VERSION
    changes: list[Change]
    cursor: Annotated[int, Field(ge=0)]
    more: bool
    snapshot: bool = False
    epoch: Annotated[str, Field(max_length=64)] = ""


def change(seq: int, kind: ChangeKind, payload: Wire) -> Change:
    """Build a feed entry from a typed payload (JSON-safe: decimals and dates as strings)."""
    return Change(seq=seq, kind=kind, payload=payload.model_dump(mode="json"))
