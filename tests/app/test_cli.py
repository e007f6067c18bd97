"""The `oms` command, run in-process through `main()` (and once as the installed console script)."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli.main import main
from core.services.inventory import reserve
from core.storage.database import Database

LOCATIONS = (
    "code,name,type,postal_code,country,latitude,longitude,ships,pickup,returns,daily_capacity,priority"
)
PRODUCTS = "sku,name,barcode,category,price,weight_kg,length_cm,width_cm,height_cm,returnable_days"
INVENTORY = "location,sku,on_hand,safety_stock,bin"


def oms(capsys: pytest.CaptureFixture[str], db: Path, command: str, *args: str) -> tuple[int, str, str]:
    """Run `oms COMMAND --db DB ARGS...` and return (exit code, stdout, stderr)."""
    code = main([command, "--db", str(db), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def query(db: Path, sql: str, *params: object) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def write(folder: Path, name: str, *lines: str) -> Path:
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo network, built once per module; tests work on copies."""
    path = tmp_path_factory.mktemp("template") / "demo.db"
    assert main(["init", "--db", str(path), "--demo", "--stores", "3", "--skus", "50"]) == 0
    with sqlite3.connect(path) as conn:  # fold the WAL into the file so one file is the whole database
        busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    assert busy == 0
    return path


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> Path:
    return Path(shutil.copyfile(demo_template, tmp_path / "demo.db"))


def stocked_sku(db: Path) -> str:
    """The SKU held at the most locations, so tables have several rows."""
    [(sku,)] = query(
        db,
        "SELECT sku FROM stock_positions WHERE sellable > 0 GROUP BY sku ORDER BY count(*) DESC, sku LIMIT 1",
    )
    return sku


# --- help ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "mentions"),
    [
        ("init", ["--db", "--demo", "--stores", "--skus", "--seed"]),
        ("import", ["--db", "--kind", "FILE", "locations", "products", "inventory"]),
        ("inventory", ["--db", "--json", "SKU", "barcode"]),
        ("check", ["--db", "ledger"]),
        ("demo", ["--small", "--headless", "--window", "--out", "hub", "display"]),
    ],
)
def test_each_command_has_help(capsys: pytest.CaptureFixture[str], command: str, mentions: list[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    out = " ".join(capsys.readouterr().out.split())  # argparse wraps to the terminal width
    assert out.startswith(f"usage: oms {command}")
    for word in mentions:
        assert word in out


def test_top_level_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    for command in ("init", "import", "inventory", "check", "demo"):
        assert re.search(rf"^ +{command}\b", out, re.MULTILINE), command
    assert "2 bad input" in out


# What a command does is imported when it runs: building every command's options (all `oms
# --help` does) loads none of these, and `oms bench routing` none but the routing engine's.
HEAVY = ("sqlalchemy", "fastapi", "uvicorn", "httpx", "PySide6", "numba", "highspy")


def _loaded_after(code: str) -> set[str]:
    """The heavy packages a fresh interpreter holds after running `code`."""
    probe = f"import json, sys\n{code}\nprint(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True
    )
    return set(HEAVY) & set(json.loads(out.stdout))


def test_building_the_commands_options_loads_no_engine_database_or_web_stack() -> None:
    assert _loaded_after("from app.cli.main import build_parser; build_parser()") == set()


def test_the_routing_benchmark_loads_the_routing_engine_only() -> None:
    code = "from app.cli.main import build_parser; build_parser(); import core.routing.benchmark"
    assert _loaded_after(code) == {"numba", "highspy"}


def test_an_unknown_option_is_a_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["inventory", "--db", str(tmp_path / "x.db"), "SKU-1", "--colour"])
    assert exit_.value.code == 2
    assert "unrecognized arguments: --colour" in capsys.readouterr().err


# --- init -------------------------------------------------------------------------------------


