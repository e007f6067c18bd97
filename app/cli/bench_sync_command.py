"""`oms bench sync`: events pushed and changes pulled through the real hub app, snapshot size, and a
store catching up after offline sales, printing JSON (the measuring is in `sync.benchmark`)."""

from __future__ import annotations

import argparse
import sys

from app.cli.output import print_json
from core.domain.errors import ValidationError
from sync.hub.push_gate import PUSH_SLOTS


def register(kinds: argparse._SubParsersAction) -> None:
    bench = kinds.add_parser(
        "sync",
        help="sync: push and pull through the hub app, a fleet of stores at once, catch-up, raw insert rate",
        description="Load the demo retailer into a hub database (a temporary SQLite file, or the empty "
        "database given with --db), serve the real hub app in process (or with --loopback under uvicorn "
        "on 127.0.0.1), then measure: batches of 500 movement events pushed by a store (first sight and "
        "as retries), the store's feed pulled by raw HTTP and by the store client, the snapshot a new "
        "tablet receives; then, against hub server processes on the same database: a fleet of stores "
        "pushing and pulling at once, one sync of a store that recorded movements offline, and the raw "
        "rate of batched INSERT ... ON CONFLICT DO NOTHING of the fleet's rows. Prints JSON; progress "
        "goes to stderr.",
    )
    bench.add_argument("--skus", type=int, default=2000, help="products in the network (default %(default)s)")
    bench.add_argument(
        "--batches", type=int, default=20, help="push batches of 500 events (default %(default)s)"
    )
    bench.add_argument("--feed", type=int, default=5000, help="changes to pull (default %(default)s)")
    bench.add_argument(
        "--fleet", type=int, default=200, help="stores pushing and pulling at once (default %(default)s)"
    )
    bench.add_argument(
        "--fleet-batch", type=int, default=200, help="movements per fleet push, 1-500 (default %(default)s)"
    )
    bench.add_argument(
        "--fleet-pushes", type=int, default=5, help="pushes per fleet store (default %(default)s)"
    )
    bench.add_argument(
        "--hub-processes",
        type=int,
        default=2,
        help="hub server processes for the fleet (default %(default)s)",
    )
    bench.add_argument(
        "--pull-processes",
        type=int,
        default=0,
        help="hub server processes serving only the fleet's pulls; 0: the --hub-processes serve them "
        "(default %(default)s)",
    )
    bench.add_argument(
        "--polls",
        type=int,
        default=5,
        help="pulls per fleet store on their own, before the fleet pushes (default %(default)s)",
    )
    bench.add_argument(
        "--poll-interval",
        type=float,
        default=5.0,
        help="seconds between one store's polls: the fleet offers --fleet / this pulls a second "
        "(default %(default)s)",
    )
    bench.add_argument(
        "--push-slots",
        type=int,
        default=PUSH_SLOTS,
        help="pushes each hub process applies at once (default %(default)s)",
    )
    bench.add_argument(
        "--offline",
        type=int,
        default=20000,
        help="movements a store records offline before catching up (default %(default)s)",
    )
    bench.add_argument("--loopback", action="store_true", help="serve the hub with uvicorn on 127.0.0.1")
    bench.add_argument("--db", help="an empty database URL for the hub (default: a temporary SQLite file)")
    bench.set_defaults(run=run_sync)


def run_sync(args: argparse.Namespace) -> int:
    # The hub, its database and the HTTP clients load for this benchmark only.
    from sync.bench_fleet import FleetConfig
    from sync.benchmark import SyncBenchConfig, bench_sync
    from sync.protocol import MAX_EVENTS_PER_PUSH

    for name in (
        "skus",
        "batches",
        "feed",
        "fleet",
        "fleet_batch",
        "fleet_pushes",
        "hub_processes",
        "polls",
        "offline",
    ):
        if getattr(args, name) < 1:
            raise ValidationError(
                f"must be at least 1, not {getattr(args, name)}", field=f"--{name.replace('_', '-')}"
            )
    if args.poll_interval <= 0:
        raise ValidationError(f"must be above 0, not {args.poll_interval}", field="--poll-interval")
    if args.pull_processes < 0:
        raise ValidationError(f"must be 0 or more, not {args.pull_processes}", field="--pull-processes")
    if args.fleet_batch > MAX_EVENTS_PER_PUSH:
        raise ValidationError(
            f"a push holds at most {MAX_EVENTS_PER_PUSH} events, not {args.fleet_batch}",
            field="--fleet-batch",
        )

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    fleet = FleetConfig(
        stores=args.fleet,
        batch=args.fleet_batch,
        pushes=args.fleet_pushes,
        hub_processes=args.hub_processes,
        pull_processes=args.pull_processes,
        push_slots=args.push_slots,
        polls=args.polls,
        poll_interval=args.poll_interval,
        offline=args.offline,
    )
    config = SyncBenchConfig(
        skus=args.skus, batches=args.batches, feed=args.feed, loopback=args.loopback, fleet=fleet
    )
    print_json(bench_sync(config, hub_db=args.db, log=log))
    return 0
