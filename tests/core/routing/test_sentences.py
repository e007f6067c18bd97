"""Reason templates filled in as `str.format_map` fills them, to the character."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.routing.rules import DEFAULT_REASONS
from core.routing.sentences import filled

VALUES = {"sku": "SKU-1", "atp": 3, "safety": -1, "usable": 0, "needed": 12, "fence": "50% off {x}"}
TEXT = st.text(st.sampled_from("ab %s{}}{:!.0"), max_size=6).map(
    lambda t: t.replace("{", "{{").replace("}", "}}")
)


@pytest.mark.parametrize("key", sorted(DEFAULT_REASONS))
def test_every_default_reason_reads_as_format_map_writes_it(key: str) -> None:
    values = dict.fromkeys(("why", "pickup_store", "type", "method", "fence", "sku"), "x % {y}")
    values |= {"used": 4, "capacity": 4, "distance_km": 12.5, "max_km": 10.0, "atp": 1, "safety": 2}
    values |= {"usable": 0, "needed": 1, "weight_kg": 2, "destination": "x"}
    assert filled(DEFAULT_REASONS[key], values) == DEFAULT_REASONS[key].format_map(values)


@given(st.lists(st.tuples(TEXT, st.sampled_from(sorted(VALUES))), max_size=5), TEXT)
def test_plain_fields_with_any_text_around_them(parts: list[tuple[str, str]], end: str) -> None:
    template = "".join(f"{text}{{{name}}}" for text, name in parts) + end
    assert filled(template, VALUES) == template.format_map(VALUES)


@pytest.mark.parametrize("template", ["{atp:>4}", "{sku!r} x", "{fence[0]}", "{sku.upper}"])
def test_fields_beyond_a_plain_name_are_left_to_format_map(template: str) -> None:
    assert filled(template, VALUES) == template.format_map(VALUES)


@pytest.mark.parametrize("template", ["{0}", "{}", "{sku", "sku}", "{nope}"])
def test_a_template_format_map_refuses_is_refused_alike(template: str) -> None:
    with pytest.raises(Exception) as expected:
        template.format_map(VALUES)
    with pytest.raises(expected.type):
        filled(template, VALUES)
