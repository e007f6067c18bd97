"""Filling in the explanation's reason templates (`RuleSet.reasons`) with a location's values.

An order's screening writes a few shortage sentences ("SKU-1: ATP 2 less brokering safety stock 1
leaves 1, 2 needed") and `str.format_map` parses its template again for every one, about two
thirds of a sentence's cost. A template of plain `{name}` fields (every default one) is parsed
once into a %-format instead, whose `%s` writes a str or an int exactly as `format` does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from operator import itemgetter
from string import Formatter
from typing import Any

Fill = Callable[[Mapping[str, Any]], str]


def filled(template: str, values: Mapping[str, Any]) -> str:
    """`template.format_map(values)` for values that are strings and ints."""
    return _filler(template)(values)


@lru_cache(maxsize=256)  # a few templates per rule set
def _filler(template: str) -> Fill:
    """The template as a %-format and a getter of its fields' values, or `format_map` when a field
    is more than a plain name (a conversion, a format spec, an index, a position)."""
    try:
        parts = list(Formatter().parse(template))
    except ValueError:
        return template.format_map  # raises as it would
    names = [name for _, name, _, _ in parts if name is not None]
    if any(
        name is not None and (not name.isidentifier() or spec or conversion)
        for _, name, spec, conversion in parts
    ):
        return template.format_map
    form = "".join(text.replace("%", "%%") + ("%s" if name is not None else "") for text, name, _, _ in parts)
    if not names:
        return lambda _values: form % ()
    if len(names) == 1:
        return lambda values: form % (values[names[0]],)
    pick = itemgetter(*names)
    return lambda values: form % pick(values)
