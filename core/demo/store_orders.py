"""Web orders aimed at one demo store, so `oms demo` has work on that store's tablet.

The general stream (`core.demo.orders`) spreads orders over the whole network; a newcomer opening
one store's app would see few of them. These orders are made for the store: **pickup orders** at
the store (routing must place them there) and **ship orders to postal codes around it** (routing
places them there when the store is the cheapest good plan; a DC may still win, which the demo's
explanations then show). Lines use SKUs the store holds several of, in the demo's opening stock,
so they can be supplied; pure and seeded, like the rest of the demo.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timedelta

from core.demo.network import DemoNetwork, stock_levels
from core.demo.orders import FIRST, LAST
from core.domain.orders import OrderRequest

NEAR = {  # postal codes a few kilometres from each metro's first stores
    "6": ["60605", "60607", "60610", "60611", "60614", "60616", "60622", "60642"],
    "7": ["75201", "75202", "75204", "75205", "75206", "75219", "75226"],
    "3": ["30303", "30308", "30309", "30312", "30313", "30318"],
}
SIZE_FRIENDLY = ("apparel", "footwear", "beauty", "home", "kitchen", "electronics", "toys")


def well_stocked(network: DemoNetwork, store: str, minimum: int = 4) -> list[str]:
    """SKUs the store holds at least `minimum` of at opening, parcel-sized categories only."""
    categories = {p.sku: p.category for p in network.products}
    return sorted(
        level.sku
        for level in stock_levels(network)
        if level.location == store
        and level.on_hand - (level.safety_stock or 0) >= minimum
        and categories[level.sku] in SIZE_FRIENDLY
    )


def store_orders(
    network: DemoNetwork,
    store: str,
    count: int,
    *,
    start: datetime,
    pickup_share: float = 0.5,
    seed: int = 23,
    id_prefix: str = "D",
) -> Iterator[OrderRequest]:
    """`count` orders for `store`: about `pickup_share` pickup there, the rest shipped nearby."""
    location = next(loc for loc in network.locations if loc.code == store)
    skus = well_stocked(network, store)
    if not skus:
        raise ValueError(f"demo store {store} holds no parcel-sized stock to sell")
    prices = {p.sku: p.price for p in network.products}
    near = NEAR.get(location.postal_code[:1], [location.postal_code])
    rng = random.Random(seed)
    for n in range(1, count + 1):
        placed = start + timedelta(minutes=2 * n)
        chosen = rng.sample(skus, k=min(len(skus), rng.choice((1, 1, 2, 2, 3))))
        lines = [
            {"sku": sku, "qty": rng.choice((1, 1, 1, 2)), "unit_price": str(prices[sku])} for sku in chosen
        ]
        first, last = rng.choice(FIRST), rng.choice(LAST)
        if rng.random() < pickup_share:
            delivery = {
                "method": "pickup",
                "pickup_location": store,
                "promise_by": (placed + timedelta(hours=rng.choice((2, 4, 24)))).isoformat(),
            }
        else:
            delivery = {
                "method": "ship",
                "postal_code": rng.choice(near),
                "country": location.country,
                "promise_by": (placed + timedelta(days=rng.choice((2, 3, 5)))).isoformat(),
            }
        yield OrderRequest.model_validate(
            {
                "id": f"{id_prefix}{n:07d}",
                "channel": "web",
                "placed_at": placed.isoformat(),
                "customer": {
                    "name": f"{first} {last}",
                    "email": f"{first}.{last}{n}@example.com".lower(),
                    "phone": f"+1-555-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
                },
                "delivery": delivery,
                "lines": lines,
            }
        )
