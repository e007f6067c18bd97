"""`oms bench routing`: time the planner on a generated network and compare it, printing JSON.

Benchmarks are commands, not timed tests (DESIGN.md): the figures depend on the machine, so they
are printed for a person or CI to read, never asserted.
"""

from __future__ import annotations

import argparse
import sys

from app.cli import bench_app_command, bench_pickup_command, bench_sync_command
from app.cli.output import print_json
from core.domain.errors import ValidationError


def register(commands: argparse._SubParsersAction) -> None:
    bench = commands.add_parser(
        "bench",
        help="benchmarks that print JSON",
        description="Benchmarks. Figures depend on the machine; see docs/BENCHMARKS.md.",
    )
    kinds = bench.add_subparsers(title="benchmarks", metavar="BENCHMARK", required=True)
    routing = kinds.add_parser(
        "routing",
        help="route a day of demo orders: planner vs naive baseline vs exact optimum",
        description="Build the demo retailer (stores in metros, DCs, a 3PL, drop shippers, long-tailed "
        "stock) in memory, route a day of its orders with the default rule set and the sample rate "
        "sheet, explanations included, consuming stock and capacity as it goes; then route the same "
        "orders from the same start with a naive closest-first router, and compute the exact optimum "
        "on a sample. Prints JSON; progress goes to stderr.",
    )
    routing.add_argument("--locations", type=int, default=200, help="locations in all (default %(default)s)")
    routing.add_argument("--skus", type=int, default=50_000, help="products (default %(default)s)")
    routing.add_argument("--orders", type=int, default=10_000, help="orders in the day (default %(default)s)")
    routing.add_argument("--seed", type=int, default=7, help="network and order seed (default %(default)s)")
    routing.add_argument(
        "--sample", type=int, default=200, help="orders also solved exactly, 0 for none (default %(default)s)"
    )
    routing.add_argument(
        "--passes",
        type=int,
        default=1,
        help="route the day this many times and keep each order's best time: filters out other "
        "load on a shared machine (default %(default)s)",
    )
    routing.set_defaults(run=run_routing)
    bench_pickup_command.register(kinds)
    bench_app_command.register(kinds)
    bench_sync_command.register(kinds)


def run_routing(args: argparse.Namespace) -> int:
    for name in ("locations", "skus", "orders"):
        if getattr(args, name) < 1:
            raise ValidationError(f"must be at least 1, not {getattr(args, name)}", field=f"--{name}")
    if args.passes < 1:
        raise ValidationError(f"must be at least 1, not {args.passes}", field="--passes")
    if args.sample < 0:
        raise ValidationError(f"must be 0 or more, not {args.sample}", field="--sample")
    if args.locations < 6:
        raise ValidationError(
            "the demo network has 5 fixed DCs, 3PLs and drop shippers: give 6 or more", field="--locations"
        )

    from core.routing.benchmark import bench_routing  # numba loads for routing's benchmark only

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    print_json(
        bench_routing(
            args.locations,
            args.skus,
            args.orders,
            seed=args.seed,
            sample=args.sample,
            passes=args.passes,
            log=log,
        )
    )
    return 0
