"""`oms rules simulate` as text: the two rule sets side by side, then the orders that would move."""

from __future__ import annotations

from app.cli.output import print_table
from core.routing.decision import Status
from core.routing.simulation import Comparison, RunFigures

STATUS_ORDER = [str(s) for s in Status]
MOVED_ROWS = 12  # locations listed whose units change most


def _money(value: float | None) -> str:
    return f"${value:,.2f}" if value is not None else "–"


def _rows(current: RunFigures, candidate: RunFigures) -> list[list[str]]:
    a, b = current.to_dict(), candidate.to_dict()
    statuses = [s for s in STATUS_ORDER if s in a["statuses"] or s in b["statuses"]]
    rows = [
        [s.replace("_", " "), str(a["statuses"].get(s, 0)), str(b["statuses"].get(s, 0))] for s in statuses
    ]
    rows += [
        ["units placed", f"{a['units_placed']:,}", f"{b['units_placed']:,}"],
        ["total cost", _money(a["total_cost_usd"]), _money(b["total_cost_usd"])],
        ["average cost per order", _money(a["avg_cost_usd"]), _money(b["avg_cost_usd"])],
        ["orders split", f"{a['split_rate']:.1%}", f"{b['split_rate']:.1%}"],
        ["average distance", f"{a['avg_shipment_km']:,} km", f"{b['avg_shipment_km']:,} km"],
    ]
    return rows


def print_comparison(result: Comparison, show: int, source: str) -> None:
    """`source`: where the candidate came from (its file), since an edited export keeps its id and version."""
    print(f"{result.orders} orders routed under each rule set on the network as it stands; nothing reserved.")
    print()
    print_table(
        ["", f"active ({result.current.rule_set})", f"candidate ({source}: {result.candidate.rule_set})"],
        _rows(result.current, result.candidate),
    )
    moved = result.moved_units()
    if moved:
        print()
        print_table(
            ["Location", "Units now", "Units under the candidate"],
            [[code, str(a), str(b)] for code, a, b in moved[:MOVED_ROWS]],
        )
        if len(moved) > MOVED_ROWS:
            print(f"… and {len(moved) - MOVED_ROWS} more locations (--json for all).")
    print()
    if not result.changes:
        print("No order would be routed differently.")
        return
    if show == 0:
        print(
            f"{len(result.changes)} of {result.orders} orders would be routed differently (--show N lists them)."
        )
        return
    print(f"{len(result.changes)} of {result.orders} orders would be routed differently:")
    for change in result.changes[:show]:
        diff = change.to_dict()["cost_difference_usd"]
        cost = f", {'+' if diff > 0 else '−'}{_money(abs(diff))}" if diff else ""
        print(f"- {change.order_id}: {change.before} → {change.after}{cost}. {change.explanation}")
    if len(result.changes) > show:
        print(f"… and {len(result.changes) - show} more (--show N, or --json for all).")
