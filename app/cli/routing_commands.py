"""`oms route` and `oms rules`: routing an order by hand, and managing the rules routing follows.

The options only; what the commands do is `app.cli.routing_runs`, imported when one runs.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.context import add_database_option, later


def register(commands: argparse._SubParsersAction) -> None:
    route = commands.add_parser(
        "route",
        help="route an order (Order JSON) and explain the decision",
        description="Route one order, or a JSON list of orders, against the database's network: the "
        "order is stored, stock and capacity are reserved and the decision is recorded, all in one "
        "transaction. --dry-run only shows the decision. The same order id sent again returns the "
        "stored decision.",
    )
    add_database_option(route)
    route.add_argument("--order", required=True, type=Path, metavar="FILE", help="Order JSON file")
    route.add_argument(
        "--rules", type=Path, metavar="FILE", help="route under these rules instead of the active ones"
    )
    route.add_argument("--rates", metavar="FILE", help="carrier rate sheet (JSON or CSV; env OMS_RATE_SHEET)")
    route.add_argument("--json", action="store_true", help="print the routing decision JSON")
    route.add_argument("--dry-run", action="store_true", help="decide but store and reserve nothing")
    route.add_argument("--why-not", metavar="LOCATION", help="also explain why LOCATION was not used")
    route.set_defaults(run=later("app.cli.routing_runs", "run_route"))

    rules = commands.add_parser(
        "rules",
        help="show, export, import, activate and list routing rule sets",
        description="Routing rules are versioned documents: import creates a new draft version, "
        "activate makes a version the one every next order follows (the previous one retires).",
    )
    actions = rules.add_subparsers(title="actions", metavar="ACTION", required=True)
    show = actions.add_parser("show", help="print the active rule set (or one version) as JSON")
    export = actions.add_parser("export", help="write a rule set version to a JSON file")
    for sub in (show, export):
        add_database_option(sub)
        sub.add_argument("--id", dest="rule_set_id", help="rule set id (default: the active one's)")
        sub.add_argument("--version", type=int, help="version (default: the active one)")
    export.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    show.set_defaults(run=later("app.cli.routing_runs", "run_rules_show"))
    export.set_defaults(run=later("app.cli.routing_runs", "run_rules_export"))

    imp = actions.add_parser("import", help="validate a JSON rule set and store it as a new draft version")
    add_database_option(imp)
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument("--author", required=True, help="who is making the change")
    imp.add_argument("--comment", default="", help="why")
    imp.add_argument("--activate", action="store_true", help="activate it straight away")
    imp.set_defaults(run=later("app.cli.routing_runs", "run_rules_import"))

    act = actions.add_parser("activate", help="make a stored version the active rules")
    add_database_option(act)
    act.add_argument("rule_set_id", metavar="ID")
    act.add_argument("version", type=int, metavar="VERSION")
    act.add_argument("--author", required=True, help="who is activating it")
    act.set_defaults(run=later("app.cli.routing_runs", "run_rules_activate"))

    hist = actions.add_parser("history", help="every version with its status, author, time and comment")
    add_database_option(hist)
    hist.set_defaults(run=later("app.cli.routing_runs", "run_rules_history"))

    sim = actions.add_parser(
        "simulate",
        help="route past orders under a rule set file and compare with the active rules (nothing is reserved)",
        description="Both the active rules and the rules in FILE route the same orders, oldest first, "
        "on the network as it stands now (stock and today's capacity, taken as each order is "
        "routed); prints what changes: statuses, cost, splits, distance, units per location and the "
        "orders that would go elsewhere, with the candidate's explanation. Nothing is reserved.",
    )
    add_database_option(sim)
    sim.add_argument(
        "file", type=Path, metavar="FILE", help="the candidate rule set (JSON, as `rules export` writes)"
    )
    sim.add_argument(
        "--orders",
        type=Path,
        metavar="FILE",
        help="Order JSON (one, a list, or JSON lines in a .jsonl file) instead of the database's orders",
    )
    sim.add_argument(
        "--days", type=int, default=7, help="the database's orders placed in the last N days (7)"
    )
    sim.add_argument("--limit", type=int, default=1000, help="at most the newest N of them (1000)")
    sim.add_argument("--show", type=int, default=10, help="how many changed orders to list (10)")
    sim.add_argument("--rates", metavar="FILE", help="carrier rate sheet (JSON or CSV; env OMS_RATE_SHEET)")
    sim.add_argument("--json", action="store_true", help="print the whole comparison as JSON")
    sim.set_defaults(run=later("app.cli.routing_runs", "run_rules_simulate"))
