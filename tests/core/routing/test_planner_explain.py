"""Decision JSON (DESIGN.md "Routing decision JSON"), the sentences, and "why not location X?"."""

from __future__ import annotations

import json

from core.routing.decision import STORED_CANDIDATES, RoutingDecision, expand_stored
from core.routing.explain import why_not
from tests.core.routing.planner_kit import item, loc, network, order, route

RULES = {"costs": {"labour_per_unit": {"store": "0.50"}}}


def _scenario():
    locs = [
        loc("S07", 14, name="Eastgate"),
        loc("S03", 5, name="Northside", daily_capacity=40, used_capacity_today=40),
        loc("DC1", 400, "dc", name="DC East"),
        loc("S09", 30, name="Riverside"),
    ]
    stock = {
        ("S07", "A"): 4,
        ("S07", "B"): 4,
        ("S07", "C"): 4,
        ("S03", "A"): 9,
        ("S03", "B"): 9,
        ("S03", "C"): 9,
        ("DC1", "A"): 90,
        ("DC1", "B"): 90,
        ("DC1", "C"): 90,
        ("S09", "A"): 3,
    }
    net = network(locs, stock, [item("A"), item("B"), item("C")])
    return route(RULES, net, order(("A", 1), ("B", 1), ("C", 1)))


def test_summary_and_text_read_like_the_design() -> None:
    d = _scenario()
    # Eastgate: 5 + 0.14 + 3 kg = 8.14 shipping + 1.50 labour; DC East: 5 + 4 + 3 = 12.00, no labour.
    assert d.summary == (
        "Routed to Eastgate (S07): the closest store with all 3 items, 14 km away; "
        "DC East (DC1) would have cost $2.36 more in shipping."
    )
    assert d.text == d.summary + " Northside (S03) was skipped: at daily capacity 40/40."


def test_json_has_the_documented_shape_and_round_trips() -> None:
    d = _scenario()
    data = json.loads(d.to_json())
    assert {"order_id", "status", "rule_set", "shipments", "explanation", "text"} <= set(data)
    assert data["rule_set"] == {"id": "default", "version": 1}
    [s] = data["shipments"]
    assert {"location", "lines", "carrier", "service", "cost", "eta"} <= set(s)
    assert (s["location"], s["lines"], s["cost"], s["eta"]) == (
        "S07",
        [{"sku": "A", "qty": 1}, {"sku": "B", "qty": 1}, {"sku": "C", "qty": 1}],
        "8.14",
        "2026-03-03",
    )
    ex = data["explanation"]
    assert {"summary", "candidates", "runner_up"} <= set(ex)
    for c in ex["candidates"]:
        assert {"location", "eligible", "excluded_by", "scores", "total"} <= set(c)
    by_code = {c["location"]: c for c in ex["candidates"]}
    assert (
        by_code["S07"]["scores"] == {"shipping": "8.14", "labour": "1.50"}
        and by_code["S07"]["total"] == "9.64"
    )
    assert by_code["S03"]["excluded_by"] == "capacity"
    assert ex["runner_up"] == {
        "locations": ["DC1"],
        "total": "12.00",
        "difference": "2.36",
        "differences": {"shipping": "3.86", "labour": "-1.50"},
        "unplaced": 0,
    }
    again = RoutingDecision.from_json(d.to_json())
    assert again.to_dict() == d.to_dict()
    assert why_not(again, "DC1") == why_not(d, "DC1")


def test_stored_form_holds_candidates_as_columns_and_expands_to_the_same_json() -> None:
    d = _scenario()
    stored = json.loads(json.dumps(d.to_stored(), ensure_ascii=False))
    columns = stored["explanation"][STORED_CANDIDATES]
    assert "candidates" not in stored["explanation"] and columns["location"] == ["DC1", "S03", "S07", "S09"]
    assert json.dumps(expand_stored(stored)) == d.to_json()
    again = RoutingDecision.from_dict(stored)
    assert again.to_dict() == d.to_dict() and again.to_stored() == stored
    assert why_not(again, "S09") == why_not(d, "S09")
    assert expand_stored(d.to_dict()) == d.to_dict()  # documents stored as rows are read as they are


def test_why_not_answers_for_every_kind_of_location() -> None:
    d = _scenario()
    assert why_not(d, "S07") == "Eastgate (S07) was chosen: it ships A × 1, B × 1, C × 1."
    assert why_not(d, "S03") == "Northside (S03) was not used: at daily capacity 40/40."
    assert why_not(d, "DC1") == (
        "DC East (DC1) was not used: shipping everything from it would have cost $2.36 more, "
        "mostly shipping (+$3.86)."
    )
    assert why_not(d, "S09") == (
        "Riverside (S09) was not used: it could supply only 1 of the 3 items (B: ATP 0 less brokering safety "
        "stock 0 leaves 0, 1 needed; C: ATP 0 less brokering safety stock 0 leaves 0, 1 needed), so a plan "
        "with it needs another shipment and cost more."
    )
    assert why_not(d, "S42") == (
        "S42 was not considered for order O-1: it holds none of the ordered items or is not a known location."
    )


def test_unfulfillable_text_lists_the_reasons() -> None:
    net = network([loc("S03", 5, name="Northside", enabled=False)], {("S03", "A"): 9}, [item("A")])
    d = route({}, net, order(("A", 2)))
    assert d.status == "unfulfillable" and d.shipments == []
    assert (
        d.summary
        == "Could not route order O-1: no eligible location can supply A: Northside (S03): paused (disabled)."
    )
    assert json.loads(d.to_json())["explanation"]["runner_up"] is None


def test_split_decision_names_each_shipment() -> None:
    net = network(
        [loc("S01", 10, name="Eastgate"), loc("S02", 20, name="Westgate")],
        {("S01", "A"): 1, ("S02", "B"): 1},
        [item("A"), item("B")],
    )
    d = route({}, net, order(("A", 1), ("B", 1)))
    assert d.summary == (
        "Split into 2 shipments because no single eligible location had every item: "
        "Eastgate (S01) ships A × 1; Westgate (S02) ships B × 1; "
        "Eastgate (S01) alone could not have supplied every item."
    )
