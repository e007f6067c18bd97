"""What the Inventory screen shows of one product: plain values the tablet can hold.

A store associate asks two questions at the shelf: "how many do we have, and where?" and, when
the answer is none, "who nearby has it?". The first is answered from the store's own copy of the
ledger (`StoreStock`), offline too; the second from the hub's network view (`NearbyStock`), ranked
by distance from this store so the nearest place to send a customer comes first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from core.domain.inventory import available_to_promise
from core.domain.picking import OtherBin, Shelf


@dataclass(frozen=True, slots=True)
class ProductHit:
    """A product matching what was typed or scanned."""

    sku: str
    name: str
    category: str
    price: Decimal


@dataclass(frozen=True, slots=True)
class MovementLine:
    """One ledger entry at this store, newest first on screen."""

    occurred_at: datetime
    bucket: str
    qty: int
    reason: str
    reference: str


@dataclass(frozen=True, slots=True)
class StockLine:
    """One location's balance of a SKU by bucket, as `stock_positions` holds it."""

    location: str
    name: str
    type: str
    sellable: int
    damaged: int
    quarantine: int
    in_transit: int
    reserved: int
    safety_stock: int
    bin: str | None

    @property
    def atp(self) -> int:
        return available_to_promise(self.sellable, self.reserved, self.safety_stock)


@dataclass(frozen=True, slots=True)
class ShelfCount:
    """What the shelves should hold, so a count of them can be turned into one ledger movement.

    Units picked for an order, packed, or bagged for a pickup are still sellable on the books
    until they leave, but they are not on the shelves: they are taken off before comparing. While
    an order with the SKU is being picked, units may be in a tote, so the count waits for it.
    """

    on_books: int  # sellable in the ledger
    off_shelf: int
    being_picked: tuple[str, ...] = ()  # orders whose walk with this SKU is under way

    @property
    def expected(self) -> int:
        return self.on_books - self.off_shelf

    def variance(self, counted: int) -> int:
        return counted - self.expected


@dataclass(frozen=True, slots=True)
class StoreStock:
    """One SKU at this store: the balance by bucket, where it sits, and what moved it lately."""

    product: ProductHit
    levels: StockLine
    shelves: ShelfCount
    home: Shelf | None
    other_bins: tuple[OtherBin, ...]
    recent: tuple[MovementLine, ...]

    @property
    def location(self) -> str:
        return self.levels.location

    @property
    def atp(self) -> int:
        return self.levels.atp


@dataclass(frozen=True, slots=True)
class NearbyStock:
    """Another location's stock of the SKU as the hub last knew it."""

    location: str
    name: str
    type: str
    atp: int
    sellable: int
    distance_km: float | None  # None when this store's copy does not know where it is
