"""The explanation's candidates as columns: each distinct exclusion and price held once, per location
its index; stored so, and read back from that form, the earlier one-list-per-key form, or rows."""

from __future__ import annotations

import json
from decimal import Decimal

from core.routing.candidate_columns import CANDIDATE_KEYS, CandidateColumns, pick_columns
from core.routing.decision import STORED_CANDIDATES, RoutingDecision, expand_stored
from core.routing.explain import render, why_not
from tests.core.routing.planner_kit import DistanceQuoter, item, loc, network, order, route


def _pickup_day():
    """A pickup at S05 among nine stores holding the item: eight are "not the pickup store"."""
    locs = [loc(f"S0{n}", 10 * n, name=f"Store {n}", pickup=True) for n in range(1, 10)]
    net = network(locs, {(f"S0{n}", "A"): 5 for n in range(1, 10)}, [item("A")])
    return route({}, net, order(("A", 1), method="pickup", pickup="S05"))


def test_locations_alike_share_one_entry_and_one_price() -> None:
    d = _pickup_day()
    cols = d.candidate_columns
    assert len(cols) == 9 and len(cols.entries) == 2 and len(cols.prices) == 2
    assert cols.entry_of(0)[0] == "pickup_store" and cols.entry[0] == cols.entry[8] != cols.entry[4]
    rows = d.to_dict()["explanation"]["candidates"]
    assert [r["excluded_by"] for r in rows] == ["pickup_store"] * 4 + [None] + ["pickup_store"] * 4
    assert rows[4]["eligible"] and rows[4]["total"] is not None and rows[0]["total"] is None
    assert d.text.endswith("8 other locations were filtered out.")


def test_stored_form_lists_each_distinct_entry_once_and_expands_to_the_same_json() -> None:
    d = _pickup_day()
    stored = json.loads(json.dumps(d.to_stored()))
    columns = stored["explanation"][STORED_CANDIDATES]
    assert columns["entry"] == [1, 1, 1, 1, 0, 1, 1, 1, 1]
    assert [excluded_by for excluded_by, *_ in columns["entries"]] == [None, "pickup_store"]
    assert columns["price"] == [0, 0, 0, 0, 1, 0, 0, 0, 0] and columns["prices"][0] == [{}, None]
    assert json.dumps(expand_stored(stored)) == d.to_json()
    assert RoutingDecision.from_dict(stored).to_stored() == stored
    assert len(json.dumps(stored)) < len(d.to_json())


def test_a_document_stored_with_one_list_per_key_reads_back_as_it_was() -> None:
    d = _pickup_day()
    document = d.to_dict()
    rows = document["explanation"].pop("candidates")
    document["explanation"][STORED_CANDIDATES] = {key: [r[key] for r in rows] for key in CANDIDATE_KEYS}
    again = RoutingDecision.from_dict(document)
    assert again.to_dict() == d.to_dict() and why_not(again, "S02") == why_not(d, "S02")
    assert expand_stored(document)["explanation"]["candidates"] == rows


def test_columns_from_rows_give_the_rows_back() -> None:
    rows = _pickup_day().candidate_rows
    cols = CandidateColumns.from_rows(rows)
    assert cols.rows() == rows and cols.row(4) == rows[4] and cols.find("S09") == 8
    assert CandidateColumns.from_rows([]).rows() == []


def test_pick_columns_splits_the_picked_rows_and_keeps_the_width_when_nothing_is_picked() -> None:
    table = [("a", 1), ("b", 2), ("c", 3)]
    assert pick_columns(table, [2, 0, 2], 2) == [["c", "a", "c"], [3, 1, 3]]
    assert pick_columns(table, [], 2) == [[], []]
    assert pick_columns(table, [1], 2) == [["b"], [2]]  # one location: a column of one


def test_an_exclusion_after_screening_gives_the_location_its_own_entry_and_leaves_the_shared_one() -> None:
    net = network([loc("S01", 100), loc("S02", 50)], {("S01", "A"): 5, ("S02", "A"): 1}, [item("A")])
    # S01 alone would send all 3 kg, which no carrier takes; S02 sends its 1 kg.
    d = route(
        {"split": {"split_line_units": True}}, net, order(("A", 3)), DistanceQuoter(max_kg=Decimal("2"))
    )
    cols = d.candidate_columns
    assert [cols.entry_of(i)[0] for i in range(2)] == ["no_carrier", None]
    assert cols.entry[0] != cols.entry[1] and all(e[0] is None for e in cols.entries[:-1])
    assert d.candidate("S02").eligible and d.shipments[0].location == "S02"


def test_a_location_is_found_in_columns_in_code_order_or_in_any_order() -> None:
    rows = _pickup_day().candidate_rows
    in_order = CandidateColumns.from_rows(rows)
    assert [in_order.find(f"S0{n}") for n in range(1, 10)] == list(range(9))
    assert in_order.find("S00") is None and in_order.find("S10") is None and in_order.find("S045") is None
    shuffled = CandidateColumns.from_rows(rows[4:] + rows[:4])  # not by code: found all the same
    assert [shuffled.find(f"S0{n}") for n in (5, 9, 1, 4)] == [0, 4, 5, 8]
    assert shuffled.find("S10") is None


def test_text_reads_the_same_from_rows_with_hundreds_of_locations_each_its_own_entry() -> None:
    """Columns read back from rows give every location an entry of its own: past 256 of them, the
    text is still the one the planner wrote."""
    locs = [loc(f"S{n:03d}", n, name=f"Store {n}") for n in range(1, 301)]
    stock = {(f"S{n:03d}", sku): 0 if n % 3 else 5 for n in range(1, 301) for sku in ("A", "B")}
    d = route({}, network(locs, stock, [item("A"), item("B")]), order(("A", 1), ("B", 1)))
    assert len(d.candidate_columns) == 300 and "skipped" in d.text and "other locations" in d.text
    again = RoutingDecision.from_dict(d.to_dict())
    assert again.candidate_columns.entry[-1] == 299 and render(again) == (d.summary, d.text)
