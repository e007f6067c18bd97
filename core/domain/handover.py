"""The handover at the pickup counter as pure rules: what is due, what a scan means, what is left.

Nothing left behind, nothing given twice: every bag is scanned once; an item scan counts one unit
of a SKU on the order and is refused past the units due or for anything not on the order. When
the order has no bags each unit handed over must be scanned. Units that stay (declined, damaged,
missing) are declared with a reason, and the store refunds them or keeps declined ones for later.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from core.domain.errors import ValidationError
from core.domain.parsing import parse_enum, require_quantity
from core.domain.pickup import LeftOutcome, LeftReason

BAG_PREFIX = "BAG"


def bag_code(fulfilment_id: str, number: int, total: int) -> str:
    """What the bag label's barcode says: `BAG:<fulfilment>:<n>/<total>`."""
    return f"{BAG_PREFIX}:{fulfilment_id}:{number}/{total}"


@dataclass(frozen=True, slots=True)
class DueItem:
    sku: str
    name: str
    qty: int  # units due at this visit
    barcodes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class HandoverPlan:
    """What the customer should leave with at this visit."""

    pickup_id: str
    order_id: str
    items: tuple[DueItem, ...]
    bags: int

    def item(self, sku: str) -> DueItem | None:
        return next((i for i in self.items if i.sku == sku), None)

    @property
    def units(self) -> int:
        return sum(i.qty for i in self.items)


@dataclass(frozen=True, slots=True)
class ScanMeaning:
    """A scan the plan accepts: one bag (`bag` set) or one unit of `sku`."""

    code: str
    sku: str | None = None
    bag: int | None = None


@dataclass(frozen=True, slots=True)
class LeftLine:
    """Units of one SKU that do not leave with the customer, and why."""

    sku: str
    qty: int
    reason: LeftReason

    def __post_init__(self) -> None:
        require_quantity(self.qty, field="left.qty")
        object.__setattr__(self, "reason", parse_enum(LeftReason, self.reason, field="left.reason"))


def judge_scan(
    plan: HandoverPlan, code: str, units_scanned: Mapping[str, int], bags_scanned: set[int]
) -> ScanMeaning:
    """What a scan means for this handover, or a `ValidationError` saying what is wrong with it."""
    code = code.strip()
    if not code:
        raise ValidationError("the scan was empty", field="code")
    if code.upper().startswith(f"{BAG_PREFIX}:"):
        return _judge_bag(plan, code, bags_scanned)
    item = next((i for i in plan.items if code in i.barcodes or code.upper() == i.sku.upper()), None)
    if item is None:
        raise ValidationError(f"{code} is not on order {plan.order_id}: do not hand it over", field="code")
    done = units_scanned.get(item.sku, 0)
    if done >= item.qty:
        raise ValidationError(
            f"{item.name} ({item.sku}) was scanned twice: only {item.qty} unit(s) are due on order "
            f"{plan.order_id}, all already scanned",
            field="code",
        )
    return ScanMeaning(code, sku=item.sku)


def _judge_bag(plan: HandoverPlan, code: str, bags_scanned: set[int]) -> ScanMeaning:
    try:
        _, fulfilment_id, counted = code.split(":", 2)
        number, total = (int(x) for x in counted.split("/"))
    except ValueError:
        raise ValidationError(f"{code} is not a bag label", field="code") from None
    if fulfilment_id != plan.pickup_id:
        raise ValidationError(
            f"bag {number}/{total} belongs to {fulfilment_id}, not to order {plan.order_id}", field="code"
        )
    if total != plan.bags or not 1 <= number <= plan.bags:
        raise ValidationError(
            f"order {plan.order_id} has {plan.bags} bag(s); {code} is not one", field="code"
        )
    if number in bags_scanned:
        raise ValidationError(f"bag {number} of {plan.bags} was already scanned", field="code")
    return ScanMeaning(code, bag=number)


def check_left(plan: HandoverPlan, left: Sequence[LeftLine], outcome: LeftOutcome) -> dict[str, LeftLine]:
    """Declared leftovers by SKU: on the order, within the units due, keepable only when declined."""
    by_sku: dict[str, LeftLine] = {}
    for i, line in enumerate(left):
        item = plan.item(line.sku)
        where = f"left[{i}]"
        if item is None:
            raise ValidationError(f"{line.sku} is not on order {plan.order_id}", field=f"{where}.sku")
        if line.sku in by_sku:
            raise ValidationError(
                f"{line.sku} is listed twice; give one reason per line", field=f"{where}.sku"
            )
        if line.qty > item.qty:
            raise ValidationError(
                f"{line.qty} unit(s) of {line.sku} cannot stay: only {item.qty} are due", field=f"{where}.qty"
            )
        if outcome is LeftOutcome.KEEP and line.reason is not LeftReason.DECLINED:
            raise ValidationError(
                f"{line.sku} is {line.reason}: only declined units can be kept for later; refund it "
                "(a replacement is a new order)",
                field=f"{where}.reason",
            )
        by_sku[line.sku] = line
    return by_sku


def handed_over(
    plan: HandoverPlan,
    units_scanned: Mapping[str, int],
    bags_scanned: set[int],
    left: Mapping[str, LeftLine],
) -> dict[str, int]:
    """Units leaving with the customer per SKU, once the handover is complete; otherwise an error
    naming what is not accounted for (a bag not scanned, units neither scanned nor declared)."""
    missing_bags = sorted(set(range(1, plan.bags + 1)) - bags_scanned)
    if missing_bags:
        listed = ", ".join(f"{n}/{plan.bags}" for n in missing_bags)
        raise ValidationError(f"bag {listed} of order {plan.order_id} not scanned yet", field="bags")
    out: dict[str, int] = {}
    for item in plan.items:
        staying = left[item.sku].qty if item.sku in left else 0
        going = item.qty - staying
        scanned = units_scanned.get(item.sku, 0)
        if scanned > going:
            raise ValidationError(
                f"{scanned} unit(s) of {item.sku} were scanned but {staying} of {item.qty} are declared left",
                field="left",
            )
        if plan.bags == 0 and scanned < going:
            raise ValidationError(
                f"{going - scanned} unit(s) of {item.name} ({item.sku}) are neither scanned nor marked as left",
                field="code",
            )
        if going:
            out[item.sku] = going
    return out
