"""CSV import of locations, products and inventory (DESIGN.md, "Interfaces").

Retailers fix files in a spreadsheet and try again, so every problem in a file is reported at once
as `file, line N, column C: reason`, and a file with any problem imports nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.domain.errors import ImportFileError, OmsError, ValidationError
from core.domain.geo import resolve_place
from core.domain.network import ImportKind, LocationSpec, LocationType, ProductSpec, StockLevel
from core.domain.parsing import parse_enum
from core.services.catalog import upsert_locations, upsert_products
from core.services.inventory import set_stock_levels
from core.services.lookups import chunked
from core.storage.models import Location, Product, ProductBarcode

T = TypeVar("T")


def _text(value: str, column: str) -> str:
    return value.strip()


def _int(value: str, column: str) -> int:
    try:
        return int(value.strip())
    except ValueError:
        raise ValidationError(f"{value!r} is not a whole number", field=column) from None


def _count(value: str, column: str) -> int:
    number = _int(value, column)
    if number < 0:
        raise ValidationError(f"{number} is negative", field=column)
    return number


def _decimal(value: str, column: str) -> Decimal:
    try:
        return Decimal(value.strip())
    except InvalidOperation:
        raise ValidationError(f"{value!r} is not a number", field=column) from None


def _float(value: str, column: str) -> float | None:
    if not value.strip():
        return None
    try:
        return float(value)
    except ValueError:
        raise ValidationError(f"{value!r} is not a number", field=column) from None


TRUE, FALSE = {"true", "yes", "y", "1"}, {"false", "no", "n", "0"}


def _bool(value: str, column: str) -> bool:
    word = value.strip().lower()
    if word in TRUE | FALSE:
        return word in TRUE
    raise ValidationError(f"{value!r} is not true/false (or yes/no, 1/0)", field=column)


Parser = Callable[[str, str], Any]


@dataclass(frozen=True)
class FileFormat:
    columns: dict[str, Parser]
    required: frozenset[str]


FORMATS = {
    ImportKind.LOCATIONS: FileFormat(
        {
            "code": _text,
            "name": _text,
            "type": _text,
            "postal_code": _text,
            "country": _text,
            "latitude": _float,
            "longitude": _float,
            "ships": _bool,
            "pickup": _bool,
            "returns": _bool,
            "daily_capacity": _count,
            "priority": _int,
        },
        frozenset({"code", "name", "type", "postal_code"}),
    ),
    ImportKind.PRODUCTS: FileFormat(
        {
            "sku": _text,
            "name": _text,
            "barcode": _text,
            "category": _text,
            "price": _text,
            "weight_kg": _decimal,
            "length_cm": _decimal,
            "width_cm": _decimal,
            "height_cm": _decimal,
            "returnable_days": _count,
        },
        frozenset({"sku", "name", "price"}),
    ),
    ImportKind.INVENTORY: FileFormat(
        {"location": _text, "sku": _text, "on_hand": _count, "safety_stock": _count, "bin": _text},
        frozenset({"location", "sku", "on_hand"}),
    ),
}


@dataclass
class Row:
    line: int
    values: dict[str, Any]
    bad: frozenset[str] = frozenset()  # columns already reported, so building the row does not repeat them


class _Problems:
    def __init__(self, name: str) -> None:
        self.name, self.items = name, []

    def add(self, line: int | None, column: str | None, reason: str) -> None:
        where = self.name + (f", line {line}" if line else "") + (f", column {column}" if column else "")
        self.items.append(f"{where}: {reason}")

    def raise_if_any(self) -> None:
        if self.items:
            raise ImportFileError(self.items)


def _read_text(path: Path, problems: _Problems) -> str | None:
    """The whole file as text; a byte that is not UTF-8 is reported with the line it is on."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.add(None, None, f"cannot open: {exc.strerror}")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.add(
            line, None, f"byte 0x{data[exc.start]:02x} is not UTF-8 text; save the file as CSV UTF-8"
        )
        return None


def _read_rows(path: Path, fmt: FileFormat, problems: _Problems) -> Iterator[Row]:
    text = _read_text(path, problems)
    if text is None:
        return
    with io.StringIO(text, newline="") as handle:
        reader = csv.reader(handle)
        try:
            header = [h.strip() for h in next(reader, [])]
            if not header:
                problems.add(1, None, "the file is empty; expected a header row")
                return
            for column in header:
                if column not in fmt.columns:
                    problems.add(1, column, f"unknown column; expected {', '.join(fmt.columns)}")
            for column in sorted(fmt.required - set(header)):
                problems.add(1, column, "required column is missing")
            if problems.items:
                return
            for cells in reader:
                if not any(c.strip() for c in cells):
                    continue
                line = reader.line_num
                if len(cells) != len(header):
                    problems.add(line, None, f"{len(cells)} fields, the header has {len(header)}")
                    continue
                yield _parse_cells(dict(zip(header, cells, strict=True)), fmt, line, problems)
        except csv.Error as exc:
            problems.add(reader.line_num, None, f"not a readable CSV file: {exc}")


def _parse_cells(raw: dict[str, str], fmt: FileFormat, line: int, problems: _Problems) -> Row:
    values: dict[str, Any] = {}
    bad: set[str] = set()
    for column, text in raw.items():
        if not text.strip():
            if column in fmt.required:
                problems.add(line, column, "is empty")
                bad.add(column)
            continue
        try:
            values[column] = fmt.columns[column](text, column)
        except ValidationError as exc:
            problems.add(line, column, exc.message)
            bad.add(column)
    return Row(line, values, frozenset(bad))


def _build(row: Row, problems: _Problems, make: Callable[[Row], T]) -> T | None:
    try:
        return make(row)
    except OmsError as exc:
        if exc.field not in row.bad:
            problems.add(row.line, exc.field, exc.message)
        return None


