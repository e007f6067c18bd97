"""Routing on a snapshot as the hub would, and undoing it: several runs start from one state.

A benchmark or a rule simulation routes the same orders more than once, each run consuming stock
and capacity as it goes, and each must start from the same network. Copying millions of stock
positions per run would double the memory, so every change goes through a `Journal` that can
undo it instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.routing.decision import RoutingDecision
from core.routing.snapshot import LocationSnapshot, NetworkSnapshot, StockLevel


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
