"""The routing benchmark's world: the demo retailer as a `NetworkSnapshot`, and rewinding it.

The snapshot is built straight from the demo generator, the way `core.services.routing_snapshot`
builds it from the database (ATP = on hand - safety stock, nothing reserved or sold yet), so the
benchmark measures routing and not a database. Every router in a benchmark must start from the
same state while consuming stock and capacity as it goes; copying 3.5 million positions per router
would double the memory, so changes go through a `Journal` that can undo them instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from core.demo.network import DemoNetwork, stock_levels
from core.domain.geo import lookup_us_postal_code, resolve_place
from core.routing.decision import RoutingDecision
from core.routing.snapshot import ItemInfo, LocationSnapshot, NetworkSnapshot, StockLevel


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


@dataclass
class Journal:
    """What a run changed in a snapshot, newest last, so `rewind` restores the starting state."""

    network: NetworkSnapshot
    capacity: list[LocationSnapshot] = field(default_factory=list)
    stock: list[tuple[str, str, StockLevel | None]] = field(default_factory=list)

    def allocate(self, decision: RoutingDecision) -> None:
        """What the hub does after routing: a fulfilment per shipment, ATP reserved per line."""
        net = self.network
        for shipment in decision.shipments:
            self.capacity.append(net.locations[shipment.location])
            net.record_fulfilment(shipment.location)
            for sku, qty in shipment.lines:
                held = net.stock.get(sku, {})
                level = held.get(shipment.location)
                self.stock.append((shipment.location, sku, level))
                if level is None:
                    net.set_stock(shipment.location, sku, StockLevel(-qty))
                else:
                    net.set_stock(
                        shipment.location, sku, StockLevel(level.atp - qty, level.on_hand, level.daily_sales)
                    )

    def rewind(self) -> None:
        net = self.network
        for code, sku, level in reversed(self.stock):
            if level is None:
                net.drop_stock(code, sku)
            else:
                net.set_stock(code, sku, level)
        for loc in reversed(self.capacity):
            net.locations[loc.code] = loc
        self.stock.clear()
        self.capacity.clear()
