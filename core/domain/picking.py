"""Picking as the tablet sees it: the queue, one fulfilment's lines, a walk of tasks, a short pick.

Plain values with no database in them, so the Qt screens can hold them (the UI may import
`core.domain` but not the services, which bring SQLAlchemy). The services in
`core.services.pick_queue` / `pick_walk` build them; `core.domain.pick_progress` follows a walk.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

PAGE_SIZE = 60  # queue rows per fetch: a couple of screens, so a flick rarely waits
MAX_PAGE_ROWS = 500  # the most rows one query returns (a refresh re-reads what is on screen)
METHODS = ("ship", "pickup")


class ShortReason(StrEnum):
    """Why units could not be picked; each does something different to the store's stock."""

    NOT_FOUND = "not found"
    DAMAGED = "damaged"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class QueueQuery:
    """What the queue shows: a text (order id or customer), a delivery method, and a page."""

    text: str = ""
    method: str | None = None  # "ship", "pickup" or None for both
    offset: int = 0
    limit: int = PAGE_SIZE


@dataclass(frozen=True, slots=True)
class QueueRow:
    """One card in the pick queue."""

    fulfilment_id: str
    order_id: str
    customer: str
    method: str
    promise_by: datetime | None
    state: str
    lines: int
    units: int
    rerouted: str = ""  # the latest "lines re-routed" note for this fulfilment, if any


@dataclass(frozen=True, slots=True)
class QueuePage:
    rows: tuple[QueueRow, ...]
    offset: int
    total: int  # rows matching the query in all, not only on this page


@dataclass(frozen=True, slots=True)
class Shelf:
    """Where a SKU lives in the store; the walk is sorted by (zone, aisle, position)."""

    code: str = ""
    zone: str = ""
    aisle: int = 0
    position: int = 0

    @property
    def label(self) -> str:
        return self.code or "no bin"

    @property
    def walk_key(self) -> tuple[int, str, int, int, str]:
        """Binned places first, in walking order; SKUs without a bin at the end."""
        return (0 if self.code else 1, self.zone, self.aisle, self.position, self.code)


@dataclass(frozen=True, slots=True)
class DetailLine:
    sku: str
    name: str
    barcodes: tuple[str, ...]
    qty: int
    rejected: int
    rejection_reason: str
    shelf: Shelf


@dataclass(frozen=True, slots=True)
class FulfilmentDetail:
    """The "why this store?" panel: the lines with their bins, and the routing reason in sentences."""

    row: QueueRow
    lines: tuple[DetailLine, ...]
    why: tuple[str, ...]
    rerouted: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Portion:
    """One order's share of a pick task; `badge` names its tote in a batch (A, B, C...)."""

    fulfilment_id: str
    order_id: str
    qty: int
    badge: str


@dataclass(frozen=True, slots=True)
class PickTask:
    """Go to `shelf`, take `qty` of `sku`: the same SKU for several orders of a batch is one task."""

    sku: str
    name: str
    barcodes: tuple[str, ...]
    shelf: Shelf
    portions: tuple[Portion, ...]

    @property
    def qty(self) -> int:
        return sum(p.qty for p in self.portions)


@dataclass(frozen=True, slots=True)
class PickWalk:
    tasks: tuple[PickTask, ...]
    badges: tuple[tuple[str, str, str], ...]  # (fulfilment id, order id, badge), earliest promise first
    taps_allowed: bool  # may an item without a barcode be confirmed by a counted tap?
    note: str = ""  # e.g. fulfilments left out because another device took them
    in_totes: tuple[tuple[str, str, int], ...] = ()  # (fulfilment, SKU, units) picked before the app closed


@dataclass(frozen=True, slots=True)
class OtherBin:
    """Another place in this store where units of the SKU were counted: look there before shorting."""

    shelf: Shelf
    qty: int


@dataclass(frozen=True, slots=True)
class ShortLine:
    """Units of one SKU of one fulfilment that the associate could not pick."""

    fulfilment_id: str
    sku: str
    qty: int


@dataclass(frozen=True, slots=True)
class ShortPickPreview:
    """What confirming a short pick will do, in sentences, computed before anything is written."""

    lines: tuple[ShortLine, ...]
    reason: ShortReason
    effects: tuple[str, ...]
    other_bins: tuple[OtherBin, ...]


@dataclass(frozen=True, slots=True)
class ShortPickResult:
    lines: tuple[ShortLine, ...]
    effects: tuple[str, ...]
    rejected_fulfilments: tuple[str, ...]  # left with nothing to pick: the hub re-routes them whole


@dataclass(frozen=True, slots=True)
class FinishResult:
    picked: tuple[str, ...]
    skipped: tuple[str, ...]  # sentences: fulfilments that changed while the walk went on


@dataclass(frozen=True, slots=True)
class RerouteNotice:
    """The hub moved units off one of this store's fulfilments: where they went, in its words."""

    id: int
    fulfilment_id: str
    text: str
    at: datetime
