"""Plain sentences for a store associate or a regional manager, from the decision alone.

Everything here reads a `RoutingDecision` (possibly loaded from stored JSON), never the planner,
so yesterday's decision explains itself the same way today.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import compress

from core.routing.candidate_columns import CandidateColumns
from core.routing.decision import RoutingDecision, Status

COMPONENT_NAMES = {
    "shipping": "shipping",
    "promise_miss": "the missed-promise penalty",
    "shipment_penalty": "the extra-shipment penalty",
    "priority": "location priority",
    "labour": "labour",
    "capacity": "capacity use",
    "overstock": "the overstock bonus",
}
TYPE_NAMES = {"store": "store", "dc": "DC", "3pl": "3PL warehouse", "dropship": "drop-ship supplier"}
# Exclusions every order would repeat (wrong type, not the pickup store) are not worth a sentence.
DULL = {"location_type", "pickup_store", "not_shipping"}
MAX_SKIPPED = 3
_DULL, _ELIGIBLE, _SAID = 0, 1, 2  # what the text makes of a location's entry (`render`'s `kinds`)
_KINDS = dict.fromkeys(DULL, _DULL)  # by `excluded_by` (None: _ELIGIBLE); any other: _SAID
_ELIGIBLE_ONLY, _SAID_ONLY = bytes([0, 1]).ljust(256, b"\0"), bytes([0, 0, 1]).ljust(256, b"\0")
Flags = bytes | bytearray  # a byte per considered location


def money(ticks: int) -> str:
    """Dollars to the cent ("$1,234.57"), half to even as `Decimal` formatting rounds, in integers."""
    cents, rest = divmod(abs(ticks), 100)
    if rest > 50 or (rest == 50 and cents % 2):
        cents += 1
    return f"${cents // 100:,}.{cents % 100:02d}"


def label(cols: CandidateColumns, i: int | None, code: str) -> str:
    """How the text names the considered location at index i: "Name (code)", or the code alone."""
    name = cols.name[i] if i is not None else ""
    return f"{name} ({code})" if name else code


def _named(cols: CandidateColumns, code: str) -> str:
    return label(cols, cols.find(code), code)


def _items(n: int) -> str:
    return "the item" if n == 1 else "both items" if n == 2 else f"all {n} items"


def _main_component(diffs: dict[str, int]) -> str:
    value, name = max(zip(diffs.values(), diffs, strict=True), default=(0, ""))  # the largest, ties by name
    return f" in {COMPONENT_NAMES.get(name, name)}" if value > 0 else ""


def _runner_up(d: RoutingDecision, cols: CandidateColumns) -> str:
    ru = d.runner_up
    if ru is None or not ru.locations:
        return ""
    who = " + ".join([_named(cols, code) for code in ru.locations])
    if ru.unplaced:
        alone = " alone" if len(ru.locations) == 1 else ""
        return f"; {who}{alone} could not have supplied every item"
    if ru.difference == 0:
        return f"; {who} would have cost the same, and the rule set's tie-breaks decided"
    return f"; {who} would have cost {money(ru.difference)} more{_main_component(ru.differences)}"


def _routed(d: RoutingDecision, cols: CandidateColumns, holders: Flags) -> str:
    if len(d.shipments) == 1:
        s = d.shipments[0]
        i = cols.find(s.location)
        kind = TYPE_NAMES.get(cols.type[i], "location") if i is not None else "location"
        count = holders.count(1)
        if count == 1:
            adjective = "only"
        elif not count or min(compress(cols.distance_km, holders)) >= s.distance_km:
            adjective = "closest"
        else:
            adjective = "lowest-cost"
        where = f", {s.distance_km:,.0f} km away" if s.service != "pickup" else ", the pickup store itself"
        return f"Routed to {label(cols, i, s.location)}: the {adjective} {kind} with {_items(d.line_count)}{where}"
    parts = [
        f"{_named(cols, s.location)} ships " + ", ".join(f"{sku} × {q}" for sku, q in s.lines)
        for s in d.shipments
    ]
    why = "splitting was cheapest" if 1 in holders else "no single eligible location had every item"
    return f"Split into {len(d.shipments)} shipments because {why}: " + "; ".join(parts)


def _per_location(table: bytes, at: Sequence[int]) -> bytearray:
    """`table[at[i]]` per location (0 past the table's end), a byte each.

    Translated in C when every index fits in a byte (all but orders with hundreds of distinct
    entries): the flags are then counted, found and combined a byte at a time, where a list of
    them costs a hundred instructions or more per location for each step. The list becomes a
    `bytearray`, which converts each int in half the instructions `bytes` takes.
    """
    try:
        return bytearray(at).translate(table.ljust(256, b"\0"))
    except ValueError:
        return bytearray(table[i] if i < len(table) else 0 for i in at)


def _holders(cols: CandidateColumns, kinds: Flags, every: int) -> Flags:
    """1 at each eligible location that could supply every line in full, else 0."""
    if kinds.count(_ELIGIBLE) < 2:  # pickup orders: the pickup store alone, or nothing
        i = kinds.find(_ELIGIBLE)
        return bytes(len(kinds)) if i < 0 or cols.items[i] != every else kinds.translate(_ELIGIBLE_ONLY)
    full = _per_location(bytes(every) + b"\1", cols.items)  # 1 where `items` is `every`
    return (int.from_bytes(kinds) & int.from_bytes(full)).to_bytes(len(kinds))  # _ELIGIBLE is 1


def _skip_reason(cols: CandidateColumns, i: int, d: RoutingDecision) -> str:
    """Short for a store associate: per-item stock details are kept for "why not X?"."""
    why, _, reason, unavailable = cols.entry_of(i)
    if why == "stock" and len(unavailable) > 1:
        items = cols.items[i]
        held = f"only {items}" if items else "none"
        return f"it has {held} of the {d.line_count} items in stock"
    return reason


def render(d: RoutingDecision) -> tuple[str, str]:
    """(summary, full text): the summary is the first sentence."""
    cols = d.candidate_columns
    # Each location's kind, asked once per distinct entry (entries are few, locations many).
    per_entry = [_ELIGIBLE if e[0] is None else _KINDS.get(e[0], _SAID) for e in cols.entries]
    kinds = _per_location(bytes(per_entry), cols.entry)
    if d.status == Status.UNFULFILLABLE:
        first = f"Could not route order {d.order_id}: " + "; ".join(u.reason for u in d.unplaced) + "."
    else:
        first = _routed(d, cols, _holders(cols, kinds, d.line_count)) + _runner_up(d, cols) + "."
    sentences = [first]
    if d.status == Status.PARTIALLY_ROUTED:
        sentences += [f"{u.qty} × {u.sku} could not be placed: {u.reason}." for u in d.unplaced]
    # Excluded (so not eligible) and not dull, closest first, equal distances in code order (the
    # columns' order).
    skipped = list(compress(range(len(kinds)), kinds.translate(_SAID_ONLY))) if _SAID in kinds else []
    for i in sorted(skipped, key=cols.distance_km.__getitem__)[:MAX_SKIPPED]:  # stable: ties by code
        sentences.append(f"{label(cols, i, cols.location[i])} was skipped: {_skip_reason(cols, i, d)}.")
    rest = len(kinds) - kinds.count(_ELIGIBLE) - min(len(skipped), MAX_SKIPPED)
    if rest > 0:
        sentences.append(f"{rest} other location{'s were' if rest > 1 else ' was'} filtered out.")
    if not d.exact:
        sentences.append("This order was too large to search exhaustively, so a heuristic chose the plan.")
    return first, " ".join(sentences)


def why_not(d: RoutingDecision, code: str) -> str:
    """Answer "why not location X?" for any location code."""
    c = d.candidate(code)
    if c is None:
        return (
            f"{code} was not considered for order {d.order_id}: it holds none of the ordered items "
            "or is not a known location."
        )
    name = _named(d.candidate_columns, code)
    chosen = next((s for s in d.shipments if s.location == code), None)
    if chosen is not None:
        return f"{name} was chosen: it ships " + ", ".join(f"{sku} × {q}" for sku, q in chosen.lines) + "."
    if not c.eligible:
        return f"{name} was not used: {c.reason}."
    if c.items < d.line_count:
        missing = "; ".join(c.unavailable.values()) or "not enough units"
        return (
            f"{name} was not used: it could supply only {c.items} of the {d.line_count} items "
            f"({missing}), so a plan with it needs another shipment and cost more."
        )
    if d.total is None or c.total is None:
        return f"{name} was eligible but the order could not be routed."
    diff = c.total - d.total
    if diff <= 0:
        return f"{name} would have cost the same; the rule set's tie-breaks preferred the chosen plan."
    diffs = {k: c.scores.get(k, 0) - d.scores.get(k, 0) for k in set(c.scores) | set(d.scores)}
    top = max(diffs.items(), key=lambda kv: (kv[1], kv[0]))
    detail = f", mostly {COMPONENT_NAMES.get(top[0], top[0])} (+{money(top[1])})" if top[1] > 0 else ""
    return f"{name} was not used: shipping everything from it would have cost {money(diff)} more{detail}."
