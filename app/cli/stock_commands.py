"""`oms inventory` and `oms check`: looking at stock and proving the books balance."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from app.cli.context import add_database_option, open_database
from app.cli.output import print_json, print_table
from core.domain.errors import NotFoundError

if TYPE_CHECKING:  # the services and the database layer load when a command runs (`app.cli.main`)
    from core.services.inventory import StockLine

COUNTED = ("sellable", "damaged", "quarantine", "in_transit", "reserved", "safety_stock", "atp")


def register(commands: argparse._SubParsersAction) -> None:
    inventory = commands.add_parser(
        "inventory",
        help="where a SKU is across the network",
        description="Network visibility for one SKU (or its barcode): on hand by bucket, reserved, "
        "safety stock and available-to-promise (ATP = sellable - reserved - safety stock) per location.",
    )
    add_database_option(inventory)
    inventory.add_argument("sku", metavar="SKU", help="SKU or barcode")
    inventory.add_argument("--json", action="store_true", help="print JSON instead of a table")
    inventory.set_defaults(run=run_inventory)

    check = commands.add_parser(
        "check",
        help="verify balances against the ledger and other invariants",
        description="Verify that every balance equals the sum of its ledger movements, reservations add "
        "up, no stock is negative where that is forbidden, fulfilments stay within their orders and "
        "every state matches its audit trail. Exits 1 with a report naming each broken row.",
    )
    add_database_option(check)
    check.set_defaults(run=run_check)


def _as_dict(line: StockLine) -> dict[str, object]:
    return {"location": line.location, "name": line.name, "type": line.type, "bin": line.bin} | {
        key: getattr(line, key) for key in COUNTED
    }


def run_inventory(args: argparse.Namespace) -> int:
    from core.services.catalog import product_by_barcode
    from core.services.inventory import network_stock
    from core.storage.models import Product

    db = open_database(args)
    with db.transaction() as session:
        product = session.get(Product, args.sku) or product_by_barcode(session, args.sku)
        if product is None:
            raise NotFoundError(f"no product with SKU or barcode {args.sku}", field="SKU")
        lines = network_stock(session, product.sku)
        sku, name = product.sku, product.name
    totals = {key: sum(getattr(line, key) for line in lines) for key in COUNTED}
    if args.json:
        print_json(
            {"sku": sku, "name": name, "locations": [_as_dict(line) for line in lines], "totals": totals}
        )
        return 0
    print(f"{sku}  {name}\n")
    rows = [
        [line.location, line.name, line.type, line.bin or "", *(getattr(line, key) for key in COUNTED)]
        for line in lines
    ]
    rows.append(["total", "", "", "", *totals.values()])
    headers = ["Location", "Name", "Type", "Bin", "On hand", "Damaged", "Quarant.", "In transit"]
    print_table([*headers, "Reserved", "Safety", "ATP"], rows, numeric_from=4)
    return 0


def run_check(args: argparse.Namespace) -> int:
    from sqlalchemy import func, select

    from core.services.checks import run_checks
    from core.storage.models import Movement, StockPosition

    db = open_database(args)
    with db.transaction() as session:
        problems = run_checks(session)
        positions = session.scalar(select(func.count()).select_from(StockPosition))
        movements = session.scalar(select(func.count()).select_from(Movement))
    if problems:
        print(f"FAILED: {len(problems)} problem(s)")
        for problem in problems:
            print(f"  {problem}")
        return 1
    print(f"OK: {positions} stock positions agree with {movements} ledger movements; all invariants hold.")
    return 0
