"""A synthetic network and order stream for timing the planner (`oms bench routing` can print it).

Seeded, so two runs route the same orders; nothing here is used when routing real orders.
"""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from core.domain.network import LocationType
from core.domain.orders import OrderRequest, parse_order
from core.routing.planner import Planner
from core.routing.snapshot import Destination, ItemInfo, LocationSnapshot, NetworkSnapshot

_TYPES = [LocationType.STORE] * 17 + [LocationType.DC, LocationType.THREE_PL, LocationType.DROPSHIP]
PLACED = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def synthetic_network(locations: int, skus: int, holders_per_sku: int, seed: int = 7) -> NetworkSnapshot:
    """Locations scattered over the continental US; each SKU stocked at `holders_per_sku` of them."""
    rnd = random.Random(seed)
    locs = [
        LocationSnapshot(
            f"L{i:04d}",
            f"Location {i}",
            _TYPES[i % len(_TYPES)],
            f"{rnd.randint(10000, 99999)}",
            "US",
            rnd.uniform(30.0, 47.0),
            rnd.uniform(-122.0, -72.0),
            "America/Chicago",
            daily_capacity=rnd.choice([0, 200, 400]),
            priority=rnd.randint(0, 3),
        )
        for i in range(locations)
    ]
    codes = [loc.code for loc in locs]
    rows = []
    for s in range(skus):
        for code in rnd.sample(codes, holders_per_sku):
            atp = rnd.randint(0, 12)
            rows.append((code, f"SKU{s:06d}", atp, atp + 2, rnd.choice([0.0, 0.5, 2.0])))
    items = [
        ItemInfo(
            f"SKU{s:06d}", Decimal(rnd.choice(["0.3", "0.8", "1.5", "4"])), f"cat{s % 20}", Decimal("19.99")
        )
        for s in range(skus)
    ]
    return NetworkSnapshot.build(locs, rows, items)


def synthetic_orders(
    count: int, skus: int, max_lines: int = 5, seed: int = 11
) -> list[tuple[OrderRequest, Destination]]:
    rnd = random.Random(seed)
    out = []
    for n in range(count):
        lat, lon = rnd.uniform(30.0, 47.0), rnd.uniform(-122.0, -72.0)
        lines = [
            {"sku": f"SKU{s:06d}", "qty": rnd.randint(1, 2), "unit_price": "19.99"}
            for s in rnd.sample(range(skus), rnd.randint(1, max_lines))
        ]
        order = parse_order(
            {
                "id": f"B-{n}",
                "channel": "web",
                "placed_at": PLACED.isoformat(),
                "customer": {"name": "Bench"},
                "delivery": {
                    "method": "ship",
                    "postal_code": "60601",
                    "latitude": lat,
                    "longitude": lon,
                    "promise_by": (PLACED + timedelta(days=4)).isoformat(),
                },
                "lines": lines,
            }
        )
        out.append((order, Destination(lat, lon, "60601", "US", "IL", "America/Chicago")))
    return out


def bench(
    planner: Planner,
    network: NetworkSnapshot,
    orders: list[tuple[OrderRequest, Destination]],
    *,
    render: bool = False,
) -> dict[str, float]:
    """Orders per second and latency percentiles; `render` also builds the JSON with its text."""
    times = []
    statuses: dict[str, int] = {}
    start = time.perf_counter()
    for order, dest in orders:
        t0 = time.perf_counter()
        decision = planner.route(order, network, destination=dest)
        if render:
            decision.to_json()
        times.append(time.perf_counter() - t0)
        statuses[decision.status] = statuses.get(decision.status, 0) + 1
    elapsed = time.perf_counter() - start
    times.sort()
    return {
        "orders": len(orders),
        "orders_per_s": round(len(orders) / elapsed, 1),
        "p50_ms": round(times[len(times) // 2] * 1000, 3),
        "p99_ms": round(times[int(len(times) * 0.99)] * 1000, 3),
        "max_ms": round(times[-1] * 1000, 3),
        **{f"status_{k}": v for k, v in sorted(statuses.items())},
    }
