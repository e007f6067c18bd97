"""Which box to pack an order in: the smallest one on the store's list that the items fit.

Why a rule this simple: an associate needs a suggestion in the time it takes to reach for a box,
and it must be explainable at the bench ("it said Medium because the boot box is 34 cm long"). A
true 3-D packing search would be slower, opaque, and still wrong about soft goods. The rule:

A set of units **fits** a box when all of these hold:

1. **weight**: the units weigh no more than the box may carry (`max_kg`, contents only);
2. **each unit**: its dimensions sorted longest first are each no larger than the box's inner
   dimensions sorted the same way (any rotation is allowed);
3. **together**, either
   * *stacked*: every unit lies on its largest face, piled up; the pile's footprint is the largest
     longest side by the largest middle side and its height is the sum of the shortest sides, and
     the pile's sorted dimensions fit the box's sorted dimensions; or
   * *by volume*: the units' volume is at most `FILL` (75 %) of the box's volume, room for many
     small items set side by side and for padding.

The suggestion is the fitting box with the least volume (ties: the lighter box). When no box
takes everything, the units are split first-fit decreasing (largest unit first, each into the
first group some box can still take) and each group gets its own smallest box: "needs two
boxes". A unit that fits no box on its own is oversize (freight, or the manager's call).
Products without dimensions on file count as fitting anywhere and are named in the answer.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from importlib.resources import files
from pathlib import Path
from typing import Any

from core.domain.errors import ValidationError

Dims = tuple[Decimal, Decimal, Decimal]
FILL = Decimal("0.75")


def _num(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text


def _sorted(dims: Dims) -> Dims:
    a, b, c = sorted(dims, reverse=True)
    return (a, b, c)


def dims_text(dims: Dims) -> str:
    return " × ".join(_num(d) for d in dims) + " cm"


@dataclass(frozen=True, slots=True)
class Box:
    code: str
    name: str
    inner_cm: Dims
    max_kg: Decimal
    tare_kg: Decimal = Decimal(0)

    @property
    def volume(self) -> Decimal:
        a, b, c = self.inner_cm
        return a * b * c

    @property
    def label(self) -> str:
        return f"{self.name} ({dims_text(self.inner_cm)})"


@dataclass(frozen=True, slots=True)
class Item:
    """One order line's product as the box rule sees it: size, weight and how many."""

    sku: str
    dims_cm: Dims
    weight_kg: Decimal
    qty: int = 1

    @property
    def sized(self) -> bool:
        return all(d > 0 for d in self.dims_cm)


@dataclass(frozen=True, slots=True)
class Parcel:
    box: Box
    units: tuple[tuple[str, int], ...]  # (sku, qty) in this box
    weight_kg: Decimal  # contents plus the box itself: what the carrier weighs


class Fit(StrEnum):
    ONE_BOX = "one_box"
    SPLIT = "split"
    OVERSIZE = "oversize"


@dataclass(frozen=True, slots=True)
class BoxChoice:
    fit: Fit
    parcels: tuple[Parcel, ...]
    text: str  # the suggestion in one sentence, for the screen and the packing slip
    oversize: tuple[str, ...] = ()  # SKUs that fit no box on their own
    unsized: tuple[str, ...] = ()  # SKUs with no dimensions on file

    @property
    def box(self) -> Box | None:
        """The one box to use, when one is enough."""
        return self.parcels[0].box if self.fit is Fit.ONE_BOX else None


def unit_fits(dims: Dims, box: Box) -> bool:
    return all(u <= b for u, b in zip(_sorted(dims), _sorted(box.inner_cm), strict=True))


def fits(units: Sequence[Item], box: Box) -> bool:
    """Rules 1–3 of the module docstring for single units (qty is ignored: expand first)."""
    if sum((u.weight_kg for u in units), Decimal(0)) > box.max_kg:
        return False
    sized = [_sorted(u.dims_cm) for u in units if u.sized]
    if not all(unit_fits(d, box) for d in sized):
        return False
    if not sized:
        return True
    pile: Dims = (max(d[0] for d in sized), max(d[1] for d in sized), sum((d[2] for d in sized), Decimal(0)))
    if unit_fits(pile, box):
        return True
    volume = sum((d[0] * d[1] * d[2] for d in sized), Decimal(0))
    return volume <= FILL * box.volume


def _by_size(boxes: Iterable[Box]) -> list[Box]:
    return sorted(boxes, key=lambda b: (b.volume, b.tare_kg, b.code))


def smallest_box(units: Sequence[Item], boxes: Sequence[Box]) -> Box | None:
    return next((box for box in _by_size(boxes) if fits(units, box)), None)


def _parcel(units: Sequence[Item], box: Box) -> Parcel:
    counts = Counter(u.sku for u in units)
    weight = sum((u.weight_kg for u in units), Decimal(0)) + box.tare_kg
    return Parcel(box, tuple(sorted(counts.items())), weight)


