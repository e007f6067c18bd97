"""CSV import: the three retailer files load, re-import as upserts and counts, and every bad file
is refused whole with problems that name file, line and column (DESIGN.md, "Interfaces")."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.domain.barcodes import make_ean13
from core.domain.errors import ImportFileError
from core.domain.network import BinSpec
from core.services.catalog import upsert_bins
from core.services.checks import run_checks
from core.services.csv_import import import_inventory, import_locations, import_products
from core.storage.database import Database
from core.storage.models import Base, Bin, Location, Movement, Product, StockPosition
from tests.factories import small_network

Importer = Callable[[Session, Path], int]

LOCATIONS = (
    "code,name,type,postal_code,country,latitude,longitude,ships,pickup,returns,daily_capacity,priority"
)
PRODUCTS = "sku,name,barcode,category,price,weight_kg,length_cm,width_cm,height_cm,returnable_days"
INVENTORY = "location,sku,on_hand,safety_stock,bin"

EAN13, UPC_A = "4006381333931", "036000291452"


def write(folder: Path, name: str, *lines: str) -> Path:
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(db: Database, importer: Importer, path: Path) -> int:
    with db.transaction() as session:
        return importer(session, path)


def snapshot(session: Session) -> dict[str, list[Any]]:
    """Every row of every table, in key order: equal snapshots mean nothing was written."""
    return {
        table.name: list(session.execute(select(table).order_by(*table.primary_key.columns)))
        for table in Base.metadata.sorted_tables
    }


def refused(db: Database, importer: Importer, path: Path) -> list[str]:
    """Import a bad file; assert it wrote nothing (not even inside its transaction) and return the problems."""
    with db.transaction() as session:
        before = snapshot(session)
    with db.transaction() as session:
        with pytest.raises(ImportFileError) as caught:
            importer(session, path)
        assert snapshot(session) == before, "the importer wrote before it refused the file"
    with db.transaction() as session:
        assert snapshot(session) == before
    assert caught.value.problems, "an ImportFileError must list its problems"
    return caught.value.problems


def happy_files(folder: Path) -> tuple[Path, Path, Path]:
    locations = write(
        folder,
        "locations.csv",
        LOCATIONS,
        "S01,Chicago Loop,store,60601,US,,,yes,yes,yes,40,1",
        "DC1,Midwest DC,dc,46201,US,,,true,false,false,500,",
        "TOR,Toronto King St,store,M5V 3L9,ca,43.6426,-79.3871,1,1,0,30,2",
    )
    products = write(
        folder,
        "products.csv",
        PRODUCTS,
        f"MUG-1,Stoneware mug,{EAN13},kitchen,12.50,0.4,10,10,12,30",
        f"TEE-M,Cotton tee M,{UPC_A},apparel,19.9,0.2,30,25,2,60",
    )
    inventory = write(
        folder,
        "inventory.csv",
        INVENTORY,
        "S01,MUG-1,12,2,A-01",
        "S01,TEE-M,5,,B-03",
        "DC1,MUG-1,240,10,R1-01",
        "TOR,TEE-M,0,1,",
    )
    return locations, products, inventory


def import_happy(db: Database, folder: Path) -> None:
    locations, products, inventory = happy_files(folder)
    assert run(db, import_locations, locations) == 3
    assert run(db, import_products, products) == 2
    assert run(db, import_inventory, inventory) == 4


def positions(session: Session) -> dict[tuple[str, str], tuple[int, int, str | None]]:
    return {
        (p.location_code, p.sku): (p.sellable, p.safety_stock, p.bin_code)
        for p in session.scalars(select(StockPosition))
    }


def count_movements(session: Session) -> list[tuple[str, str, int, str, str]]:
    rows = session.execute(
        select(Movement.location_code, Movement.sku, Movement.qty, Movement.reason, Movement.reference)
        .where(Movement.reason == "count")
        .order_by(Movement.recorded_at, Movement.location_code, Movement.sku)
    )
    return [tuple(row) for row in rows]


# --- the happy path ---------------------------------------------------------------------------


def test_locations_products_and_inventory_import(db: Database, tmp_path: Path) -> None:
    import_happy(db, tmp_path)
    with db.transaction() as session:
        s01, dc1, tor = (session.get(Location, code) for code in ("S01", "DC1", "TOR"))
        assert (s01.latitude, s01.longitude) == (
            pytest.approx(41.886, abs=0.05),
            pytest.approx(-87.618, abs=0.05),
        )
        assert s01.timezone == "America/Chicago"
        assert (s01.type, s01.pickup, s01.daily_capacity, s01.priority) == ("store", True, 40, 1)
        assert (dc1.latitude, dc1.longitude) == (
            pytest.approx(39.77, abs=0.1),
            pytest.approx(-86.11, abs=0.1),
        )
        assert (dc1.type, dc1.pickup, dc1.ships, dc1.priority) == ("dc", False, True, 0)
        assert (tor.country, tor.latitude, tor.longitude) == ("CA", 43.6426, -79.3871)

        mug, tee = session.get(Product, "MUG-1"), session.get(Product, "TEE-M")
        assert [b.barcode for b in mug.barcodes] == [EAN13]
        assert [b.barcode for b in tee.barcodes] == [UPC_A]
        assert (mug.price, tee.price, mug.weight_kg, tee.returnable_days) == (
            Decimal("12.50"),
            Decimal("19.90"),
            Decimal("0.400"),
            60,
        )

        assert positions(session) == {
            ("S01", "MUG-1"): (12, 2, "A-01"),
            ("S01", "TEE-M"): (5, 0, "B-03"),
            ("DC1", "MUG-1"): (240, 10, "R1-01"),
            ("TOR", "TEE-M"): (0, 1, None),
        }
        assert sorted(count_movements(session)) == [
            ("DC1", "MUG-1", 240, "count", "inventory.csv"),
            ("S01", "MUG-1", 12, "count", "inventory.csv"),
            ("S01", "TEE-M", 5, "count", "inventory.csv"),
        ]
        bins = session.execute(select(Bin.location_code, Bin.code).order_by(Bin.location_code, Bin.code))
        assert [tuple(b) for b in bins] == [("DC1", "R1-01"), ("S01", "A-01"), ("S01", "B-03")]
        assert run_checks(session) == []


def test_reimported_inventory_records_only_the_differences(db: Database, tmp_path: Path) -> None:
    import_happy(db, tmp_path)
    recount = write(
        tmp_path,
        "inventory-recount.csv",
        INVENTORY,
        "S01,MUG-1,9,,",
        "DC1,MUG-1,240,,",
        "TOR,TEE-M,4,,",
    )
    assert run(db, import_inventory, recount) == 3
    with db.transaction() as session:
        new = [m for m in count_movements(session) if m[4] == "inventory-recount.csv"]
        assert sorted(new) == [
            ("S01", "MUG-1", -3, "count", "inventory-recount.csv"),
            ("TOR", "TEE-M", 4, "count", "inventory-recount.csv"),
        ]
        # empty safety_stock and bin leave the settings as they were
        assert positions(session)[("S01", "MUG-1")] == (9, 2, "A-01")
        assert positions(session)[("DC1", "MUG-1")] == (240, 10, "R1-01")
        assert positions(session)[("TOR", "TEE-M")] == (4, 1, None)
        assert run_checks(session) == []


def test_inventory_import_keeps_the_layout_of_a_known_bin(db: Database, tmp_path: Path) -> None:
    import_happy(db, tmp_path)
    with db.transaction() as session:
        upsert_bins(session, [BinSpec("S01", "C-02-5", zone="C", aisle=2, position=5)])
    run(db, import_inventory, write(tmp_path, "inventory.csv", INVENTORY, "S01,MUG-1,12,,C-02-5"))
    with db.transaction() as session:
        shelf = session.get(Bin, ("S01", "C-02-5"))
        assert (shelf.zone, shelf.aisle, shelf.position) == ("C", 2, 5)
        assert positions(session)[("S01", "MUG-1")] == (12, 2, "C-02-5")


def test_reimported_locations_are_updated_not_duplicated(db: Database, tmp_path: Path) -> None:
    import_happy(db, tmp_path)
    update = write(
        tmp_path,
        "locations.csv",
        LOCATIONS,
        "S01,Chicago Loop (renovated),store,60601,US,,,yes,no,yes,55,3",
        "S02,Lincoln Park,store,60614,US,,,yes,yes,yes,30,2",
    )
    assert run(db, import_locations, update) == 2
    with db.transaction() as session:
        assert session.scalars(select(Location.code).order_by(Location.code)).all() == [
            "DC1",
            "S01",
            "S02",
            "TOR",
        ]
        s01 = session.get(Location, "S01")
        assert (s01.name, s01.pickup, s01.daily_capacity, s01.priority) == (
            "Chicago Loop (renovated)",
            False,
            55,
            3,
        )
        assert positions(session)[("S01", "MUG-1")] == (12, 2, "A-01")


# --- refused files: one problem each -----------------------------------------------------------

SEEDED_BARCODE = make_ean13("400000000001")  # SKU-1 in tests.factories.small_network

ONE_PROBLEM = {
    "unknown column": (
        import_locations,
        "locations.csv",
        [LOCATIONS + ",colour", "S09,Oak Park,store,60302,US,,,yes,yes,yes,30,1,blue"],
        "locations.csv, line 1, column colour: unknown column; expected code, name, type, postal_code, "
        "country, latitude, longitude, ships, pickup, returns, daily_capacity, priority",
    ),
    "missing required column": (
        import_products,
        "products.csv",
        ["sku,name,barcode", f"NEW-1,Teapot,{EAN13}"],
        "products.csv, line 1, column price: required column is missing",
    ),
    "empty required cell": (
        import_products,
        "products.csv",
        [PRODUCTS, f"NEW-1, ,{EAN13},kitchen,24.00,1.1,20,20,20,30"],
        "products.csv, line 2, column name: is empty",
    ),
    "on_hand not a whole number": (
        import_inventory,
        "inventory.csv",
        [INVENTORY, "S01,SKU-1,12,,", "S02,SKU-1,3.5,,"],
        "inventory.csv, line 3, column on_hand: '3.5' is not a whole number",
    ),
    "negative daily_capacity": (
        import_locations,
        "locations.csv",
        [LOCATIONS, "S09,Oak Park,store,60302,US,,,yes,yes,yes,-5,1"],
        "locations.csv, line 2, column daily_capacity: -5 is negative",
    ),
    "bad boolean": (
        import_locations,
        "locations.csv",
        [LOCATIONS, "S09,Oak Park,store,60302,US,,,maybe,yes,yes,30,1"],
        "locations.csv, line 2, column ships: 'maybe' is not true/false (or yes/no, 1/0)",
    ),
    "unknown location type": (
        import_locations,
        "locations.csv",
        [LOCATIONS, "S09,Oak Park,shop,60302,US,,,yes,yes,yes,30,1"],
        "locations.csv, line 2, column type: 'shop' is not one of store, dc, 3pl, dropship",
    ),
    "unknown US postal code without coordinates": (
        import_locations,
        "locations.csv",
        [LOCATIONS, "S09,Nowhere,store,00000,US,,,yes,yes,yes,30,1"],
        "locations.csv, line 2, column postal_code: unknown US postal code '00000' and no latitude/longitude given",
    ),
    "latitude out of range": (
        import_locations,
        "locations.csv",
        [LOCATIONS, "S09,North Pole+,store,H0H 0H0,CA,91.5,-80,yes,yes,yes,30,1"],
        "locations.csv, line 2, column latitude: latitude 91.5 is outside -90..90",
    ),
    "EAN-13 with a wrong check digit": (
        import_products,
        "products.csv",
        [PRODUCTS, "NEW-1,Teapot,4006381333932,kitchen,24.00,1.1,20,20,20,30"],
        "products.csv, line 2, column barcode: EAN-13 4006381333932 has check digit 2, expected 1",
    ),
    "barcode of the wrong length": (
        import_products,
        "products.csv",
        [PRODUCTS, "NEW-1,Teapot,12345678,kitchen,24.00,1.1,20,20,20,30"],
        "products.csv, line 2, column barcode: '12345678' is not a UPC-A (12 digits) or EAN-13 (13 digits) barcode",
    ),
    "price with three decimals": (
        import_products,
        "products.csv",
        [PRODUCTS, f"NEW-1,Teapot,{EAN13},kitchen,24.995,1.1,20,20,20,30"],
        "products.csv, line 2, column price: 24.995 has more than two decimal places",
    ),
    "repeated location code": (
        import_locations,
        "locations.csv",
        [
            LOCATIONS,
            "S09,Oak Park,store,60302,US,,,yes,yes,yes,30,1",
            "S10,Evanston,store,60201,US,,,yes,yes,yes,30,1",
            "S09,Oak Park again,store,60302,US,,,yes,yes,yes,30,1",
        ],
        "locations.csv, line 4, column code: S09 is repeated (first on line 2)",
    ),
    "repeated SKU": (
        import_products,
        "products.csv",
        [PRODUCTS, "NEW-1,Teapot,,kitchen,24.00,,,,,", "NEW-1,Teapot,,kitchen,25.00,,,,,"],
        "products.csv, line 3, column sku: NEW-1 is repeated (first on line 2)",
    ),
    "barcode owned by another SKU": (
        import_products,
        "products.csv",
        [PRODUCTS, f"NEW-1,Teapot,{SEEDED_BARCODE},kitchen,24.00,,,,,"],
        f"products.csv, line 2, column barcode: {SEEDED_BARCODE} already belongs to SKU-1",
    ),
    "wrong number of fields": (
        import_inventory,
        "inventory.csv",
        [INVENTORY, "S01,SKU-1,12,,", "S01,SKU-2,7"],
        "inventory.csv, line 3: 3 fields, the header has 5",
    ),
    "empty file": (
        import_locations,
        "locations.csv",
        [],
        "locations.csv, line 1: the file is empty; expected a header row",
    ),
}


@pytest.fixture
def seeded(db: Database) -> Database:
    """Two stores, a DC and three products (SKU-1..3) with stock, so a refused file has rows to spare."""
    with db.transaction() as session:
        small_network(session)
    return db


@pytest.mark.parametrize("case", ONE_PROBLEM.values(), ids=list(ONE_PROBLEM))
def test_a_bad_file_names_file_line_and_column_and_changes_nothing(
    seeded: Database, tmp_path: Path, case: tuple[Importer, str, list[str], str]
) -> None:
    importer, name, lines, expected = case
    path = tmp_path / name
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    assert refused(seeded, importer, path) == [expected]


def test_unknown_location_and_sku_in_inventory_are_both_named(seeded: Database, tmp_path: Path) -> None:
    path = write(tmp_path, "inventory.csv", INVENTORY, "S01,SKU-1,12,,", "X99,NOPE-1,3,,")
    assert refused(seeded, import_inventory, path) == [
        "inventory.csv, line 3, column location: unknown location X99",
        "inventory.csv, line 3, column sku: unknown SKU NOPE-1",
    ]


def test_a_file_that_is_not_utf8_names_the_line_of_the_bad_byte(seeded: Database, tmp_path: Path) -> None:
    rows = [PRODUCTS] + [f"NEW-{n},Mug {n},,kitchen,9.99,,,,," for n in range(1, 2000)]
    rows[1500] = "NEW-1500,Café au lait bowl,,kitchen,9.99,,,,,"  # saved as Windows-1252 by a spreadsheet
    path = tmp_path / "products.csv"
    path.write_bytes("\n".join(rows).encode("cp1252"))
    assert refused(seeded, import_products, path) == [
        "products.csv, line 1501: byte 0xe9 is not UTF-8 text; save the file as CSV UTF-8"
    ]


def test_a_binary_file_is_refused(seeded: Database, tmp_path: Path) -> None:
    path = tmp_path / "inventory.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
    assert refused(seeded, import_inventory, path) == [
        "inventory.csv, line 1: byte 0x89 is not UTF-8 text; save the file as CSV UTF-8"
    ]


def test_every_problem_in_a_file_is_reported_once(seeded: Database, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "locations.csv",
        LOCATIONS,
        "S01,Chicago Loop renamed,store,60601,US,,,yes,yes,yes,40,1",  # valid: must not be applied
        "S09,,dc,60302,US,,,yes,perhaps,no,-1,1",
        "S10,Evanston,store,60201,US,,,yes,yes,yes,30,high",
        "S11,Gary,warehouse,46402,US,,,yes,no,no,30,1",
        "S12,Paris,store,75001,FR,48.85,,yes,yes,yes,30,1",
        "S13,Nowhere,store,00000,US,,,yes,yes,yes,30,1",
        "S10,Evanston 2,store,60201,US,,,yes,yes,yes,30,1",
    )
    assert refused(seeded, import_locations, path) == [
        "locations.csv, line 3, column name: is empty",
        "locations.csv, line 3, column pickup: 'perhaps' is not true/false (or yes/no, 1/0)",
        "locations.csv, line 3, column daily_capacity: -1 is negative",
        "locations.csv, line 4, column priority: 'high' is not a whole number",
        "locations.csv, line 5, column type: 'warehouse' is not one of store, dc, 3pl, dropship",
        "locations.csv, line 6, column latitude: latitude and longitude must be given together",
        "locations.csv, line 7, column postal_code: unknown US postal code '00000' and no latitude/longitude given",
        "locations.csv, line 8, column code: S10 is repeated (first on line 4)",
    ]
