"""Rule sets: validation with field paths, JSON round trip, and lint warnings."""

from __future__ import annotations

import pytest

from core.domain.errors import ValidationError
from core.routing.lint import lint_rule_set
from core.routing.rules import RuleSet, default_rule_set, validate_rule_set
from tests.core.routing.planner_kit import loc


def test_default_rule_set_round_trips_through_json_unchanged() -> None:
    rules = default_rule_set()
    text = rules.model_dump_json()
    again = RuleSet.model_validate_json(text)
    assert again == rules and again.model_dump_json() == text
    assert validate_rule_set(text) == rules


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"costs": {"shipping_weight": -1}}, "costs.shipping_weight", "must be >= 0"),
        (
            {"costs": {"shipment_penalty": "1.23456"}},
            "costs.shipment_penalty",
            "must have at most 4 decimal places",
        ),
        (
            {"costs": {"tie_breaks": ["location_code", "location_code"]}},
            "costs.tie_breaks",
            "a tie-break is listed twice",
        ),
        ({"costs": {"colour": "red"}}, "costs.colour", "is not a known field"),
        ({"split": {"max_shipments": 0}}, "split.max_shipments", "must be >= 1"),
        ({"filters": {"max_distance_km": {"ship": -5}}}, "filters.max_distance_km.ship", "must be >= 0"),
        (
            {"filters": {"allowed_location_types": {"ship": ["moon"]}}},
            "filters.allowed_location_types.ship[0]",
            "must be one of 'store', 'dc', '3pl' or 'dropship'",
        ),
        (
            {"filters": {"fences": [{"name": "x"}]}},
            "filters.fences[0]",
            "a fence must exclude some locations or location types",
        ),
        (
            {"filters": {"reasons": {"capacity": "full {bad}"}}},
            "filters.reasons",
            "capacity: unknown placeholder {bad}; allowed: used, capacity",
        ),
        (
            {"filters": {"brokering_safety_stock": {"by_category": {"toys": -1}}}},
            "filters.brokering_safety_stock.by_category.toys",
            "must be >= 0",
        ),
    ],
)
def test_validation_errors_name_the_field(data: dict, field: str, message: str) -> None:
    with pytest.raises(ValidationError) as err:
        validate_rule_set(data)
    assert (err.value.field, err.value.message) == (field, message)
    assert str(err.value) == f"{field}: {message}"


def test_lint_finds_rules_that_can_never_match() -> None:
    rules = validate_rule_set(
        {
            "filters": {
                "allowed_location_types": {"ship": ["3pl"], "pickup": ["dc"]},
                "max_distance_km": {"pickup": 0},
                "fences": [
                    {"name": "all", "exclude_location_types": ["store", "dc", "3pl", "dropship"]},
                    {"name": "ghost", "exclude_locations": ["X1"]},
                ],
                "brokering_safety_stock": {"by_location_type": {"dropship": 3}},
            },
            "costs": {"overstock_bonus_per_day": "0.10"},
            "split": {"max_shipments": 1, "min_shipment_value": "20"},
        }
    )
    warnings = lint_rule_set(rules, [loc("S01", 1), loc("DC1", 1, "dc")])
    assert warnings == [
        "filters.allowed_location_types.ship: no enabled location is of type 3pl, so ship orders can never be routed",
        "filters.max_distance_km.pickup: 0 km lets only a location at the destination itself take pickup orders",
        "filters.allowed_location_types.pickup: has no store, and only stores offer pickup",
        "filters.fences[0]: 'all' excludes every location whenever it applies",
        "filters.fences[1]: 'ghost' names unknown locations X1",
        "filters.brokering_safety_stock.by_location_type.dropship: no enabled location has this type",
        "costs.overstock_max_days: 0 days caps the overstock bonus at nothing",
        "split.min_shipment_value: has no effect when max_shipments is 1 (never split)",
    ]
    assert lint_rule_set(default_rule_set(), [loc("S01", 1)]) == []
