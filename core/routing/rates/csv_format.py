"""Rate sheets as a bundle of four CSV files a retailer can edit in a spreadsheet.

Carriers publish rates as long price lists, so the main file is one row per price; the settings
that belong to a carrier or a service live in companion files next to it, named after it:

``rates.csv`` (one row per carrier / service / zone / weight tier)
    ``carrier,service,zone,transit_days,max_kg,price`` -- base price in the sheet's currency for
    parcels up to and including ``max_kg``; ``transit_days`` (delivery days for that zone) must be
    the same on every row of one carrier/service/zone. Row order does not matter.
``rates.carriers.csv`` (one row per carrier, in the order to show them)
    ``carrier,fuel_surcharge_pct,residential_surcharge,pickup_days,cutoff,holidays`` --
    ``pickup_days`` like ``mon tue wed thu fri``; ``cutoff`` a local time at the origin like
    ``17:00``; ``holidays`` optional, ISO dates separated by spaces.
``rates.services.csv`` (one row per service)
    ``carrier,service,name,guaranteed,saturday_delivery,cutoff`` -- yes/no flags; ``cutoff`` empty
    to use the carrier's.
``rates.zones.csv`` (one row per distance band or per postal-prefix pair)
    ``carrier,zone,min_km,max_km,origin_prefix,destination_prefix`` -- either ``min_km`` and
    ``max_km`` (empty max = no limit) or the two 3-digit ZIP prefixes (``100`` or ``100-119``).

Every error names the file, the line and the column. docs/RATES.md has a worked example.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from core.domain.errors import ValidationError
from core.routing.rates.loading import Loc, format_loc, parse_rate_sheet, read_text
from core.routing.rates.sheet import RateSheet

RATES = ("carrier", "service", "zone", "transit_days", "max_kg", "price")
CARRIERS = ("carrier", "fuel_surcharge_pct", "residential_surcharge", "pickup_days", "cutoff", "holidays")
SERVICES = ("carrier", "service", "name", "guaranteed", "saturday_delivery", "cutoff")
ZONES = ("carrier", "zone", "min_km", "max_km", "origin_prefix", "destination_prefix")
_OPTIONAL = {"holidays", "guaranteed", "saturday_delivery", "cutoff", "residential_surcharge"}
# Naming the column of a problem found by the sheet's validation: the part of the sheet a row built
# (with the column to name when the problem is the whole part) and model fields named differently.
_OWNERS = {
    "carriers": "carrier",
    "services": "service",
    "distance_bands": "zone",
    "postal_zones": "zone",
    "tiers": "max_kg",
    "prices": "price",
    "transit_days": "transit_days",
}
_COLUMNS = {
    ("carriers", "name"): "carrier",
    ("services", "code"): "service",
    ("tiers", "prices"): "price",
    ("postal_zones", "origin"): "origin_prefix",
    ("postal_zones", "destination"): "destination_prefix",
}
_YES, _NO = {"yes", "y", "true", "1"}, {"no", "n", "false", "0", ""}


def companion_paths(rates_path: Path) -> dict[str, Path]:
    stem = rates_path.name[: -len(rates_path.suffix)]
    return {kind: rates_path.with_name(f"{stem}.{kind}.csv") for kind in ("carriers", "services", "zones")}


@dataclass
class _Row:
    path: str
    line: int
    cells: dict[str, str]

    def at(self, column: str) -> str:
        return f"{self.path}, line {self.line}, {column}"

    def get(self, column: str) -> str:
        return self.cells.get(column, "")

    def require(self, column: str) -> str:
        value = self.get(column)
        if not value:
            raise ValidationError("is empty", field=self.at(column))
        return value

    def number(self, column: str) -> Decimal:
        text = self.require(column)
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValidationError(f"{text!r} is not a number", field=self.at(column)) from None
        if not value.is_finite():
            raise ValidationError(f"{text!r} is not a number", field=self.at(column))
        return value

    def flag(self, column: str) -> bool:
        text = self.get(column).lower()
        if text in _YES or text in _NO:
            return text in _YES
        raise ValidationError(f"{text!r} is not yes or no", field=self.at(column))


def _rows(path: Path, columns: tuple[str, ...]) -> list[_Row]:
    reader = csv.DictReader(io.StringIO(read_text(path), newline=""))
    header = [h.strip() for h in reader.fieldnames or []]
    for name in header:
        if name not in columns:
            raise ValidationError(f"unknown column {name!r}", field=f"{path}, line 1")
    for name in columns:
        if name not in header and name not in _OPTIONAL:
            raise ValidationError(f"missing column {name!r}", field=f"{path}, line 1")
    reader.fieldnames = header
    rows = []
    for raw in reader:
        if None in raw:
            raise ValidationError("more cells than columns", field=f"{path}, line {reader.line_num}")
        cells = {k: (v or "").strip() for k, v in raw.items()}
        if any(cells.values()):
            rows.append(_Row(str(path), reader.line_num, cells))
    return rows


@dataclass
class _Bundle:
    """Plain data in the shape of the JSON sheet plus where each part came from."""

    source: str
    carriers: list[dict[str, Any]] = field(default_factory=list)
    lines: dict[Loc, _Row] = field(default_factory=dict)

    def where(self, loc: Loc) -> str:
        """'<file>, line N, <column>' for the row a sheet location was built from."""
        for cut in range(len(loc), 0, -1):
            row = self.lines.get(loc[:cut])
            if row is not None:
                owner = next((p for p in reversed(loc[:cut]) if p in _OWNERS), "")
                rest = [p for p in loc[cut:] if isinstance(p, str)]
                column = rest[0] if rest else _OWNERS.get(owner, "")
                return row.at(_COLUMNS.get((owner, column), column))
        return f"{self.source}, {format_loc(loc)}"


def read_rate_sheet_csv(rates_path: Path) -> RateSheet:
    """Load the bundle named by its rates file; see the module docstring for the layout."""
    paths = companion_paths(rates_path)
    bundle = _Bundle(str(rates_path))
    carrier_at: dict[str, int] = {}
    for row in _rows(paths["carriers"], CARRIERS):
        name = row.require("carrier")
        if name in carrier_at:
            raise ValidationError(f"carrier {name!r} is listed twice", field=row.at("carrier"))
        carrier_at[name] = len(bundle.carriers)
        bundle.lines[("carriers", len(bundle.carriers))] = row
        bundle.carriers.append(
            {
                "name": name,
                "fuel_surcharge_pct": row.get("fuel_surcharge_pct") or "0",
                "residential_surcharge": row.get("residential_surcharge") or "0.00",
                "pickup_days": row.get("pickup_days").replace(",", " ").split(),
                "cutoff": row.get("cutoff"),
                "holidays": row.get("holidays").replace(",", " ").split(),
                "distance_bands": [],
                "postal_zones": [],
                "services": [],
            }
        )

    def carrier_of(row: _Row) -> tuple[int, dict[str, Any]]:
        name = row.require("carrier")
        if name not in carrier_at:
            raise ValidationError(f"carrier {name!r} is not in {paths['carriers']}", field=row.at("carrier"))
        return carrier_at[name], bundle.carriers[carrier_at[name]]

    service_at: dict[tuple[str, str], tuple[int, int]] = {}
    for row in _rows(paths["services"], SERVICES):
        c, carrier = carrier_of(row)
        code = row.require("service")
        if (carrier["name"], code) in service_at:
            raise ValidationError(f"service {code!r} is listed twice", field=row.at("service"))
        service_at[carrier["name"], code] = (c, len(carrier["services"]))
        bundle.lines[("carriers", c, "services", len(carrier["services"]))] = row
        carrier["services"].append(
            {
                "code": code,
                "name": row.get("name"),
                "guaranteed": row.flag("guaranteed"),
                "saturday_delivery": row.flag("saturday_delivery"),
                "cutoff": row.get("cutoff") or None,
                "transit_days": {},
                "tiers": [],
            }
        )
    _read_zones(paths["zones"], bundle, carrier_of)
    _read_rates(rates_path, bundle, service_at, paths["services"])
    for c, carrier in enumerate(bundle.carriers):
        if not carrier["distance_bands"] and not carrier["postal_zones"]:
            raise ValidationError(f"carrier has no rows in {paths['zones']}", field=_carrier_row(bundle, c))
    return parse_rate_sheet({"carriers": bundle.carriers}, where=bundle.where)


def _read_zones(path: Path, bundle: _Bundle, carrier_of: Any) -> None:
    bands: dict[int, list[tuple[Decimal, dict[str, Any], _Row]]] = {}
    for row in _rows(path, ZONES):
        c, carrier = carrier_of(row)
        zone = row.require("zone")
        by_distance = bool(row.get("min_km") or row.get("max_km"))
        by_postal = bool(row.get("origin_prefix") or row.get("destination_prefix"))
        if by_distance == by_postal:
            raise ValidationError(
                "give either min_km/max_km or origin_prefix/destination_prefix", field=row.at("zone")
            )
        if by_distance:
            low = row.number("min_km")
            high = row.number("max_km") if row.get("max_km") else None
            band = {"zone": zone, "min_km": float(low), "max_km": None if high is None else float(high)}
            bands.setdefault(c, []).append((low, band, row))
        else:
            postal = carrier["postal_zones"]
            bundle.lines[("carriers", c, "postal_zones", len(postal))] = row
            postal.append(
                {
                    "origin": _prefix(row, "origin_prefix"),
                    "destination": _prefix(row, "destination_prefix"),
                    "zone": zone,
                }
            )
    for c, found in bands.items():  # spreadsheets sort rows freely; bands are kept in km order
        found.sort(key=lambda item: item[0])
        for i, (_, _band, row) in enumerate(found):
            bundle.lines[("carriers", c, "distance_bands", i)] = row
        bundle.carriers[c]["distance_bands"] = [band for _, band, _ in found]


def _prefix(row: _Row, column: str) -> str:
    """Spreadsheets drop leading zeros ('021' becomes 21), so short all-digit prefixes are padded."""
    text = row.require(column)
    return text.zfill(3) if text.isdigit() and len(text) < 3 else text


def _read_rates(
    path: Path, bundle: _Bundle, service_at: dict[tuple[str, str], tuple[int, int]], services_path: Path
) -> None:
    by_service: dict[tuple[int, int], dict[Decimal, dict[str, _Row]]] = {}
    for row in _rows(path, RATES):
        key = (row.require("carrier"), row.require("service"))
        if key not in service_at:
            raise ValidationError(
                f"service {key[1]!r} of {key[0]!r} is not in {services_path}", field=row.at("service")
            )
        c, s = service_at[key]
        transit_days = bundle.carriers[c]["services"][s]["transit_days"]
        zone, transit_text = row.require("zone"), row.require("transit_days")
        if not transit_text.isdigit():
            raise ValidationError(
                f"{transit_text!r} is not a whole number of days", field=row.at("transit_days")
            )
        transit = int(transit_text)
        if transit_days.setdefault(zone, transit) != transit:
            raise ValidationError(
                f"{transit} differs from {transit_days[zone]} on an earlier row for zone {zone!r}",
                field=row.at("transit_days"),
            )
        bundle.lines.setdefault(("carriers", c, "services", s, "transit_days"), row)
        bundle.lines.setdefault(("carriers", c, "services", s, "transit_days", zone), row)
        max_kg = row.number("max_kg")
        tier = by_service.setdefault((c, s), {}).setdefault(max_kg, {})
        if zone in tier:
            raise ValidationError(
                f"zone {zone!r} up to {max_kg} kg is already priced on line {tier[zone].line}",
                field=row.at("price"),
            )
        row.require("price")
        tier[zone] = row
    for c, carrier in enumerate(bundle.carriers):
        if not carrier["services"]:
            raise ValidationError(
                f"carrier has no services in {services_path}", field=_carrier_row(bundle, c)
            )
        for s, service in enumerate(carrier["services"]):
            by_kg = by_service.get((c, s))
            if not by_kg:
                row = bundle.lines[("carriers", c, "services", s)]
                raise ValidationError(f"service has no rows in {path}", field=row.at("service"))
            for i, max_kg in enumerate(sorted(by_kg)):  # spreadsheets sort rows freely
                rows = by_kg[max_kg]
                service["tiers"].append(
                    {"max_kg": max_kg, "prices": {z: r.get("price") for z, r in rows.items()}}
                )
                bundle.lines[("carriers", c, "services", s, "tiers", i)] = min(rows.values(), key=_line)
                for zone, row in rows.items():
                    bundle.lines[("carriers", c, "services", s, "tiers", i, "prices", zone)] = row


def _line(row: _Row) -> int:
    return row.line


def _carrier_row(bundle: _Bundle, c: int) -> str:
    return bundle.lines[("carriers", c)].at("carrier")
