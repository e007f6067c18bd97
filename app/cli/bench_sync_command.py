"""`oms bench sync`: events pushed and changes pulled through the real hub app, snapshot size, and a
store catching up after offline sales, printing JSON (the measuring is in `sync.benchmark`)."""

from __future__ import annotations

import argparse
import sys

from app.cli.output import print_json
from core.domain.errors import ValidationError
from sync.benchmark import SyncBenchConfig, bench_sync


def register(kinds: argparse._SubParsersAction) -> None:
    bench = kinds.add_parser(
        "sync",
        help="sync: push and pull throughput through the hub app, snapshot size, catch-up after offline sales",
        description="Load the demo retailer into a hub database (a temporary SQLite file, or the empty "
        "database given with --db), serve the real hub app in process (or with --loopback under uvicorn "
        "on 127.0.0.1), then measure: batches of 500 movement events pushed by a store (first sight and "
        "as retries), the store's feed pulled by raw HTTP and by the store client, the snapshot a new "
        "tablet receives, and one sync after a store recorded sales offline. Prints JSON; progress "
        "goes to stderr.",
    )
    bench.add_argument("--skus", type=int, default=2000, help="products in the network (default %(default)s)")
    bench.add_argument(
        "--batches", type=int, default=20, help="push batches of 500 events (default %(default)s)"
    )
    bench.add_argument("--feed", type=int, default=5000, help="changes to pull (default %(default)s)")
    bench.add_argument(
        "--offline-sales",
        type=int,
        default=1000,
        help="sales made offline before catching up (default %(default)s)",
    )
    bench.add_argument("--loopback", action="store_true", help="serve the hub with uvicorn on 127.0.0.1")
    bench.add_argument("--db", help="an empty database URL for the hub (default: a temporary SQLite file)")
    bench.set_defaults(run=run_sync)


def run_sync(args: argparse.Namespace) -> int:
    for name in ("skus", "batches", "feed", "offline_sales"):
        if getattr(args, name) < 1:
            raise ValidationError(
                f"must be at least 1, not {getattr(args, name)}", field=f"--{name.replace('_', '-')}"
            )

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    config = SyncBenchConfig(
        skus=args.skus,
        batches=args.batches,
        feed=args.feed,
        offline_sales=args.offline_sales,
        loopback=args.loopback,
    )
    print_json(bench_sync(config, hub_db=args.db, log=log))
    return 0
