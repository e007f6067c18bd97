"""Rate sheet loaders: JSON and the CSV bundle agree, and every bad file names file, line or field."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from core.domain.errors import ValidationError
from core.routing.rates import (
    RateSheet,
    load_rate_sheet,
    load_sample_rate_sheet,
    parse_rate_sheet,
    write_rate_sheet_csv,
)
from tests.core.routing.test_rates_broker import sheet_data

RESOURCES = Path(__file__).resolve().parents[3] / "resources" / "rates"


def test_sample_json_and_csv_give_identical_sheets() -> None:
    from_json = load_rate_sheet(RESOURCES / "sample_rates.json")
    from_csv = load_rate_sheet(RESOURCES / "sample_rates.csv")
    assert from_json == from_csv == load_sample_rate_sheet()
    assert [c.name for c in from_csv.carriers] == ["Parcelway", "SwiftPost", "Metro Courier"]


def test_sample_sheet_has_eight_distance_zones_and_a_postal_table() -> None:
    sheet = load_sample_rate_sheet()
    parcelway, swiftpost, metro = sheet.carriers
    assert [b.max_km for b in parcelway.distance_bands] == [80, 240, 480, 960, 1440, 2240, 2880, None]
    assert swiftpost.postal_zones and not parcelway.postal_zones
    assert metro.distance_bands[-1].max_km == 80
    for carrier in sheet.carriers:
        for service in carrier.services:
            for tier in service.tiers:
                assert all(
                    isinstance(p, Decimal) and p.as_tuple().exponent == -2 for p in tier.prices.values()
                )


def test_csv_round_trip_of_a_sheet(tmp_path: Path) -> None:
    sheet = parse_rate_sheet(sheet_data())
    write_rate_sheet_csv(sheet, tmp_path / "r.csv")
    assert load_rate_sheet(tmp_path / "r.csv") == sheet


def test_csv_rows_may_come_in_any_order(tmp_path: Path) -> None:
    sheet = parse_rate_sheet(sheet_data())
    write_rate_sheet_csv(sheet, tmp_path / "r.csv")
    for name in ("r.csv", "r.zones.csv"):
        path = tmp_path / name
        header, *rows = path.read_text().splitlines()
        # bands are sorted by km whatever their order; postal rows keep theirs
        rows = rows[:3][::-1] + rows[3:] if name == "r.zones.csv" else rows[::-1]
        path.write_text("\n".join([header, *rows]) + "\n")
    assert load_rate_sheet(tmp_path / "r.csv") == sheet


def test_spreadsheet_conveniences(tmp_path: Path) -> None:
    """Leading zeros dropped from prefixes, upper-case weekdays, YES/No flags and a UTF-8 BOM all load."""
    data = sheet_data()
    data["carriers"][0]["postal_zones"][0]["destination"] = "021"
    write_rate_sheet_csv(parse_rate_sheet(data), tmp_path / "r.csv")
    _edit(tmp_path / "r.zones.csv", lambda t: t.replace(",021\n", ",21\n"))
    _edit(tmp_path / "r.carriers.csv", lambda t: "\ufeff" + t.replace(",mon tue wed", ',"MON, Tue, wed"'))
    _edit(tmp_path / "r.services.csv", lambda t: t.replace(",yes,", ",YES,"))
    assert load_rate_sheet(tmp_path / "r.csv") == parse_rate_sheet(data)


# --- JSON errors: file and field path -------------------------------------------------------------


def _write_json(tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    data = sheet_data()
    change(data)
    path = tmp_path / "rates.json"
    path.write_text(json.dumps(data))
    return path


def _alpha(data: dict[str, Any]) -> dict[str, Any]:
    return data["carriers"][0]


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (
            lambda d: _alpha(d)["services"][0]["tiers"].reverse(),
            "carriers[0].services[0].tiers",
            "upper bounds must increase",
        ),
        (
            lambda d: _alpha(d)["services"][1]["tiers"][1]["prices"].pop("B"),
            "carriers[0].services[1].tiers[1].prices",
            "no price for zone 'B' up to 5 kg",
        ),
        (
            lambda d: _alpha(d)["services"][0]["tiers"][0]["prices"].update(B="7.005"),
            "carriers[0].services[0].tiers[0].prices.B",
            "more than two decimal places",
        ),
        (lambda d: _alpha(d).update(cutoff="25:00"), "carriers[0].cutoff", "time"),
        (lambda d: _alpha(d).update(fuel_surcharge_pct="-3"), "carriers[0].fuel_surcharge_pct", "-3"),
        (lambda d: _alpha(d).update(pickup_days=["mon", "funday"]), "carriers[0].pickup_days[1]", "fun"),
        (lambda d: _alpha(d).update(colour="red"), "carriers[0].colour", "Extra inputs"),
        (lambda d: _alpha(d).pop("cutoff"), "carriers[0].cutoff", "Field required"),
        (
            lambda d: _alpha(d)["distance_bands"][1].update(min_km=90),
            "carriers[0].distance_bands[1].min_km",
            "must not overlap",
        ),
        (
            lambda d: _alpha(d)["distance_bands"][0].update(max_km=0.5, min_km=1),
            "carriers[0].distance_bands[0].max_km",
            "above min_km",
        ),
        (
            lambda d: _alpha(d)["services"][0]["transit_days"].update(Z=2),
            "carriers[0].services[0].tiers[0].prices",
            "no price for zone 'Z' up to 1 kg",
        ),
        (
            lambda d: _alpha(d)["services"][0]["tiers"][1]["prices"].update(Z="1.00"),
            "carriers[0].services[0].tiers[1].prices",
            "zone 'Z' has no transit_days",
        ),
        (
            lambda d: _alpha(d)["postal_zones"].append({"origin": "101", "destination": "075", "zone": "B"}),
            "carriers[0].postal_zones[1]",
            "origin 101 to destination 075 is already in postal_zones[0]",
        ),
        (
            lambda d: _alpha(d)["postal_zones"][0].update(destination="079-070"),
            "carriers[0].postal_zones[0].destination",
            "backwards",
        ),
        (
            lambda d: _alpha(d)["services"][1].update(code="GROUND"),
            "carriers[0].services[1].code",
            "listed twice",
        ),
        (lambda d: d["carriers"][1].update(name="Alpha"), "carriers[1].name", "listed twice"),
    ],
)
def test_json_errors_name_file_and_field(
    tmp_path: Path, change: Callable[[dict[str, Any]], None], field: str, words: str
) -> None:
    path = _write_json(tmp_path, change)
    with pytest.raises(ValidationError) as caught:
        load_rate_sheet(path)
    assert caught.value.field == f"{path}, {field}"
    assert words in caught.value.message


def test_undefined_zone_in_transit_days(tmp_path: Path) -> None:
    def change(d: dict[str, Any]) -> None:
        service = _alpha(d)["services"][0]
        service["transit_days"]["Z"] = 2
        for tier in service["tiers"]:
            tier["prices"]["Z"] = "1.00"

    path = _write_json(tmp_path, change)
    with pytest.raises(ValidationError, match="zone 'Z' is not defined") as caught:
        load_rate_sheet(path)
    assert caught.value.field == f"{path}, carriers[0].services[0].transit_days"


def test_broken_json_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "rates.json"
    path.write_text('{\n  "carriers": [\n    {"name": "A",,}\n  ]\n}\n')
    with pytest.raises(ValidationError, match="not valid JSON") as caught:
        load_rate_sheet(path)
    assert caught.value.field == f"{path}, line 3"


def test_missing_file_and_unknown_type(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="file not found") as caught:
        load_rate_sheet(tmp_path / "nope.json")
    assert caught.value.field == str(tmp_path / "nope.json")
    (tmp_path / "rates.txt").write_text("x")
    with pytest.raises(ValidationError, match=r"\.json file or a \.csv") as caught:
        load_rate_sheet(tmp_path / "rates.txt")
    assert caught.value.field == str(tmp_path / "rates.txt")


def test_money_given_as_a_python_float_is_refused() -> None:
    data = sheet_data()
    _alpha(data)["residential_surcharge"] = 4.1
    with pytest.raises(ValidationError, match="float") as caught:
        parse_rate_sheet(data)
    assert caught.value.field == "carriers[0].residential_surcharge"


# --- CSV errors: file, line and column ------------------------------------------------------------


def _bundle(tmp_path: Path) -> Path:
    path = tmp_path / "r.csv"
    write_rate_sheet_csv(parse_rate_sheet(sheet_data()), path)
    return path


def _edit(path: Path, change: Callable[[str], str]) -> None:
    before = path.read_text(encoding="utf-8")
    after = change(before)
    assert after != before, "the test's edit did not apply"
    path.write_text(after, encoding="utf-8")


def _replace_line(number: int, change: Callable[[str], str]) -> Callable[[str], str]:
    def edit(text: str) -> str:
        lines = text.splitlines()
        lines[number - 1] = change(lines[number - 1])
        return "\n".join(lines) + "\n"

    return edit


# Files written from sheet_data(): r.csv rows go service by service, zone by zone, tier by tier:
# line 2 Alpha,GROUND,A,1,1,5.00 / 3 Alpha,GROUND,A,1,5,8.00 / 4 Alpha,GROUND,B,3,1,7.00 ... 8-13 EXPRESS,
# 14 Beta,SAT,1,2,10,30.00.
# r.carriers.csv: line 2 Alpha, line 3 Beta. r.services.csv: 2 GROUND, 3 EXPRESS, 4 SAT.
# r.zones.csv: lines 2-4 Alpha bands, 5 Alpha postal row, 6 Beta band.
@pytest.mark.parametrize(
    ("file", "change", "where", "words"),
    [
        (
            "r.csv",
            lambda t: t.replace("price\n", "price,colour\n"),
            "r.csv, line 1",
            "unknown column 'colour'",
        ),
        ("r.csv", lambda t: t.replace(",max_kg,", ",weight,"), "r.csv, line 1", "unknown column 'weight'"),
        ("r.services.csv", lambda t: t.replace(",name,", ","), "r.services.csv, line 1", "missing column"),
        (
            "r.csv",
            _replace_line(3, lambda s: s.replace(",5,8.00", ",five,8.00")),
            "r.csv, line 3, max_kg",
            "'five' is not a number",
        ),
        (
            "r.csv",
            _replace_line(3, lambda s: s.replace(",8.00", ",$8")),
            "r.csv, line 3, price",
            "not an amount of money",
        ),
        ("r.csv", _replace_line(3, lambda s: s.replace(",8.00", ",")), "r.csv, line 3, price", "is empty"),
        ("r.csv", _replace_line(3, lambda s: s + ",x"), "r.csv, line 3", "more cells than columns"),
        (
            "r.csv",
            _replace_line(3, lambda s: s.replace("GROUND,A,1", "GROUND,A,2")),
            "r.csv, line 3, transit_days",
            "2 differs from 1",
        ),
        (
            "r.csv",
            _replace_line(3, lambda s: s.replace("GROUND,A,1", "GROUND,A,x")),
            "r.csv, line 3, transit_days",
            "whole number",
        ),
        (
            "r.csv",
            _replace_line(3, lambda s: s.replace(",5,8.00", ",1,8.00")),
            "r.csv, line 3, price",
            "already priced on line 2",
        ),
        (
            "r.csv",
            _replace_line(3, lambda s: s.replace("Alpha,GROUND", "Alpha,FREIGHT")),
            "r.csv, line 3, service",
            "is not in",
        ),
        (
            "r.csv",
            _replace_line(3, lambda s: s.replace("Alpha,", "Gamma,")),
            "r.csv, line 3, service",
            "'Gamma' is not in",
        ),
        (
            "r.csv",
            _replace_line(3, lambda s: "Alpha,GROUND,A,1,5,8.001"),
            "r.csv, line 3, price",
            "two decimal places",
        ),
        (
            "r.csv",
            _replace_line(14, lambda s: s.replace("SAT,1,2,", "SAT,1,31,")),
            "r.csv, line 14, transit_days",
            "less than or equal to 30",
        ),
        (
            "r.carriers.csv",
            _replace_line(2, lambda s: s.replace(",10,", ",150,")),
            "r.carriers.csv, line 2, fuel_surcharge_pct",
            "less than or equal to 100",
        ),
        (
            "r.carriers.csv",
            _replace_line(2, lambda s: s.replace("17:00", "5pm")),
            "r.carriers.csv, line 2, cutoff",
            "time",
        ),
        (
            "r.carriers.csv",
            _replace_line(2, lambda s: s.replace("mon tue", "mon mon")),
            "r.carriers.csv, line 2, pickup_days",
            "listed twice",
        ),
        (
            "r.carriers.csv",
            _replace_line(3, lambda s: s.replace("Beta", "Alpha")),
            "r.carriers.csv, line 3, carrier",
            "listed twice",
        ),
        (
            "r.carriers.csv",
            _replace_line(3, lambda s: s.replace("Beta", "Betamax")),
            "r.services.csv, line 4, carrier",
            "'Beta' is not in",
        ),
        (
            "r.carriers.csv",
            lambda t: t + "Gamma,0,0.00,mon,17:00,\n",
            "r.carriers.csv, line 4, carrier",
            "has no services",
        ),
        (
            "r.services.csv",
            _replace_line(2, lambda s: s.replace(",no,no,", ",maybe,no,")),
            "r.services.csv, line 2, guaranteed",
            "'maybe' is not yes or no",
        ),
        (
            "r.services.csv",
            _replace_line(2, lambda s: s.replace("Alpha Ground", "")),
            "r.services.csv, line 2, name",
            "at least 1 character",
        ),
        (
            "r.services.csv",
            lambda t: t + "Alpha,FREIGHT,Alpha Freight,no,no,\n",
            "r.services.csv, line 5, service",
            "no rows in",
        ),
        (
            "r.zones.csv",
            _replace_line(3, lambda s: s.replace(",100,", ",90,")),
            "r.zones.csv, line 3, min_km",
            "must not overlap",
        ),
        (
            "r.zones.csv",
            _replace_line(5, lambda s: s.replace("100-104", "1x0")),
            "r.zones.csv, line 5, origin_prefix",
            "pattern",
        ),
        (
            "r.zones.csv",
            _replace_line(5, lambda s: s.replace(",,,", ",0,1,")),
            "r.zones.csv, line 5, zone",
            "either min_km/max_km or",
        ),
        (
            "r.zones.csv",
            _replace_line(6, lambda s: s.replace("Beta,1,", "Beta,2,")),
            "r.csv, line 14, transit_days",
            "zone '1' is not defined",
        ),
        (
            "r.zones.csv",
            _replace_line(6, lambda s: s.replace("Beta,", "Delta,")),
            "r.zones.csv, line 6, carrier",
            "'Delta' is not in",
        ),
    ],
)
def test_csv_errors_name_file_line_and_column(
    tmp_path: Path, file: str, change: Callable[[str], str], where: str, words: str
) -> None:
    rates = _bundle(tmp_path)
    _edit(tmp_path / file, change)
    with pytest.raises(ValidationError) as caught:
        load_rate_sheet(rates)
    assert caught.value.field == str(tmp_path / where)
    assert words in caught.value.message


def test_csv_missing_price_names_the_tier_row(tmp_path: Path) -> None:
    rates = _bundle(tmp_path)
    # drop "Alpha,EXPRESS,B,1,5,28.00": the 5 kg tier of EXPRESS has no zone-B price
    _edit(rates, lambda t: t.replace("Alpha,EXPRESS,B,1,5,28.00\n", ""))
    with pytest.raises(ValidationError, match="no price for zone 'B' up to 5 kg") as caught:
        load_rate_sheet(rates)
    assert caught.value.field == str(tmp_path / "r.csv, line 9, price")


def test_csv_missing_companion_file(tmp_path: Path) -> None:
    rates = _bundle(tmp_path)
    (tmp_path / "r.zones.csv").unlink()
    with pytest.raises(ValidationError, match="file not found") as caught:
        load_rate_sheet(rates)
    assert caught.value.field == str(tmp_path / "r.zones.csv")


def test_a_rate_sheet_is_immutable() -> None:
    sheet: RateSheet = load_sample_rate_sheet()
    with pytest.raises(Exception, match="frozen"):
        sheet.currency = "EUR"  # type: ignore[misc]
