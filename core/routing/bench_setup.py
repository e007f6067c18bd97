"""The routing benchmark's world: the demo retailer as a `NetworkSnapshot`, and rewinding it.

The snapshot is built straight from the demo generator, the way `core.services.routing_snapshot`
builds it from the database (ATP = on hand - safety stock, nothing reserved or sold yet), so the
benchmark measures routing and not a database. Every router in a benchmark starts from the same
state, rewound by a `core.routing.journal.Journal` between runs.
"""

from __future__ import annotations

from collections.abc import Iterator

from core.demo.network import DemoNetwork, stock_levels
from core.domain.geo import lookup_us_postal_code, resolve_place
from core.routing.snapshot import ItemInfo, LocationSnapshot, NetworkSnapshot


def demo_snapshot(network: DemoNetwork) -> NetworkSnapshot:
    """Locations with coordinates, time zones and regions, every product, and opening stock."""
    locations = []
    for spec in network.locations:
        place = resolve_place(spec.postal_code, spec.country, spec.latitude, spec.longitude)
        found = lookup_us_postal_code(spec.postal_code) if spec.country == "US" else None
        locations.append(
            LocationSnapshot(
                code=spec.code,
                name=spec.name,
                type=spec.type,
                postal_code=spec.postal_code,
                country=spec.country,
                latitude=place.latitude,
                longitude=place.longitude,
                timezone=spec.timezone or place.timezone or "UTC",
                enabled=spec.enabled,
                ships=spec.ships,
                pickup=spec.pickup,
                daily_capacity=spec.daily_capacity,
                priority=spec.priority,
                region=(found.state or "") if found else "",
            )
        )
    items = [ItemInfo(p.sku, p.weight_kg, p.category, p.price) for p in network.products]
    return NetworkSnapshot.build(locations, _stock_rows(network), items)


def _stock_rows(network: DemoNetwork) -> Iterator[tuple[str, str, int, int, float]]:
    for level in stock_levels(network):
        yield level.location, level.sku, level.on_hand - (level.safety_stock or 0), level.on_hand, 0.0
