"""`oms init` and `oms import`: creating a database and loading a network into it."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.context import add_database_option, open_database
from core.demo.network import DemoSizes, build_network
from core.domain.errors import ValidationError
from core.domain.network import ImportKind

if TYPE_CHECKING:  # the database layer loads when a command opens one (`app.cli.main`)
    from core.storage.database import Database


def register(commands: argparse._SubParsersAction) -> None:
    init = commands.add_parser(
        "init",
        help="create or upgrade a database",
        description="Create the database (or bring an existing one up to the newest schema). "
        "With --demo, fill an empty database with a generated retailer network.",
    )
    add_database_option(init)
    init.add_argument("--demo", action="store_true", help="fill it with the demo network")
    init.add_argument(
        "--stores", type=int, default=DemoSizes.stores, help="demo stores (default %(default)s)"
    )
    init.add_argument("--skus", type=int, default=DemoSizes.skus, help="demo SKUs (default %(default)s)")
    init.add_argument("--seed", type=int, default=DemoSizes.seed, help="demo seed (default %(default)s)")
    init.set_defaults(run=run_init)

    load = commands.add_parser(
        "import",
        help="import locations, products or inventory from CSV",
        description="Import CSV files (see README, 'Importing your own data'). The kind is taken from "
        "the file name (locations*.csv, products*.csv, inventory*.csv) unless --kind is given. Files "
        "are imported in the order locations, products, inventory, all in one transaction: if any "
        "file has an error, nothing is imported and every problem is listed with line and column.",
    )
    add_database_option(load)
    load.add_argument("files", nargs="+", type=Path, metavar="FILE")
    load.add_argument("--kind", choices=[k.value for k in ImportKind], help="what the files hold")
    load.set_defaults(run=run_import)


def location_count(db: Database) -> int:
    from sqlalchemy import func, select

    from core.storage.models import Location

    with db.transaction() as session:
        return session.scalar(select(func.count()).select_from(Location)) or 0


def run_init(args: argparse.Namespace) -> int:
    db = open_database(args)
    print(f"Database ready at {db.engine.url.render_as_string()} (schema {db.schema_revision()}).")
    if args.demo:
        existing = location_count(db)
        if existing:
            raise ValidationError(
                f"the database already holds {existing} locations; use --db with a new file for the demo",
                field="--demo",
            )
        if args.stores < 1 or args.skus < 1:
            raise ValidationError("--stores and --skus must be at least 1", field="--demo")
        from core.services.associates import add_demo_associates
        from core.services.demo_load import load_demo_network

        network = build_network(DemoSizes(stores=args.stores, skus=args.skus, seed=args.seed))
        with db.transaction() as session:
            summary = load_demo_network(session, network)
        print(
            f"Loaded {network.retailer}: {summary.locations} locations, {summary.products} products, "
            f"{summary.bins} bins, {summary.stock_positions} stock positions "
            f"({summary.movements} opening movements in the ledger)."
        )
        with db.transaction() as session:
            people = add_demo_associates(session)
        print("Demo sign-ins for `oms app --demo`:")
        for associate_id, name, role, pin in people:
            print(f"  {name} ({role.value}, id {associate_id}): PIN {pin}")
        top = max(range(len(network.products)), key=network.popularity.__getitem__)
        print(f"Try: oms inventory {network.products[top].sku}")
    return 0


def run_import(args: argparse.Namespace) -> int:
    from core.services.csv_import import IMPORTERS, detect_kind

    kinds = [(ImportKind(args.kind) if args.kind else detect_kind(path), path) for path in args.files]
    order = list(ImportKind)
    db = open_database(args)
    with db.transaction() as session:
        counts = [
            (path, IMPORTERS[kind](session, path))
            for kind, path in sorted(kinds, key=lambda k: order.index(k[0]))
        ]
    for path, count in counts:
        print(f"{path.name}: {count} row(s) imported")
    return 0
