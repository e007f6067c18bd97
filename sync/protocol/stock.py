"""Hub → anyone with a token: where a SKU is across the network (`GET /v1/inventory/{sku}`).

Stores read it for the Inventory screen's "nearby" list, managers and integrations for
visibility. Numbers are the hub's balances; ATP may be negative where stock sold offline left a
location short (`core.domain.inventory.available_to_promise`).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from sync.protocol.base import Code, Wire

Units = Annotated[int, Field(ge=-10_000_000, le=10_000_000)]


class LocationStock(Wire):
    location: Code
    name: Annotated[str, Field(max_length=120)]
    type: Annotated[str, Field(max_length=16)]
    sellable: Units
    reserved: Units
    safety_stock: Units
    atp: Units
    damaged: Units
    quarantine: Units
    in_transit: Units


class NetworkStock(Wire):
    sku: Code
    total_atp: Annotated[int, Field(ge=0)]  # the positive ATPs added up: what the network can promise
    locations: list[LocationStock]
