"""`oms bench pickup`: time the pickup lookup among many orders, printing JSON.

Registered under `oms bench` (see `app.cli.bench_command`); the measurement is
`app.bench_pickup`'s, loaded with the database layer only when this benchmark runs.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from app.cli.output import print_json
from core.domain.errors import ValidationError


def register(kinds: argparse._SubParsersAction) -> None:
    bench = kinds.add_parser(
        "pickup",
        help="pickup lookup latency among many orders (QR, order number, name, phone, e-mail)",
        description="Build ORDERS pickups (OPEN_SHARE of them waiting) in a temporary SQLite file or "
        "an empty database (--db), then time lookups by order number, partial and mistyped names, phone "
        "digits and e-mail, among waiting pickups and among all. Prints JSON; progress goes to stderr.",
    )
    bench.add_argument("--orders", type=int, default=100_000, help="pickups in all (default %(default)s)")
    bench.add_argument(
        "--open-share", type=float, default=0.05, help="share still waiting (default %(default)s)"
    )
    bench.add_argument("--queries", type=int, default=200, help="lookups of each kind (default %(default)s)")
    bench.add_argument("--db", help="an empty database URL (default: a temporary SQLite file)")
    bench.add_argument("--seed", type=int, default=7, help="generator seed (default %(default)s)")
    bench.set_defaults(run=run_pickup)


def run_pickup(args: argparse.Namespace) -> int:
    if args.orders < 1 or args.queries < 1:
        raise ValidationError("give at least 1 order and 1 query", field="--orders")
    if not 0 < args.open_share <= 1:
        raise ValidationError(f"a share between 0 and 1, not {args.open_share}", field="--open-share")

    from app.bench_pickup import bench_pickup

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory() as folder:
        url = args.db or str(Path(folder) / "pickup-bench.db")
        print_json(bench_pickup(url, args.orders, args.open_share, args.queries, args.seed, log))
    return 0
