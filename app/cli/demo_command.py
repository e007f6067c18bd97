"""`oms demo`: a first look at the product from the command line.

Until the store app is in place this builds the demo network, shows the network stock of the
best-selling items and proves the books balance; it says what the full demo will add.
"""

from __future__ import annotations

import argparse

from sqlalchemy import select

from app.cli.context import add_database_option, open_database
from app.cli.network_commands import location_count
from app.cli.output import print_table
from core.demo.network import DemoSizes, build_network
from core.services.checks import run_checks
from core.services.demo_load import load_demo_network
from core.services.inventory import network_stock
from core.storage.models import Product

COMING = """\
Coming next in this demo: an embedded hub on loopback routes a stream of web orders across the
network with plain-language explanations, a store is enrolled, and the tablet app opens signed in
as a demo associate to pick, pack and ship them (headless machines get a PNG of every screen)."""


def register(commands: argparse._SubParsersAction) -> None:
    demo = commands.add_parser(
        "demo",
        help="build the demo retailer and show what the engine knows",
        description="Create the demo network (if the database is empty), show network-wide stock of "
        "its best sellers and verify the ledger. " + COMING.replace("\n", " "),
    )
    add_database_option(demo)
    demo.set_defaults(run=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    db = open_database(args)
    network = build_network(DemoSizes())
    if not location_count(db):
        with db.transaction() as session:
            summary = load_demo_network(session, network)
        print(f"Built {network.retailer}: {summary.locations} locations, {summary.products} products.")
    with db.transaction() as session:
        # The database may hold another network (a smaller demo, or imported data): show only its SKUs.
        present = set(session.scalars(select(Product.sku)))
        ranked = sorted(range(len(network.products)), key=lambda i: -network.popularity[i])
        best = [i for i in ranked if network.products[i].sku in present][:3]
        for i in best:
            product = session.get(Product, network.products[i].sku)  # as stored, not as generated
            lines = [line for line in network_stock(session, product.sku) if line.sellable]
            print(f"\n{product.sku}  {product.name}  ${product.price}: in stock at {len(lines)} locations")
            rows = [
                [x.location, x.name, x.type, x.sellable, x.reserved, x.safety_stock, x.atp] for x in lines[:8]
            ]
            print_table(
                ["Location", "Name", "Type", "On hand", "Reserved", "Safety", "ATP"], rows, numeric_from=3
            )
            if len(lines) > 8:
                print(f"... and {len(lines) - 8} more (oms inventory {product.sku})")
        problems = run_checks(session)
    print(f"\nLedger check: {'OK' if not problems else f'{len(problems)} problem(s)'}")
    print(f"Database: {db.engine.url.render_as_string()}\n\n{COMING}")
    return 0 if not problems else 1
