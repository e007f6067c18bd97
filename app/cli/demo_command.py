"""`oms demo`: an embedded hub, a stream of web orders, and the store app (or its pictures).

The work is in `app.demo`; this only reads the options. Nothing here touches the user's own
database: the demo's hub and store live in a temporary folder that is removed at the end.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from app.settings import data_dir
from core.demo.network import DemoSizes
from core.domain.errors import ValidationError


def register(commands: argparse._SubParsersAction) -> None:
    demo = commands.add_parser(
        "demo",
        help="the whole product on one machine: a hub, web orders, and a store's tablet app",
        description="Start a hub on 127.0.0.1 with the demo retailer, post web orders (some for the demo "
        "store, some for the network) and show where each was routed and why, enrol the store's tablet, "
        "and open the store app signed in as a demo associate. Without a display the app runs offscreen: "
        "it picks, packs, labels, ships and syncs one order and saves a PNG of each screen. The demo's "
        "databases are temporary; the hub stops when the demo ends.",
    )
    demo.add_argument(
        "--store", default="S01", help="the demo store whose tablet opens (default: %(default)s)"
    )
    demo.add_argument("--orders", type=int, default=10, help="orders for the store (default: %(default)s)")
    demo.add_argument(
        "--network-orders",
        type=int,
        default=10,
        help="orders for the rest of the network (default: %(default)s)",
    )
    demo.add_argument(
        "--small", action="store_true", help="a small retailer (4 stores, 150 products): quicker"
    )
    demo.add_argument(
        "--out", metavar="DIR", help=f"where pictures, labels and slips go (default: {data_dir() / 'demo'})"
    )
    mode = demo.add_mutually_exclusive_group()
    mode.add_argument("--headless", action="store_true", help="no window even when a display exists")
    mode.add_argument("--window", action="store_true", help="open a window even when no display is detected")
    demo.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.orders < 1 or args.network_orders < 0:
        raise ValidationError("give at least 1 store order and 0 or more network orders", field="--orders")
    from app.demo import DemoConfig, run_demo  # the hub, its HTTP client and Qt load for the demo only

    sizes = DemoSizes(stores=4, skus=150) if args.small else DemoSizes()
    if not args.store.startswith("S") or not args.store[1:].isdigit() or int(args.store[1:]) > sizes.stores:
        raise ValidationError(f"choose one of the demo stores S01..S{sizes.stores:02d}", field="--store")
    config = DemoConfig(
        sizes=sizes,
        store=args.store,
        store_orders=args.orders,
        network_orders=args.network_orders,
        out=Path(args.out) if args.out else data_dir() / "demo",
        headless=True if args.headless else (False if args.window else None),
    )
    return run_demo(config)
