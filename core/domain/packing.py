"""Packing as the tablet sees it: what to pack, what is on the label, and checking each item by scan.

Plain values with no database in them, so the Qt screens can hold them (the UI may import
`core.domain` but not the services). `Verification` is the scan check at the bench: it lives in
the screen, records nothing, and answers every scan at once; only the finished pack is recorded
(`core.services.packing`), so a wrong or extra item leaves no trace to undo.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from core.domain.boxes import BoxChoice
from core.domain.handover import bag_code
from core.domain.tracking import tracking_number

MAX_BAGS = 20  # what `core.services.pickup.stage_for_pickup` accepts


@dataclass(frozen=True, slots=True)
class PackCard:
    """One row of the Pack list."""

    fulfilment_id: str
    order_id: str
    customer_name: str
    delivery_method: str  # ship | pickup
    state: str  # picked | packed
    units: int
    promise_by: datetime | None
    carrier: str = ""
    service: str = ""


@dataclass(frozen=True, slots=True)
class PackLine:
    sku: str
    name: str
    qty: int
    barcodes: tuple[str, ...]
    weight_kg: Decimal
    dims_cm: tuple[Decimal, Decimal, Decimal]


@dataclass(frozen=True, slots=True)
class Address:
    """Who and where, as printed: a name and the lines under it."""

    name: str
    lines: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PackSheet:
    """Everything the bench needs for one fulfilment: lines to verify, box, label and slip."""

    fulfilment_id: str
    order_id: str
    state: str
    delivery_method: str
    placed_at: datetime
    promise_by: datetime | None
    ship_from: Address
    ship_to: Address
    carrier: str
    service: str
    eta: date | None
    tracking_number: str
    lines: tuple[PackLine, ...]
    box: BoxChoice
    bags: int = 0  # pickup orders: bags chosen at the bench; 0 = one per suggested box

    @property
    def is_pickup(self) -> bool:
        return self.delivery_method == "pickup"

    @property
    def units(self) -> int:
        return sum(line.qty for line in self.lines)

    @property
    def parcel_count(self) -> int:
        """Labels to print: one per box (at least one, even when no box fits)."""
        return max(1, len(self.box.parcels))

    @property
    def bag_count(self) -> int:
        return self.bags or self.parcel_count

    @property
    def label_count(self) -> int:
        """Pages of labels: a tag per bag for a pickup order, a label per box for a ship order."""
        return self.bag_count if self.is_pickup else self.parcel_count

    def bag_tag(self, index: int) -> str:
        """Bag `index`'s barcode, the one the pickup counter scans at the handover (`core.domain.handover`)."""
        return bag_code(self.fulfilment_id, index + 1, self.bag_count)

    def parcel_tracking(self, index: int) -> str:
        """Box 1 carries the fulfilment's own number (the one the hub is told); each further box
        of a split order gets its own, made the same deterministic way."""
        if index == 0:
            return self.tracking_number
        return tracking_number(f"{self.fulfilment_id}/{index + 1}", self.carrier or "store")

    @property
    def service_text(self) -> str:
        return " ".join(part for part in (self.carrier, self.service) if part) or "carrier to be chosen"


@dataclass(frozen=True, slots=True)
class ShipResult:
    """What marking a fulfilment done changed, for the screen's confirmation."""

    fulfilment_id: str
    state: str  # shipped | ready_for_pickup
    tracking_number: str | None
    movements: int


@dataclass(frozen=True, slots=True)
class VerifyAnswer:
    """The answer to one scan: `outcome` ok / warn / error (as `ui.scan_panel` shows it) and words."""

    outcome: str
    text: str
    sku: str | None = None
    counted: bool = False


@dataclass
class Verification:
    """Counts the units scanned against the sheet. Wrong items and extra units are refused."""

    sheet: PackSheet
    scanned: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._codes: dict[str, str] = {}
        for line in self.sheet.lines:
            self._codes[line.sku.upper()] = line.sku
            for code in line.barcodes:
                self._codes[code] = line.sku

    def needed(self, sku: str) -> int:
        return sum(line.qty for line in self.sheet.lines if line.sku == sku)

    def count(self, sku: str) -> int:
        return self.scanned.get(sku, 0)

    @property
    def verified_units(self) -> int:
        return sum(self.scanned.values())

    @property
    def complete(self) -> bool:
        return all(self.count(line.sku) >= self.needed(line.sku) for line in self.sheet.lines)

    def _name(self, sku: str) -> str:
        return next((line.name for line in self.sheet.lines if line.sku == sku), sku)

    def scan(self, code: str) -> VerifyAnswer:
        """Count one unit of the product with this barcode (or SKU), if the order still needs it."""
        code = code.strip()
        sku = self._codes.get(code) or self._codes.get(code.upper())
        if sku is None:
            return VerifyAnswer(
                "error", f"Wrong item: {code} is not in order {self.sheet.order_id}. Put it aside."
            )
        name, have, need = self._name(sku), self.count(sku), self.needed(sku)
        if have >= need:
            return VerifyAnswer(
                "error",
                f"Extra unit: {name} ({sku}) — the order has {need} and all {need} are checked. Leave it out.",
                sku,
            )
        self.scanned[sku] = have + 1
        if self.complete:
            return VerifyAnswer(
                "ok", f"All {self.sheet.units} items checked. Pack them: {self.sheet.box.text}", sku, True
            )
        return VerifyAnswer("ok", f"{name} ({sku}): {have + 1} of {need} checked.", sku, True)
