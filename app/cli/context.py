"""What every subcommand shares: the parsed arguments' database, opened and migrated once."""

from __future__ import annotations

import argparse

from app.settings import default_database_url
from core.storage.database import Database


def add_database_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="URL",
        default=default_database_url(),
        help="database URL or SQLite file path (default: %(default)s; env OMS_DATABASE_URL)",
    )


def open_database(args: argparse.Namespace) -> Database:
    return Database.open(args.db)
