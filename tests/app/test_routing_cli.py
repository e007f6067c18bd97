"""`oms route` and `oms rules` in-process: decisions, dry runs, rule versions, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli.main import main
from core.routing.rules import default_rule_set
from tests.factories import order_json


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    db = tmp_path / "demo.db"
    assert main(["init", "--demo", "--stores", "4", "--skus", "60", "--db", str(db)]) == 0
    return db


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def stocked_order(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], **changes: object) -> Path:
    """An order for one unit of a SKU that the demo network holds somewhere."""
    code, out, _ = run(capsys, "inventory", "APP-00001", "--json", "--db", str(db))
    assert code == 0 and any(row["atp"] > 0 for row in json.loads(out)["locations"])
    data = order_json("W-CLI-1")
    data["lines"] = [{"sku": "APP-00001", "qty": 1, "unit_price": "12.00"}]
    data.update(changes)
    path = tmp_path / "order.json"
    path.write_text(json.dumps(data))
    return path


def test_dry_run_then_route_then_replay(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    order = stocked_order(demo, tmp_path, capsys)
    code, out, _ = run(capsys, "route", "--order", str(order), "--dry-run", "--db", str(demo))
    assert code == 0 and "routed (dry run)" in out and "Routed to" in out
    code, out, _ = run(capsys, "route", "--order", str(order), "--json", "--db", str(demo))
    decision = json.loads(out)
    assert decision["order_id"] == "W-CLI-1" and decision["status"] == "routed"
    assert {"rule_set", "shipments", "explanation", "text"} <= decision.keys()
    assert decision["shipments"][0]["carrier"] and decision["explanation"]["candidates"]
    code, out, _ = run(capsys, "route", "--order", str(order), "--db", str(demo))
    assert code == 0 and "stored decision" in out
    assert run(capsys, "check", "--db", str(demo))[0] == 0


def test_why_not_a_location(demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    order = stocked_order(demo, tmp_path, capsys)
    code, out, _ = run(
        capsys, "route", "--order", str(order), "--dry-run", "--why-not", "DC1", "--db", str(demo)
    )
    assert code == 0 and "DC Midwest (DC1)" in out


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"lines": [{"sku": "APP-00001", "qty": 0, "unit_price": "1.00"}]}, "order.json lines[0].qty"),
        ({"lines": [{"sku": "NOPE", "qty": 1, "unit_price": "1.00"}]}, "lines[0].sku: unknown SKU NOPE"),
        (
            {
                "lines": [
                    {"sku": "APP-00001", "qty": 1, "unit_price": "1.00"},
                    {"sku": "ZZZ", "qty": 1, "unit_price": "1.00"},
                    {"sku": "NOPE", "qty": 1, "unit_price": "1.00"},
                ]
            },
            "lines[1].sku: unknown SKU NOPE, ZZZ",  # the first unknown line is named, every SKU listed
        ),
        ({"delivery": {"method": "pickup", "pickup_location": "DC1"}}, "DC1 does not offer pickup"),
    ],
)
def test_bad_orders_exit_2_and_reserve_nothing(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], change: dict, message: str
) -> None:
    order = stocked_order(demo, tmp_path, capsys, **change)
    code, _, err = run(capsys, "route", "--order", str(order), "--db", str(demo))
    assert code == 2 and message in err
    code, out, _ = run(capsys, "inventory", "APP-00001", "--json", "--db", str(demo))
    assert json.loads(out)["totals"]["reserved"] == 0


def test_a_bad_rules_file_names_the_field(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    order = stocked_order(demo, tmp_path, capsys)
    rules = default_rule_set().model_dump(mode="json")
    rules["costs"]["shipment_penalty"] = "-1"
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(rules))
    code, _, err = run(capsys, "route", "--order", str(order), "--rules", str(path), "--db", str(demo))
    assert code == 2 and "costs.shipment_penalty" in err
    code, _, err = run(capsys, "rules", "import", str(path), "--author", "kim", "--db", str(demo))
    assert code == 2 and "costs.shipment_penalty" in err


def test_rule_versions_import_activate_export_history(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "rules", "show", "--db", str(demo))
    assert code == 0 and json.loads(out)["version"] == 1
    rules = json.loads(out)
    rules["filters"]["max_distance_km"] = {"ship": 0.5}
    path = tmp_path / "new.json"
    path.write_text(json.dumps(rules))
    code, out, _ = run(
        capsys,
        "rules",
        "import",
        str(path),
        "--author",
        "kim",
        "--comment",
        "tighter",
        "--activate",
        "--db",
        str(demo),
    )
    assert code == 0 and "default version 2 as active" in out
    code, out, _ = run(capsys, "rules", "history", "--db", str(demo))
    lines = out.splitlines()
    assert any(line.split()[:3] == ["default", "1", "retired"] for line in lines)
    assert any(line.split()[:4] == ["default", "2", "active", "kim"] and "tighter" in line for line in lines)
    exported = tmp_path / "v1.json"
    code, out, _ = run(capsys, "rules", "export", "--version", "1", "-o", str(exported), "--db", str(demo))
    assert code == 0 and json.loads(exported.read_text())["version"] == 1
    code, out, _ = run(capsys, "rules", "activate", "default", "1", "--author", "kim", "--db", str(demo))
    assert code == 0 and "version 1 is now active" in out
    code, _, err = run(capsys, "rules", "activate", "default", "9", "--author", "kim", "--db", str(demo))
    assert code == 2 and "no rule set default version 9" in err


def _rules_file(tmp_path: Path, name: str, **filters: object) -> Path:
    rules = default_rule_set().model_dump(mode="json")
    rules["version"] = 2
    rules["filters"].update(filters)
    path = tmp_path / name
    path.write_text(json.dumps(rules))
    return path


def test_simulating_a_rule_change_on_the_databases_orders_reserves_nothing(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    same_rules = str(_rules_file(tmp_path, "same.json"))
    code, out, _ = run(capsys, "rules", "simulate", same_rules, "--db", str(demo))
    assert (
        code == 0
        and out == "No orders placed in the last 7 days to simulate on (--days N, or --orders FILE).\n"
    )
    for n in range(3):
        order = stocked_order(demo, tmp_path, capsys, id=f"W-SIM-{n}")
        assert run(capsys, "route", "--order", str(order), "--db", str(demo))[0] == 0
    before = run(capsys, "inventory", "APP-00001", "--json", "--db", str(demo))[1]
    code, out, _ = run(capsys, "rules", "simulate", same_rules, "--json", "--db", str(demo))
    same = json.loads(out)
    assert code == 0 and same["orders"] == 3 and same["orders_changed"] == 0 and same["units_moved"] == []
    assert same["current"]["rule_set"] == "default v1" and same["candidate"]["rule_set"] == "default v2"
    used = same["current"]["units_by_location"]
    assert sum(used.values()) == 3
    # Candidate rules that ship from none of the locations used now: every order changes.
    types = {"dc", "store", "3pl", "dropship"} - {"dc" if code.startswith("DC") else "store" for code in used}
    elsewhere = _rules_file(
        tmp_path, "elsewhere.json", allowed_location_types={"ship": sorted(types), "pickup": ["store"]}
    )
    code, out, _ = run(capsys, "rules", "simulate", str(elsewhere), "--json", "--db", str(demo))
    result = json.loads(out)
    assert code == 0 and result["orders_changed"] == len(result["changes"]) == 3
    assert not set(result["candidate"]["units_by_location"]) & set(used)
    code, out, _ = run(capsys, "rules", "simulate", str(elsewhere), "--show", "1", "--db", str(demo))
    assert code == 0 and out.startswith("3 orders routed under each rule set")
    assert "average cost per order" in out and "candidate (elsewhere.json: default v2)" in out
    first = result["changes"][0]
    assert f"- {first['order_id']}: {first['current']} → {first['candidate']}" in out
    code, out, _ = run(capsys, "rules", "simulate", str(elsewhere), "--show", "0", "--db", str(demo))
    assert out.rstrip().endswith(
        f"{result['orders_changed']} of 3 orders would be routed differently (--show N lists them)."
    )
    # Nothing was reserved or stored by either simulation.
    assert run(capsys, "inventory", "APP-00001", "--json", "--db", str(demo))[1] == before
    assert run(capsys, "check", "--db", str(demo))[0] == 0


def test_simulating_on_an_orders_file_and_its_bad_input(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = json.loads(stocked_order(demo, tmp_path, capsys).read_text())
    unknown = {**good, "id": "W-BAD", "lines": [{"sku": "NOPE", "qty": 1, "unit_price": "1.00"}]}
    orders = tmp_path / "orders.jsonl"
    same = str(_rules_file(tmp_path, "same.json"))
    orders.write_text(json.dumps(good) + "\n\n" + json.dumps({**good, "id": "W-2"}) + "\n")
    code, out, _ = run(capsys, "rules", "simulate", same, "--orders", str(orders), "--db", str(demo))
    assert code == 0 and "2 orders routed" in out and "No order would be routed differently." in out
    orders.write_text(json.dumps(good) + "\n" + json.dumps(unknown) + "\n")
    code, _, err = run(capsys, "rules", "simulate", same, "--orders", str(orders), "--db", str(demo))
    assert code == 2 and "order W-BAD lines[0].sku: unknown SKU NOPE" in err
    orders.write_text(json.dumps(good) + "\n{not json\n")
    code, _, err = run(capsys, "rules", "simulate", same, "--orders", str(orders), "--db", str(demo))
    assert code == 2 and "orders.jsonl: line 2 is not JSON" in err
    bad_rules = default_rule_set().model_dump(mode="json")
    bad_rules["split"]["max_shipments"] = 0
    (tmp_path / "bad.json").write_text(json.dumps(bad_rules))
    code, _, err = run(capsys, "rules", "simulate", str(tmp_path / "bad.json"), "--db", str(demo))
    assert code == 2 and "split.max_shipments" in err
    code, _, err = run(capsys, "rules", "simulate", same, "--days", "0", "--db", str(demo))
    assert code == 2 and "--days: must be 1 or more" in err
    code, _, err = run(capsys, "rules", "simulate", same, "--show", "-1", "--db", str(demo))
    assert code == 2 and "--show: must be 0 or more" in err
