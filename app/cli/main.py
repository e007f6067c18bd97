"""Entry point of the `oms` command: parse, dispatch, and turn refusals into exit code 2."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from app.cli import (
    app_command,
    associate_commands,
    bench_command,
    demo_command,
    hub_commands,
    network_commands,
    routing_commands,
    stock_commands,
)
from core.domain.errors import OmsError

DESCRIPTION = """\
Store OMS: order management for retail chains.

Start with `oms init --demo` and `oms inventory SKU`, or import your own network with
`oms import locations.csv products.csv inventory.csv`. Exit codes: 0 done, 1 a check failed,
2 bad input (nothing was changed)."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="oms", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    for module in (
        network_commands,
        stock_commands,
        routing_commands,
        demo_command,
        hub_commands,
        app_command,
        associate_commands,
        bench_command,
    ):
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except OmsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