@pytest.mark.real_migrations
def test_init_creates_the_schema(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "new" / "oms.db"
    code, out, _ = oms(capsys, db, "init")
    assert code == 0
    assert "Database ready" in out and f"(schema {Database.newest_revision()})" in out
    tables = {name for (name,) in query(db, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"locations", "products", "stock_positions", "movements", "reservations"} <= tables
    assert query(db, "SELECT version_num FROM alembic_version") == [(Database.newest_revision(),)]
    assert query(db, "SELECT count(*) FROM locations") == [(0,)]
    assert oms(capsys, db, "init")[0] == 0  # again: nothing to upgrade, still fine


def test_init_demo_fills_the_database(demo_template: Path) -> None:
    assert query(demo_template, "SELECT count(*) FROM locations WHERE type = 'store'") == [(3,)]
    assert query(demo_template, "SELECT count(*) FROM products") == [(50,)]
    assert query(demo_template, "SELECT count(*) FROM movements")[0][0] > 0


def test_init_demo_refuses_a_database_that_has_data(
    capsys: pytest.CaptureFixture[str], demo_db: Path
) -> None:
    before = query(demo_db, "SELECT count(*) FROM locations")
    code, _, err = oms(capsys, demo_db, "init", "--demo", "--stores", "3", "--skus", "50")
    assert code == 2
    assert err.startswith("error: --demo: the database already holds")
    assert query(demo_db, "SELECT count(*) FROM locations") == before


# --- inventory --------------------------------------------------------------------------------


def test_inventory_table_has_a_row_per_location_and_a_totals_row(
    capsys: pytest.CaptureFixture[str], demo_db: Path
) -> None:
    sku = stocked_sku(demo_db)
    code, out, _ = oms(capsys, demo_db, "inventory", sku)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith(f"{sku}  ")
    header = lines[2].split()
    assert header[:4] == ["Location", "Name", "Type", "Bin"] and header[-3:] == ["Reserved", "Safety", "ATP"]
    held = query(demo_db, "SELECT location_code, sellable FROM stock_positions WHERE sku = ?", sku)
    body, total = lines[4:-1], lines[-1]
    assert sorted(line.split()[0] for line in body) == sorted(loc for loc, _ in held)
    on_hand_column = [int(line.split()[-7]) for line in body]
    assert int(total.split()[1]) == sum(on_hand_column) == sum(units for _, units in held)
    assert total.split()[0] == "total"


def test_inventory_json_gives_atp_per_location(capsys: pytest.CaptureFixture[str], demo_db: Path) -> None:
    sku = stocked_sku(demo_db)
    [(location, sellable)] = query(
        demo_db,
        "SELECT location_code, sellable FROM stock_positions WHERE sku = ? AND sellable >= 3 "
        "ORDER BY location_code LIMIT 1",
        sku,
    )
    database = Database.open(str(demo_db))
    with database.transaction() as session:
        reserve(session, location, sku, 2, reference="test")
    database.close()

    code, out, _ = oms(capsys, demo_db, "inventory", sku, "--json")
    assert code == 0
    data = json.loads(out)
    assert data["sku"] == sku
    by_location = {line["location"]: line for line in data["locations"]}
    assert len(by_location) == len(query(demo_db, "SELECT 1 FROM stock_positions WHERE sku = ?", sku))
    assert (by_location[location]["sellable"], by_location[location]["reserved"]) == (sellable, 2)
    for line in data["locations"]:
        assert line["atp"] == line["sellable"] - line["reserved"] - line["safety_stock"]
    assert any(line["safety_stock"] > 0 for line in data["locations"])
    for key in ("sellable", "reserved", "safety_stock", "atp"):
        assert data["totals"][key] == sum(line[key] for line in data["locations"])


def test_inventory_by_barcode(capsys: pytest.CaptureFixture[str], demo_db: Path) -> None:
    sku = stocked_sku(demo_db)
    [(barcode,)] = query(demo_db, "SELECT barcode FROM product_barcodes WHERE sku = ?", sku)
    by_sku = json.loads(oms(capsys, demo_db, "inventory", sku, "--json")[1])
    code, out, _ = oms(capsys, demo_db, "inventory", barcode, "--json")
    assert code == 0
    assert json.loads(out) == by_sku


def test_inventory_of_an_unknown_sku_is_bad_input(capsys: pytest.CaptureFixture[str], demo_db: Path) -> None:
    code, out, err = oms(capsys, demo_db, "inventory", "NOPE-404")
    assert code == 2
    assert out == ""
    assert err == "error: SKU: no product with SKU or barcode NOPE-404\n"


# --- check ------------------------------------------------------------------------------------


def test_check_passes_on_a_fresh_demo(capsys: pytest.CaptureFixture[str], demo_db: Path) -> None:
    code, out, _ = oms(capsys, demo_db, "check")
    assert code == 0
    assert out.startswith("OK: ")


def test_check_names_a_tampered_balance(capsys: pytest.CaptureFixture[str], demo_db: Path) -> None:
    [(location, sku, sellable)] = query(
        demo_db,
        "SELECT location_code, sku, sellable FROM stock_positions WHERE sellable > 0 "
        "ORDER BY location_code, sku LIMIT 1",
    )
    with sqlite3.connect(demo_db) as conn:
        conn.execute(
            "UPDATE stock_positions SET sellable = sellable + 3 WHERE location_code = ? AND sku = ?",
            (location, sku),
        )
    code, out, _ = oms(capsys, demo_db, "check")
    assert code == 1
    assert out.splitlines() == [
        "FAILED: 1 problem(s)",
        f"  [balance] stock_positions {location}/{sku}: sellable is {sellable + 3} "
        f"but the ledger sums to {sellable}",
    ]


# --- import -----------------------------------------------------------------------------------


def network_files(folder: Path) -> list[Path]:
    return [
        write(folder, "inventory.csv", INVENTORY, "S01,MUG-1,12,2,A-01", "DC1,MUG-1,240,10,"),
        write(
            folder,
            "products.csv",
            PRODUCTS,
            "MUG-1,Stoneware mug,4006381333931,kitchen,12.50,0.4,10,10,12,30",
        ),
        write(
            folder,
            "locations.csv",
            LOCATIONS,
            "S01,Chicago Loop,store,60601,US,,,yes,yes,yes,40,1",
            "DC1,Midwest DC,dc,46201,US,,,yes,no,no,500,0",
        ),
    ]


def test_import_loads_files_in_dependency_order(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "oms.db"
    files = network_files(tmp_path)  # given inventory first: the command sorts them
    code, out, err = oms(capsys, db, "import", *map(str, files))
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "locations.csv: 2 row(s) imported",
        "products.csv: 1 row(s) imported",
        "inventory.csv: 2 row(s) imported",
    ]
    stock = json.loads(oms(capsys, db, "inventory", "MUG-1", "--json")[1])
    assert {line["location"]: line["atp"] for line in stock["locations"]} == {"S01": 10, "DC1": 230}
    assert oms(capsys, db, "check")[0] == 0


def test_import_with_kind_for_an_unconventional_name(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "oms.db"
    stores = write(
        tmp_path, "stores-2024.csv", LOCATIONS, "S01,Chicago Loop,store,60601,US,,,yes,yes,yes,40,1"
    )
    code, _, err = oms(capsys, db, "import", str(stores))
    assert code == 2
    assert "cannot tell what stores-2024.csv holds" in err
    assert oms(capsys, db, "import", str(stores), "--kind", "locations")[0] == 0
    assert query(db, "SELECT code FROM locations") == [("S01",)]


def test_import_of_a_bad_file_imports_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "oms.db"
    locations = network_files(tmp_path)[2]
    bad_products = write(
        tmp_path,
        "products.csv",
        PRODUCTS,
        "MUG-1,Stoneware mug,4006381333931,kitchen,12.50,0.4,10,10,12,30",
        "MUG-2,Mug,,kitchen,12.505,0.4,10,10,12,30",
        "MUG-3,Mug,4006381333932,kitchen,12.50,0.4,10,10,12,30",
    )
    code, out, err = oms(capsys, db, "import", str(locations), str(bad_products))
    assert code == 2
    assert out == ""
    assert err.splitlines() == [
        "error: 2 problem(s), nothing imported:",
        "products.csv, line 3, column price: 12.505 has more than two decimal places",
        "products.csv, line 4, column barcode: EAN-13 4006381333932 has check digit 2, expected 1",
    ]
    assert query(db, "SELECT count(*) FROM locations") == [(0,)]  # the good file went back too
    assert query(db, "SELECT count(*) FROM products") == [(0,)]


# --- demo -------------------------------------------------------------------------------------
# `oms demo` runs a hub and the store app: tests/app/test_demo.py runs it end to end.


def test_demo_refuses_an_unknown_store(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--small", "--store", "S09"]) == 2
    assert "error: --store: choose one of the demo stores S01..S04" in capsys.readouterr().err


# --- the installed console script -------------------------------------------------------------


def test_the_installed_oms_script_runs(tmp_path: Path) -> None:
    script = shutil.which("oms", path=str(Path(sys.executable).parent)) or shutil.which("oms")
    assert script, "the `oms` console script is not installed (pip install -e .)"
    db = str(tmp_path / "oms.db")
    env = {k: v for k, v in os.environ.items() if k != "OMS_DATABASE_URL"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([script, *args], capture_output=True, text=True, env=env, timeout=120)

    init = run("init", "--db", db, "--demo", "--stores", "2", "--skus", "20")
    assert init.returncode == 0, init.stderr
    assert "Loaded " in init.stdout and "20 products" in init.stdout
    check = run("check", "--db", db)
    assert check.returncode == 0, check.stderr
    assert check.stdout.startswith("OK: ")
