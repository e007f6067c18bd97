"""Each hard filter: who it removes, the reason text and values recorded, and what why_not says."""

from __future__ import annotations

import json
from decimal import Decimal

from core.routing.explain import why_not
from tests.core.routing.planner_kit import DistanceQuoter, item, loc, network, order, route

ITEMS = [item("A", category="toys"), item("B", category="knives")]


def excluded(decision, code):
    c = decision.candidate(code)
    assert c is not None and not c.eligible
    return c


def test_location_type_per_delivery_method() -> None:
    net = network([loc("S01", 100), loc("DC1", 10, "dc")], {("S01", "A"): 5, ("DC1", "A"): 5}, ITEMS)
    d = route({"filters": {"allowed_location_types": {"ship": ["store"]}}}, net, order(("A", 1)))
    assert [s.location for s in d.shipments] == ["S01"]
    c = excluded(d, "DC1")
    assert (c.excluded_by, c.reason) == ("location_type", "a dc location does not fulfil ship orders")
    assert c.values == {"type": "dc", "method": "ship"}
    assert why_not(d, "DC1") == "Loc DC1 (DC1) was not used: a dc location does not fulfil ship orders."


def test_disabled_location_is_skipped_unless_rule_says_otherwise() -> None:
    net = network([loc("S01", 100), loc("S02", 10, enabled=False)], {("S01", "A"): 5, ("S02", "A"): 5}, ITEMS)
    d = route({}, net, order(("A", 1)))
    assert excluded(d, "S02").reason == "paused (disabled)"
    assert "Loc S02 (S02) was skipped: paused (disabled)." in d.text
    d = route({"filters": {"skip_disabled": False}}, net, order(("A", 1)))
    assert [s.location for s in d.shipments] == ["S02"]


def test_daily_capacity_left() -> None:
    net = network(
        [loc("S01", 100), loc("S03", 10, name="Northside", daily_capacity=40, used_capacity_today=40)],
        {("S01", "A"): 5, ("S03", "A"): 5},
        ITEMS,
    )
    d = route({}, net, order(("A", 1)))
    c = excluded(d, "S03")
    assert (c.excluded_by, c.reason, c.values) == (
        "capacity",
        "at daily capacity 40/40",
        {"used": 40, "capacity": 40},
    )
    assert "Northside (S03) was skipped: at daily capacity 40/40." in d.text


def test_full_stores_each_show_their_own_figures() -> None:
    """Stores at capacity with the same figures share one entry; each still reads its own."""
    full = [
        loc("S02", 20, daily_capacity=40, used_capacity_today=40),
        loc("S03", 10, daily_capacity=40, used_capacity_today=40),
        loc("S04", 30, daily_capacity=12, used_capacity_today=13),
    ]
    net = network([loc("S01", 100), *full], {(s, "A"): 5 for s in ("S01", "S02", "S03", "S04")}, ITEMS)
    d = route({}, net, order(("A", 1)))
    assert [s.location for s in d.shipments] == ["S01"]
    got = {code: (excluded(d, code).reason, excluded(d, code).values) for code in ("S02", "S03", "S04")}
    assert got == {
        "S02": ("at daily capacity 40/40", {"used": 40, "capacity": 40}),
        "S03": ("at daily capacity 40/40", {"used": 40, "capacity": 40}),
        "S04": ("at daily capacity 13/12", {"used": 13, "capacity": 12}),
    }


def test_brokering_safety_stock_largest_applicable_value_wins() -> None:
    net = network([loc("S01", 100), loc("S02", 10)], {("S01", "A"): 5, ("S02", "A"): 2}, ITEMS)
    rules = {"filters": {"brokering_safety_stock": {"units": 1, "by_category": {"toys": 2}}}}
    d = route(rules, net, order(("A", 1)))
    assert [s.location for s in d.shipments] == ["S01"]
    c = excluded(d, "S02")
    assert c.excluded_by == "stock"
    assert c.reason == "A: ATP 2 less brokering safety stock 2 leaves 0, 1 needed"
    assert c.values == {"sku": "A", "atp": 2, "safety": 2, "usable": 0, "needed": 1}
    by_type = {"filters": {"brokering_safety_stock": {"by_location_type": {"store": 1}}}}
    d = route(by_type, net, order(("A", 1)))
    assert [s.location for s in d.shipments] == ["S02"]


def test_maximum_distance_per_delivery_method() -> None:
    net = network([loc("S01", 1240), loc("S02", 700)], {("S01", "A"): 5, ("S02", "A"): 5}, ITEMS)
    d = route({"filters": {"max_distance_km": {"ship": 800}}}, net, order(("A", 1), ("A", 1)))
    c = excluded(d, "S01")
    assert (c.excluded_by, c.reason) == ("distance", "1,240 km > max 800 km")
    assert c.values == {"distance_km": 1240.0, "max_km": 800.0}


