"""`oms bench app`: the store app's start, queue, scrolling and scan feedback on a big store (JSON).

Registered under `oms bench` (see `app.cli.bench_command`). Qt and the services load only when the
benchmark runs, so `oms --help` stays quick.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli.output import print_json
from core.domain.errors import ValidationError


def register(kinds: argparse._SubParsersAction) -> None:
    app = kinds.add_parser(
        "app",
        help="store app: cold start, opening a 100,000-order pick queue, scrolling, scan feedback",
        description="Write a store database with many open orders (or reuse --db), then time a cold "
        "start to the sign-in screen (a new process per run), opening the pick queue in the real "
        "window, each page fetched while scrolling, and scan-to-feedback latency on a batch walk. "
        "Qt runs offscreen. Prints JSON; progress goes to stderr. See docs/BENCHMARKS.md.",
    )
    app.add_argument(
        "--orders", type=int, default=100_000, help="open orders in the store (default %(default)s)"
    )
    app.add_argument("--db", type=Path, help="store database to write or reuse (default: a temporary file)")
    app.add_argument("--scans", type=int, default=200, help="scans to time (default %(default)s)")
    app.add_argument(
        "--pages", type=int, default=10, help="pages to fetch by scrolling (default %(default)s)"
    )
    app.add_argument("--cold-runs", type=int, default=5, help="cold starts to time (default %(default)s)")
    app.set_defaults(run=run_app_bench)


def run_app_bench(args: argparse.Namespace) -> int:
    for name in ("orders", "scans", "pages", "cold_runs"):
        if getattr(args, name) < 1:
            raise ValidationError(
                f"must be at least 1, not {getattr(args, name)}", field=f"--{name.replace('_', '-')}"
            )
    from app.bench_app import bench_app

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    print_json(
        bench_app(
            args.orders, db=args.db, scans=args.scans, pages=args.pages, cold_runs=args.cold_runs, log=log
        )
    )
    return 0
