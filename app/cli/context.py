"""What every subcommand shares: the parsed arguments' database, opened and migrated once."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING

from app.settings import default_database_url

if TYPE_CHECKING:  # the database layer loads when a command opens one (`app.cli.main`)
    from core.storage.database import Database


def add_database_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="URL",
        default=default_database_url(),
        help="database URL or SQLite file path (default: %(default)s; env OMS_DATABASE_URL)",
    )


def open_database(args: argparse.Namespace) -> Database:
    from core.storage.database import Database

    return Database.open(args.db)


def later(module: str, name: str) -> Callable[[argparse.Namespace], int]:
    """The command function `name` of `module`, imported when the command runs.

    `oms` builds every command's options at start; importing what each command does with them
    would load the routing engine, the database layer and the hub for `oms --help`.
    """

    def run(args: argparse.Namespace) -> int:
        command: Callable[[argparse.Namespace], int] = getattr(import_module(module), name)
        return command(args)

    return run
