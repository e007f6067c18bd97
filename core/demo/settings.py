"""The demo retailer's shape (metros, stores, categories, order mix), read from package data."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any


@cache
def demo_settings() -> dict[str, Any]:
    return json.loads(files("resources.demo").joinpath("network.json").read_text(encoding="utf-8"))
