"""What the Inventory screen needs, handed in by the composition root (`app/store_inventory.py`).

Same rule as `ui.ports`: bound calls returning an `Op` for the database thread, values from
`core.domain`. The nearby list is the hub's, asked on the asyncio loop; it is None where there is
no hub (the demo's own store), and its failures carry words to show.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from core.domain.associates import SignedIn
from core.domain.stock_lookup import NearbyStock, ProductHit, StoreStock
from ui.ops import Op


@dataclass(frozen=True, slots=True)
class InventoryServices:
    find: Callable[[str], Op[list[ProductHit]]]  # a scanned barcode, a SKU or words of the name
    stock: Callable[[str], Op[StoreStock]]  # SKU -> this store's stock of it
    # (person, SKU, units counted on the shelves, units the screen said they should hold)
    count: Callable[[SignedIn, str, int, int], Op[StoreStock]]
    nearby: Callable[[str], Awaitable[list[NearbyStock]]] | None = None  # SKU -> other locations
