"""`oms app`: the store's tablet app; `oms screenshots`: pictures of its screens for the docs."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.context import add_database_option

THEMES = ("light", "dark")  # ui.theme.THEMES; not imported so `oms` starts without loading Qt


def register(commands: argparse._SubParsersAction) -> None:
    app = commands.add_parser(
        "app",
        help="start the store app (the tablet window)",
        description="Open the store app on this database. The first run asks for the hub address "
        "and the store's enrolment code (`oms hub enroll STORE` prints one); then associates sign "
        "in with their PIN. With --demo no hub is needed: sign in as a demo associate from "
        "`oms init --demo`.",
    )
    add_database_option(app)
    app.add_argument("--theme", choices=THEMES, default="light", help="colour theme (default %(default)s)")
    app.add_argument("--demo", action="store_true", help="run without a hub (no enrolment, no sync)")
    app.set_defaults(run=run_app)

    shots = commands.add_parser(
        "screenshots",
        help="render each store-app screen to PNG files (offscreen)",
        description="Render the setup, sign-in, main window (light and dark) and scanner self-test "
        "screens into PNG files, on a temporary demo database, without a display.",
    )
    shots.add_argument(
        "--out", type=Path, default=Path("docs/screenshots"), help="folder (default %(default)s)"
    )
    shots.set_defaults(run=run_screenshots)


def run_app(args: argparse.Namespace) -> int:
    from app.store_app import run  # Qt loads only for the commands that show something

    return run(args.db, theme=args.theme, demo=args.demo)


def run_screenshots(args: argparse.Namespace) -> int:
    from app.screenshots import render_screenshots

    for path in render_screenshots(args.out):
        print(path)
    return 0
