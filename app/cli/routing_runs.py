"""What `oms route` and `oms rules` do, imported when one of them runs (with the routing engine
and the database layer); their options are in `app.cli.routing_commands`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from app.cli.context import open_database
from app.cli.output import print_json, print_table
from app.cli.simulation_output import print_comparison
from app.settings import rate_sheet_path
from core.domain.errors import ValidationError
from core.domain.inventory import utc_now
from core.domain.orders import parse_order
from core.routing.explain import why_not
from core.routing.lint import lint_rule_set
from core.routing.rates import RateBroker, load_rate_sheet, load_sample_rate_sheet
from core.routing.rules import RuleSet, validate_rule_set
from core.services.allocation import Router
from core.services.routing_snapshot import location_snapshots
from core.services.rule_sets import activate, active_rule_set, history, load_rule_set, save_draft
from core.services.rule_simulation import recent_orders, simulate_rules


def _read_text(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ValidationError(f"cannot read {path}: {exc.strerror}", field=what) from None
    except UnicodeDecodeError as exc:
        raise ValidationError(f"{path.name} is not UTF-8 text: {exc}", field=what) from None


def _read_json(path: Path, what: str) -> object:
    try:
        return json.loads(_read_text(path, what))
    except json.JSONDecodeError as exc:
        raise ValidationError(f"{path.name} is not JSON: {exc}", field=what) from None


def _router(args: argparse.Namespace) -> Router:
    sheet_path = args.rates or rate_sheet_path()
    sheet = load_rate_sheet(Path(sheet_path)) if sheet_path else load_sample_rate_sheet()
    return Router(RateBroker(sheet))


def _json_lines(path: Path, what: str) -> list[object]:
    items = []
    for number, line in enumerate(_read_text(path, what).splitlines(), start=1):
        if line.strip():
            try:
                items.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValidationError(f"line {number} is not JSON: {exc.msg}", field=path.name) from None
    return items


def _orders(path: Path, what: str = "--order") -> list:
    data = _json_lines(path, what) if path.suffix == ".jsonl" else _read_json(path, what)
    items = data if isinstance(data, list) else [data]
    orders = []
    for i, item in enumerate(items):
        try:
            orders.append(parse_order(item if isinstance(item, dict) else {}))
        except ValidationError as exc:
            where = f"[{i}]." if isinstance(data, list) else ""
            raise ValidationError(
                exc.message, field=f"{path.name} {where}{exc.field or ''}".rstrip(".")
            ) from None
    return orders


def run_route(args: argparse.Namespace) -> int:
    orders = _orders(args.order)
    override: RuleSet | None = validate_rule_set(_read_json(args.rules, "--rules")) if args.rules else None
    router = _router(args)
    db = open_database(args)
    results = []
    with db.transaction() as session:
        for order in orders:
            results.append(router.route(session, order, rules=override, dry_run=args.dry_run))
    for result in results:
        decision = result.decision
        if args.json:
            print_json(decision.to_dict())
            continue
        print(f"Order {decision.order_id}: {decision.status}" + (" (dry run)" if args.dry_run else ""))
        print(decision.text)
        if result.replayed:
            print("(already routed earlier: this is the stored decision)")
        if args.why_not:
            print(why_not(decision, args.why_not))
    return 0


def _selected(args: argparse.Namespace, session) -> RuleSet:
    if args.rule_set_id or args.version:
        current = active_rule_set(session)
        return load_rule_set(session, args.rule_set_id or current.id, args.version)
    return active_rule_set(session)


def run_rules_show(args: argparse.Namespace) -> int:
    with open_database(args).transaction() as session:
        rules = _selected(args, session)
    print_json(rules.model_dump(mode="json"))
    return 0


def run_rules_export(args: argparse.Namespace) -> int:
    with open_database(args).transaction() as session:
        rules = _selected(args, session)
    args.output.write_text(rules.model_dump_json(indent=2) + "\n", encoding="utf-8")
    print(f"Wrote {rules.id} version {rules.version} to {args.output}")
    return 0


def run_rules_import(args: argparse.Namespace) -> int:
    rules = validate_rule_set(_read_json(args.file, "FILE"))
    with open_database(args).transaction() as session:
        info = save_draft(session, rules, author=args.author, comment=args.comment)
        warnings = lint_rule_set(rules, location_snapshots(session, utc_now()))
        if args.activate:
            info = activate(session, info.rule_set_id, info.version, actor=args.author)
    print(f"Stored {info.rule_set_id} version {info.version} as {info.status}.")
    for warning in warnings:
        print(f"warning: {warning}")
    return 0


def run_rules_activate(args: argparse.Namespace) -> int:
    with open_database(args).transaction() as session:
        info = activate(session, args.rule_set_id, args.version, actor=args.author)
    print(f"{info.rule_set_id} version {info.version} is now active; the next order routes under it.")
    return 0


def run_rules_history(args: argparse.Namespace) -> int:
    with open_database(args).transaction() as session:
        rows = history(session)
    if not rows:
        print("No rule sets stored yet: routing uses the built-in default (see `oms rules show`).")
        return 0
    print_table(
        ["Rule set", "Version", "Status", "Author", "Created", "Activated", "Comment"],
        [
            [
                r.rule_set_id,
                r.version,
                r.status,
                r.author,
                f"{r.created_at:%Y-%m-%d %H:%M}",
                f"{r.activated_at:%Y-%m-%d %H:%M}" if r.activated_at else "",
                r.comment,
            ]
            for r in rows
        ],
    )
    return 0


def run_rules_simulate(args: argparse.Namespace) -> int:
    candidate = validate_rule_set(_read_json(args.file, "FILE"))
    for option, value, least in (
        ("--days", args.days, 1),
        ("--limit", args.limit, 1),
        ("--show", args.show, 0),
    ):
        if value < least:
            raise ValidationError(f"must be {least} or more", field=option)
    orders = _orders(args.orders, "--orders") if args.orders else None
    quoter = _router(args).quoter
    now = utc_now()
    with open_database(args).transaction() as session:
        if orders is None:
            orders = recent_orders(session, now, args.days, args.limit)
        if not orders:
            print(
                f"No orders placed in the last {args.days} days to simulate on (--days N, or --orders FILE)."
            )
            return 0
        result = simulate_rules(session, candidate, quoter, orders, now, check=args.orders is not None)
    if args.json:
        print_json(result.to_dict())
        return 0
    print_comparison(result, args.show, args.file.name)
    return 0