def _expand(items: Iterable[Item]) -> list[Item]:
    return [Item(i.sku, i.dims_cm, i.weight_kg, 1) for i in items for _ in range(max(0, i.qty))]


def _units_text(parcel: Parcel) -> str:
    return ", ".join(f"{sku} × {qty}" for sku, qty in parcel.units)


def choose_box(items: Sequence[Item], boxes: Sequence[Box]) -> BoxChoice:
    """The suggestion for these items (see the module docstring for the rule)."""
    if not boxes:
        raise ValidationError("the store's box list is empty", field="boxes")
    units = _expand(items)
    unsized = tuple(sorted({u.sku for u in units if not u.sized}))
    note = f" No size on file for {', '.join(unsized)}: check it fits." if unsized else ""
    one = smallest_box(units, boxes)
    if one is not None:
        parcel = _parcel(units, one)
        count = f"{len(units)} item{'s' if len(units) != 1 else ''}"
        weight = _num(parcel.weight_kg.quantize(Decimal("0.01")))
        text = f"{one.label}: {count}, {weight} kg with the box.{note}"
        return BoxChoice(Fit.ONE_BOX, (parcel,), text, unsized=unsized)
    too_big = [u for u in units if smallest_box([u], boxes) is None]
    rest = [u for u in units if u not in too_big]
    groups: list[list[Item]] = []
    for unit in sorted(rest, key=lambda u: (-_volume(u), -u.weight_kg, u.sku)):
        home = next((g for g in groups if smallest_box([*g, unit], boxes) is not None), None)
        if home is None:
            groups.append([unit])
        else:
            home.append(unit)
    parcels = tuple(_parcel(g, smallest_box(g, boxes) or boxes[0]) for g in groups)
    if too_big:
        skus = tuple(sorted({u.sku for u in too_big}))
        worst = max(too_big, key=_volume)
        text = (
            f"Too big or heavy for every box: {', '.join(skus)} ({dims_text(worst.dims_cm)}, "
            f"{_num(worst.weight_kg)} kg). Ship it as freight or ask a manager."
        )
        if parcels:
            text += " The rest: " + "; ".join(f"{p.box.name} ({_units_text(p)})" for p in parcels) + "."
        return BoxChoice(Fit.OVERSIZE, parcels, text + note, oversize=skus, unsized=unsized)
    listing = "; ".join(f"{p.box.name} ({_units_text(p)})" for p in parcels)
    words = {2: "two", 3: "three", 4: "four"}.get(len(parcels), str(len(parcels)))
    return BoxChoice(Fit.SPLIT, parcels, f"Needs {words} boxes: {listing}.{note}", unsized=unsized)


def _volume(unit: Item) -> Decimal:
    a, b, c = unit.dims_cm
    return a * b * c


def parse_boxes(data: dict[str, Any], *, source: str = "box list") -> list[Box]:
    """Boxes from the JSON shape of `resources/boxes.json`; a bad entry names its position and field."""
    entries = data.get("boxes")
    if not isinstance(entries, list) or not entries:
        raise ValidationError(f"{source}: expected a non-empty 'boxes' list", field="boxes")
    boxes = []
    for i, entry in enumerate(entries):
        where = f"boxes[{i}]"
        try:
            dims = tuple(Decimal(str(d)) for d in entry["inner_cm"])
            box = Box(
                code=str(entry["code"]),
                name=str(entry["name"]),
                inner_cm=(dims[0], dims[1], dims[2]),
                max_kg=Decimal(str(entry["max_kg"])),
                tare_kg=Decimal(str(entry.get("tare_kg", 0))),
            )
        except (KeyError, IndexError, TypeError, ArithmeticError, ValueError) as exc:
            raise ValidationError(
                f"{source}: {where} needs code, name, inner_cm [l, w, h] and max_kg", field=where
            ) from exc
        if len(dims) != 3 or min(dims) <= 0 or box.max_kg <= 0 or box.tare_kg < 0:
            raise ValidationError(
                f"{source}: {where} needs three positive dimensions and a positive max_kg", field=where
            )
        boxes.append(box)
    return boxes


def load_boxes(path: Path | None = None) -> list[Box]:
    """The store's box list: `path` when given, else the default list shipped in `resources`."""
    if path is None:
        text, source = files("resources").joinpath("boxes.json").read_text(encoding="utf-8"), "boxes.json"
    else:
        try:
            text, source = path.read_text(encoding="utf-8"), str(path)
        except OSError as exc:
            raise ValidationError(f"cannot read the box list {path}: {exc.strerror}", field="boxes") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(f"{source} is not JSON (line {exc.lineno}: {exc.msg})", field="boxes") from exc
    return parse_boxes(data, source=source)
