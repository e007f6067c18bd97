"""A seeded stream of customer orders against a demo network, in the Order JSON shape."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from datetime import datetime, timedelta

from core.demo.network import DemoNetwork, standard_zip_codes
from core.demo.settings import demo_settings
from core.domain.orders import OrderRequest

FIRST = ["Ava", "Liam", "Maya", "Noah", "Zoe", "Ethan", "Priya", "Mateo", "Grace", "Omar", "Chloe", "Jamal"]
LAST = ["Nguyen", "Garcia", "Smith", "Okafor", "Kim", "Johnson", "Patel", "Rossi", "Brown", "Haddad", "Lopez"]


def _weighted(rng: random.Random, table: dict[str, float]) -> str:
    return rng.choices(list(table), weights=list(table.values()))[0]


def order_stream(
    network: DemoNetwork,
    count: int,
    *,
    start: datetime,
    seed: int = 11,
    every: timedelta = timedelta(minutes=3),
    id_prefix: str = "W",
) -> Iterator[OrderRequest]:
    """`count` orders placed from `start` on, about `every` apart; popular items sell more."""
    settings = demo_settings()
    rng = random.Random(seed)
    cumulative = list(itertools.accumulate(network.popularity))
    stores = network.stores
    metros = settings["metros"]
    for n in range(1, count + 1):
        placed = start + every * (n - 1) + timedelta(seconds=rng.randint(0, int(every.total_seconds())))
        lines: dict[int, int] = {}
        wanted = int(_weighted(rng, settings["line_counts"]))
        while len(lines) < wanted:
            index = rng.choices(range(len(network.products)), cum_weights=cumulative)[0]
            lines[index] = rng.choices((1, 2, 3), weights=(85, 12, 3))[0]
        first, last = rng.choice(FIRST), rng.choice(LAST)
        pickup = rng.random() < settings["pickup_share"]
        if pickup:
            delivery = {
                "method": "pickup",
                "pickup_location": rng.choice(stores).code,
                "promise_by": (placed + timedelta(hours=rng.choice((4, 24)))).isoformat(),
            }
        else:
            states = rng.choice(metros)["states"] if rng.random() < 0.7 else settings["extra_store_states"]
            delivery = {
                "method": "ship",
                "postal_code": rng.choice(standard_zip_codes(rng.choice(states))),
                "country": "US",
                "promise_by": (placed + timedelta(days=rng.choice((2, 3, 5, 7)))).isoformat(),
            }
        yield OrderRequest.model_validate(
            {
                "id": f"{id_prefix}{n:07d}",
                "channel": _weighted(rng, settings["channels"]),
                "placed_at": placed.isoformat(),
                "customer": {
                    "name": f"{first} {last}",
                    "email": f"{first}.{last}{n % 97}@example.com".lower(),
                    "phone": f"+1-555-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
                },
                "delivery": delivery,
                "lines": [
                    {"sku": network.products[i].sku, "qty": qty, "unit_price": str(network.products[i].price)}
                    for i, qty in lines.items()
                ],
            }
        )