def _location_spec(row: Row) -> LocationSpec:
    v = row.values
    kind = parse_enum(LocationType, v.get("type", ""), field="type")
    spec = LocationSpec(
        code=v.get("code", ""),
        name=v.get("name", ""),
        type=kind,
        postal_code=v.get("postal_code", ""),
        country=v.get("country", "US").upper(),
        latitude=v.get("latitude"),
        longitude=v.get("longitude"),
        ships=v.get("ships", True),
        pickup=v.get("pickup", kind is LocationType.STORE),
        returns=v.get("returns", kind is LocationType.STORE),
        daily_capacity=v.get("daily_capacity", 0),
        priority=v.get("priority", 0),
    )
    resolve_place(spec.postal_code, spec.country, spec.latitude, spec.longitude)
    return spec


def _product_spec(row: Row) -> ProductSpec:
    v = row.values
    zero = Decimal("0")
    return ProductSpec(
        sku=v.get("sku", ""),
        name=v.get("name", ""),
        price=v.get("price", ""),
        category=v.get("category", ""),
        barcodes=(v["barcode"],) if v.get("barcode") else (),
        weight_kg=v.get("weight_kg", zero),
        length_cm=v.get("length_cm", zero),
        width_cm=v.get("width_cm", zero),
        height_cm=v.get("height_cm", zero),
        returnable_days=v.get("returnable_days", 30),
    )


def _flag_repeats(
    rows: list[tuple[Row, Any]], key: Callable[[Any], Any], column: str, problems: _Problems
) -> None:
    first_seen: dict[Any, int] = {}
    for row, spec in rows:
        k = key(spec)
        if k in first_seen:
            problems.add(row.line, column, f"{k} is repeated (first on line {first_seen[k]})")
        first_seen.setdefault(k, row.line)


def _specs(
    path: Path, kind: ImportKind, problems: _Problems, make: Callable[[Row], T]
) -> list[tuple[Row, T]]:
    built = [(row, _build(row, problems, make)) for row in _read_rows(path, FORMATS[kind], problems)]
    return [(row, spec) for row, spec in built if spec is not None]


def import_locations(session: Session, path: Path) -> int:
    problems = _Problems(path.name)
    specs = _specs(path, ImportKind.LOCATIONS, problems, _location_spec)
    _flag_repeats(specs, lambda s: s.code, "code", problems)
    problems.raise_if_any()
    return upsert_locations(session, [spec for _, spec in specs])


def _barcode_owners(session: Session, codes: list[str]) -> dict[str, str]:
    owners: dict[str, str] = {}
    for chunk in chunked(codes):
        query = select(ProductBarcode.barcode, ProductBarcode.sku).where(ProductBarcode.barcode.in_(chunk))
        owners.update(session.execute(query).all())
    return owners


def import_products(session: Session, path: Path) -> int:
    problems = _Problems(path.name)
    specs = _specs(path, ImportKind.PRODUCTS, problems, _product_spec)
    _flag_repeats(specs, lambda s: s.sku, "sku", problems)
    _flag_repeats([(r, s) for r, s in specs if s.barcodes], lambda s: s.barcodes[0], "barcode", problems)
    owners = _barcode_owners(session, [s.barcodes[0] for _, s in specs if s.barcodes])
    for row, spec in specs:
        if spec.barcodes and owners.get(spec.barcodes[0], spec.sku) != spec.sku:
            problems.add(
                row.line, "barcode", f"{spec.barcodes[0]} already belongs to {owners[spec.barcodes[0]]}"
            )
    problems.raise_if_any()
    return upsert_products(session, [spec for _, spec in specs])


def _known(session: Session, column: Any, values: set[str]) -> set[str]:
    found: set[str] = set()
    for chunk in chunked(sorted(values)):
        found.update(session.scalars(select(column).where(column.in_(chunk))))
    return found


def import_inventory(session: Session, path: Path, *, device: str = "csv-import") -> int:
    """Set on-hand (sellable) stock by counting: each change is a `count` movement of the difference."""
    problems = _Problems(path.name)
    rows = list(_read_rows(path, FORMATS[ImportKind.INVENTORY], problems))
    keyed = [(row, (row.values.get("location", ""), row.values.get("sku", ""))) for row in rows]
    locations = _known(session, Location.code, {k[0] for _, k in keyed})
    skus = _known(session, Product.sku, {k[1] for _, k in keyed})
    for row, (loc, sku) in keyed:
        if loc and loc not in locations:
            problems.add(row.line, "location", f"unknown location {loc}")
        if sku and sku not in skus:
            problems.add(row.line, "sku", f"unknown SKU {sku}")
    _flag_repeats(keyed, lambda k: f"{k[0]}/{k[1]}", "sku", problems)
    problems.raise_if_any()
    levels = [
        StockLevel(loc, sku, row.values["on_hand"], row.values.get("safety_stock"), row.values.get("bin"))
        for row, (loc, sku) in keyed
    ]
    set_stock_levels(session, levels, reference=path.name, device=device)
    return len(levels)


IMPORTERS: dict[ImportKind, Callable[[Session, Path], int]] = {
    ImportKind.LOCATIONS: import_locations,
    ImportKind.PRODUCTS: import_products,
    ImportKind.INVENTORY: import_inventory,
}


def detect_kind(path: Path) -> ImportKind:
    """The file's kind from its name (locations.csv, products.csv, inventory.csv or a name starting so)."""
    for kind in ImportKind:
        if path.stem.lower().startswith(kind.value):
            return kind
    raise ValidationError(
        f"cannot tell what {path.name} holds; name it locations.csv, products.csv or inventory.csv or pass --kind",
        field="file",
    )
