"""`oms hub`: run the hub's HTTP API, and hand out enrolment codes and integration tokens."""

from __future__ import annotations

import argparse
from datetime import timedelta
from pathlib import Path

from app.cli.context import add_database_option, open_database
from app.settings import rate_sheet_path
from core.domain.hub_roles import Role

MAX_PUSH_SLOTS = 16  # each slot is a thread and a database connection at once


def register(commands: argparse._SubParsersAction) -> None:
    hub = commands.add_parser(
        "hub",
        help="run the hub (HTTP API for channels and store devices); enrol stores; issue tokens",
        description="Without an action, serve the hub API (OpenAPI at /openapi.json) until stopped. "
        "Actions: `enroll STORE` prints a one-time code a store device trades for its token; "
        "`token --integration NAME` prints a bearer token for a channel or feed; `prune` drops "
        "old feed entries (devices behind the cut get a snapshot).",
    )
    add_database_option(hub)
    hub.add_argument("--host", default="127.0.0.1", help="interface to listen on (default: %(default)s)")
    hub.add_argument("--port", type=int, default=8700, help="TCP port (default: %(default)s)")
    hub.add_argument("--rates", metavar="FILE", help="carrier rate sheet (JSON or CSV; env OMS_RATE_SHEET)")
    hub.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    hub.add_argument(
        "--push-slots",
        type=_slots,
        metavar="N",
        help="pushes this process applies at once (default 1: the best pull latency under a push "
        "fleet; 2 trades some of it for throughput, see docs/HUB.md)",
    )
    hub.set_defaults(run=run_serve)
    actions = hub.add_subparsers(title="actions", metavar="ACTION")

    enroll = actions.add_parser("enroll", help="print a one-time enrolment code for a store device")
    _db_option(enroll)
    enroll.add_argument("store", metavar="STORE", help="location code of the store")
    enroll.add_argument(
        "--hours", type=int, default=24, help="hours the code stays valid (default: %(default)s)"
    )
    enroll.set_defaults(run=run_enroll)

    token = actions.add_parser("token", help="print a new bearer token for an integration or a manager")
    _db_option(token)
    token.add_argument("--integration", required=True, metavar="NAME", help="who uses it (web shop, 3PL ...)")
    token.add_argument(
        "--role", choices=[Role.INTEGRATION.value, Role.MANAGER.value], default=Role.INTEGRATION.value
    )
    token.set_defaults(run=run_token)

    prune = actions.add_parser("prune", help="drop change-feed entries older than some days")
    _db_option(prune)
    prune.add_argument("--days", type=int, default=30, help="keep this many days (default: %(default)s)")
    prune.set_defaults(run=run_prune)


def _slots(text: str) -> int:
    try:
        slots = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= slots <= MAX_PUSH_SLOTS:
        raise argparse.ArgumentTypeError(f"give 1 to {MAX_PUSH_SLOTS}, not {slots}")
    return slots


def _db_option(parser: argparse.ArgumentParser) -> None:
    """`--db` after the action too; SUPPRESS keeps `oms hub --db X enroll S01` working."""
    parser.add_argument("--db", metavar="URL", default=argparse.SUPPRESS, help="as for `oms hub --db`")


def run_serve(args: argparse.Namespace) -> int:
    import uvicorn  # only the server needs it; the other actions stay quick to start

    from core.routing.rates import RateBroker, load_rate_sheet, load_sample_rate_sheet
    from core.services.allocation import Router
    from sync.hub import create_app

    sheet_path = args.rates or rate_sheet_path()
    sheet = load_rate_sheet(Path(sheet_path)) if sheet_path else load_sample_rate_sheet()
    slots = {"push_slots": args.push_slots} if args.push_slots else {}
    app = create_app(open_database(args), Router(RateBroker(sheet)), **slots)
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)
    return 0


def run_enroll(args: argparse.Namespace) -> int:
    from core.services.hub.access import create_enrolment_code

    database = open_database(args)
    with database.transaction() as session:
        code = create_enrolment_code(session, args.store, ttl=timedelta(hours=args.hours))
    print(code)
    return 0


def run_token(args: argparse.Namespace) -> int:
    from core.services.hub.access import issue_token

    database = open_database(args)
    with database.transaction() as session:
        secret = issue_token(session, Role(args.role), args.integration)
    print(secret)
    return 0


def run_prune(args: argparse.Namespace) -> int:
    from core.domain.inventory import utc_now
    from core.services.hub.feed import prune_feed

    database = open_database(args)
    with database.transaction() as session:
        dropped = prune_feed(session, utc_now() - timedelta(days=args.days))
    print(f"dropped {dropped} feed entries")
    return 0
