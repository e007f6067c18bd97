"""Writing a rate sheet as the CSV bundle read by `csv_format`.

Retailers start from the sample sheet or from the JSON the hub stores; exporting it as the bundle
lets them edit prices in a spreadsheet and load the result back unchanged in meaning.
"""

from __future__ import annotations

import csv
from datetime import time
from pathlib import Path

from core.routing.rates.csv_format import CARRIERS, RATES, SERVICES, ZONES, companion_paths
from core.routing.rates.sheet import RateSheet


def _time(value: time | None) -> str:
    if value is None:
        return ""
    return value.strftime("%H:%M") if not (value.second or value.microsecond) else value.isoformat()


def _km(value: float | None) -> str:
    return "" if value is None else f"{value:.15g}"


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def write_rate_sheet_csv(sheet: RateSheet, rates_path: str | Path) -> list[Path]:
    """Write `rates_path` and its three companion files; returns the four paths written."""
    rates_path = Path(rates_path)
    paths = companion_paths(rates_path)
    carriers, services, zones, rates = [], [], [], []
    for c in sheet.carriers:
        carriers.append(
            [
                c.name,
                str(c.fuel_surcharge_pct),
                str(c.residential_surcharge),
                " ".join(c.pickup_days),
                _time(c.cutoff),
                " ".join(d.isoformat() for d in c.holidays),
            ]
        )
        zones += [[c.name, b.zone, _km(b.min_km), _km(b.max_km), "", ""] for b in c.distance_bands]
        zones += [[c.name, p.zone, "", "", p.origin, p.destination] for p in c.postal_zones]
        for s in c.services:
            services.append(
                [c.name, s.code, s.name, _yes(s.guaranteed), _yes(s.saturday_delivery), _time(s.cutoff)]
            )
            for zone, transit in s.transit_days.items():
                rates += [
                    [c.name, s.code, zone, str(transit), str(t.max_kg), str(t.prices[zone])] for t in s.tiers
                ]
    written = []
    for path, header, rows in (
        (rates_path, RATES, rates),
        (paths["carriers"], CARRIERS, carriers),
        (paths["services"], SERVICES, services),
        (paths["zones"], ZONES, zones),
    ):
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows)
        written.append(path)
    return written
