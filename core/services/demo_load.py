"""Loading a generated demo network through the same services a retailer's import uses."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from core.demo.network import DemoNetwork, stock_levels, store_bins
from core.domain.inventory import Reason
from core.services.catalog import upsert_bins, upsert_locations, upsert_products
from core.services.inventory import set_stock_levels


@dataclass(frozen=True)
class LoadSummary:
    locations: int
    products: int
    bins: int
    stock_positions: int
    movements: int


def load_demo_network(session: Session, network: DemoNetwork) -> LoadSummary:
    locations = upsert_locations(session, network.locations)
    products = upsert_products(session, network.products)
    bins = upsert_bins(session, store_bins(network))
    levels = list(stock_levels(network))
    movements = set_stock_levels(
        session, levels, reason=Reason.INITIAL, reference="demo network", device="oms-init"
    )
    return LoadSummary(locations, products, bins, len(levels), movements)