def test_fence_by_channel_region_and_postal_prefix() -> None:
    net = network([loc("S01", 100), loc("D01", 10, "dropship")], {("S01", "A"): 5, ("D01", "A"): 5}, ITEMS)
    fence = {
        "name": "no drop-ship on marketplace",
        "exclude_location_types": ["dropship"],
        "channels": ["marketplace"],
    }
    rules = {"filters": {"fences": [fence]}}
    assert route(rules, net, order(("A", 1))).shipments[0].location == "D01"
    d = route(rules, net, order(("A", 1), channel="marketplace"))
    c = excluded(d, "D01")
    assert (c.excluded_by, c.reason) == ("fence", "fenced off by rule 'no drop-ship on marketplace'")
    by_region = {"name": "NY", "exclude_locations": ["D01"], "regions": ["NY"]}
    assert (
        excluded(route({"filters": {"fences": [by_region]}}, net, order(("A", 1))), "D01").excluded_by
        == "fence"
    )
    by_zip = {"name": "zip 9", "exclude_locations": ["D01"], "postal_prefixes": ["9"]}
    assert route({"filters": {"fences": [by_zip]}}, net, order(("A", 1))).shipments[0].location == "D01"


def test_category_fence_removes_only_the_lines_of_that_category() -> None:
    net = network(
        [loc("S01", 100), loc("S02", 10)],
        {("S01", "A"): 5, ("S01", "B"): 5, ("S02", "A"): 5, ("S02", "B"): 5},
        ITEMS,
    )
    fence = {"name": "knives from S01 only", "exclude_locations": ["S02"], "categories": ["knives"]}
    d = route({"filters": {"fences": [fence]}, "split": {"max_shipments": 1}}, net, order(("A", 1), ("B", 1)))
    assert [s.location for s in d.shipments] == ["S01"]
    c = d.candidate("S02")
    assert c.eligible and c.items == 1
    assert c.unavailable == {"B": "B: fenced off by rule 'knives from S01 only'"}
    assert why_not(d, "S02").startswith("Loc S02 (S02) was not used: it could supply only 1 of the 2 items")


def test_pickup_only_at_the_pickup_store_unless_transfers_are_allowed() -> None:
    stores = [loc("S01", 10, pickup=True), loc("S02", 50), loc("S03", 100, pickup=False)]
    net = network(stores, {("S01", "A"): 0, ("S02", "A"): 5, ("S03", "A"): 5}, ITEMS)
    d = route({}, net, order(("A", 1), method="pickup", pickup="S01"), destination=None)
    assert d.status == "unfulfillable"
    c = excluded(d, "S02")
    assert (c.excluded_by, c.reason) == ("pickup_store", "pickup orders are fulfilled at S01 only")
    assert excluded(d, "S01").excluded_by == "stock"
    d = route(
        {"filters": {"allow_transfer_to_pickup_store": True}},
        net,
        order(("A", 1), method="pickup", pickup="S01"),
        destination=None,
    )
    assert [s.location for s in d.shipments] == ["S02"]
    assert d.shipments[0].cost == Decimal("6.40")  # $5 + 40 km between the stores + 1 kg


def test_pickup_at_the_store_itself_has_no_parcel() -> None:
    net = network([loc("S01", 10, pickup=True)], {("S01", "A"): 5}, ITEMS)
    d = route({}, net, order(("A", 1), method="pickup", pickup="S01"), destination=None)
    s = d.shipments[0]
    assert (s.location, s.service, s.cost) == ("S01", "pickup", Decimal("0.00"))
    assert d.summary == "Routed to Loc S01 (S01): the only store with the item, the pickup store itself."


def test_pickup_store_that_does_not_offer_pickup() -> None:
    net = network([loc("S03", 10, pickup=False)], {("S03", "A"): 5}, ITEMS)
    d = route({}, net, order(("A", 1), method="pickup", pickup="S03"), destination=None)
    assert excluded(d, "S03").reason == "does not offer pickup"
    assert d.status == "unfulfillable"


def test_location_that_does_not_ship() -> None:
    net = network([loc("S01", 100), loc("S02", 10, ships=False)], {("S01", "A"): 5, ("S02", "A"): 5}, ITEMS)
    assert excluded(route({}, net, order(("A", 1))), "S02").reason == "does not ship orders"


def test_no_carrier_for_the_weight() -> None:
    net = network([loc("S01", 100)], {("S01", "A"): 5}, ITEMS)
    d = route({}, net, order(("A", 3)), DistanceQuoter(max_kg=Decimal("2")))
    c = excluded(d, "S01")
    assert (c.excluded_by, c.reason) == ("no_carrier", "no carrier serves 3.0 kg from here to 10001")
    assert d.status == "unfulfillable"


def test_custom_reason_template_and_json_shape_of_exclusions() -> None:
    net = network(
        [loc("S01", 100), loc("S03", 10, daily_capacity=2, used_capacity_today=2)],
        {("S01", "A"): 5, ("S03", "A"): 5},
        ITEMS,
    )
    d = route(
        {"filters": {"reasons": {"capacity": "full today ({used} of {capacity})"}}}, net, order(("A", 1))
    )
    data = json.loads(d.to_json())
    row = next(c for c in data["explanation"]["candidates"] if c["location"] == "S03")
    assert row["eligible"] is False and row["excluded_by"] == "capacity"
    assert row["reason"] == "full today (2 of 2)" and row["values"] == {"used": 2, "capacity": 2}
    assert row["scores"] == {} and row["total"] is None
