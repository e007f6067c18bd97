"""Generating the demo network: locations, products, bins and long-tailed stock.

Sizes are parameters so a benchmark can ask for 200 locations and 50,000 SKUs from the same code
that makes the 30-location demo; the same seed always gives the same retailer.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

import zipcodes

from core.demo.settings import demo_settings
from core.domain.barcodes import make_ean13
from core.domain.network import BinSpec, LocationSpec, LocationType, ProductSpec, StockLevel

ZONE_AISLES, AISLE_POSITIONS = 6, 8


@dataclass(frozen=True)
class DemoSizes:
    stores: int = 24
    skus: int = 2000
    seed: int = 7

    @classmethod
    def for_locations(cls, locations: int, skus: int, seed: int = 7) -> DemoSizes:
        """Sizes giving `locations` in all: the fixed DCs, 3PLs and drop shippers, the rest stores."""
        settings = demo_settings()
        fixed = len(settings["dcs"]) + len(settings["threepls"]) + len(settings["dropshippers"])
        return cls(stores=max(1, locations - fixed), skus=skus, seed=seed)


@dataclass
class DemoNetwork:
    retailer: str
    sizes: DemoSizes
    locations: list[LocationSpec]
    products: list[ProductSpec]
    popularity: list[float]  # per product, same order: relative demand
    metro_of_store: dict[str, str] = field(default_factory=dict)

    @property
    def stores(self) -> list[LocationSpec]:
        return [loc for loc in self.locations if loc.type is LocationType.STORE]


@cache
def standard_zip_codes(state: str) -> tuple[str, ...]:
    """Residential delivery points in a state (standard, active ZIPs with coordinates)."""
    return tuple(
        z["zip_code"]
        for z in zipcodes.filter_by(state=state)
        if z["zip_code_type"] == "STANDARD" and z["active"] and z["lat"]
    )


def _locations(sizes: DemoSizes, rng: random.Random) -> tuple[list[LocationSpec], dict[str, str]]:
    settings = demo_settings()
    named = [(metro, name, zip_code) for metro in settings["metros"] for name, zip_code in metro["stores"]]
    stores: list[LocationSpec] = []
    metro_of: dict[str, str] = {}
    for i in range(sizes.stores):
        if i < len(named):
            metro, name, zip_code = named[i]
            metro_name = metro["name"]
        else:
            state = rng.choice(settings["extra_store_states"])
            zip_code = rng.choice(standard_zip_codes(state))
            metro_name = zipcodes.matching(zip_code)[0]["city"]
            name = f"{metro_name} {i + 1}"
        code = f"S{i + 1:02d}" if sizes.stores < 100 else f"S{i + 1:03d}"
        stores.append(
            LocationSpec(
                code=code,
                name=name,
                type=LocationType.STORE,
                postal_code=zip_code,
                address=f"{100 + 7 * i} Main Street",
                pickup=True,
                returns=True,
                daily_capacity=rng.choice((30, 40, 40, 50, 60)),
                priority=2,
            )
        )
        metro_of[code] = metro_name
    others = [
        LocationSpec(code=c, name=n, type=LocationType.DC, postal_code=z, daily_capacity=cap, priority=1)
        for c, n, z, cap in settings["dcs"]
    ]
    others += [
        LocationSpec(
            code=c, name=n, type=LocationType.THREE_PL, postal_code=z, daily_capacity=cap, priority=1
        )
        for c, n, z, cap in settings["threepls"]
    ]
    others += [
        LocationSpec(
            code=c, name=n, type=LocationType.DROPSHIP, postal_code=z, daily_capacity=cap, priority=3
        )
        for c, n, z, cap, _ in settings["dropshippers"]
    ]
    return stores + others, metro_of


def _money(rng: random.Random, low: float, high: float) -> Decimal:
    """Shelf prices end in .99 or .49, as real ones do."""
    whole = int(rng.uniform(low, high))
    return Decimal(f"{max(whole, 1)}.{rng.choice(('99', '49', '99'))}")


def _products(sizes: DemoSizes, rng: random.Random) -> list[ProductSpec]:
    categories = demo_settings()["categories"]
    counts = [round(c["share"] * sizes.skus) for c in categories]
    counts[0] += sizes.skus - sum(counts)
    products = []
    for category, count in zip(categories, counts, strict=True):
        for _ in range(count):
            n = len(products) + 1
            low, high = category["weight_kg"]
            length, width, height = (
                Decimal(str(round(d * rng.uniform(0.5, 1.0), 1))) for d in category["dims_cm"]
            )
            products.append(
                ProductSpec(
                    sku=f"{category['name'][:3].upper()}-{n:05d}",
                    name=f"{rng.choice(category['variants'])} {rng.choice(category['nouns'])}",
                    price=_money(rng, *category["price"]),
                    category=category["name"],
                    barcodes=(make_ean13(f"0614141{n:05d}"),),
                    weight_kg=Decimal(str(round(rng.uniform(low, high), 3))),
                    length_cm=length,
                    width_cm=width,
                    height_cm=height,
                    returnable_days=category["returnable_days"],
                )
            )
    return products


def build_network(sizes: DemoSizes = DemoSizes()) -> DemoNetwork:
    rng = random.Random(sizes.seed)
    locations, metro_of = _locations(sizes, rng)
    products = _products(sizes, rng)
    ranks = list(range(len(products)))
    rng.shuffle(ranks)
    popularity = [1.0 / (rank + 1) ** 0.9 for rank in ranks]
    return DemoNetwork(demo_settings()["retailer"], sizes, locations, products, popularity, metro_of)


def store_bins(network: DemoNetwork) -> Iterator[BinSpec]:
    """Every store's shelf layout: zones A-D, aisles and positions."""
    zones = sorted({c["zone"] for c in demo_settings()["categories"]})
    for store in network.stores:
        for zone in zones:
            for aisle in range(1, ZONE_AISLES + 1):
                for position in range(1, AISLE_POSITIONS + 1):
                    yield BinSpec(store.code, f"{zone}-{aisle:02d}-{position}", zone, aisle, position)


def _carry_and_depth(kind: LocationType, share: float) -> tuple[float, float]:
    """How likely a location carries an item and how deep, by the item's demand percentile."""
    if kind is LocationType.STORE:
        return (
            (0.9, 10.0)
            if share < 0.1
            else (0.6, 5.0)
            if share < 0.3
            else (0.35, 3.0)
            if share < 0.6
            else (0.12, 2.0)
        )
    if kind is LocationType.DC:
        return (0.95, 400.0) if share < 0.1 else (0.85, 120.0) if share < 0.5 else (0.7, 40.0)
    return (0.6, 200.0) if share < 0.3 else (0.4, 60.0)


def stock_levels(network: DemoNetwork) -> Iterator[StockLevel]:
    """Long-tailed opening stock, streamed so a 50,000-SKU network never sits in memory at once."""
    settings = demo_settings()
    rng = random.Random(network.sizes.seed + 1)
    zones = {c["name"]: c["zone"] for c in settings["categories"]}
    dropship_categories = {code: set(cats) for code, _, _, _, cats in settings["dropshippers"]}
    order = sorted(range(len(network.products)), key=lambda i: -network.popularity[i])
    percentile = {i: rank / len(order) for rank, i in enumerate(order)}
    for location in network.locations:
        for i, product in enumerate(network.products):
            if location.type is LocationType.DROPSHIP:
                if product.category not in dropship_categories[location.code] or rng.random() > 0.9:
                    continue
                yield StockLevel(location.code, product.sku, rng.randint(20, 200))
                continue
            if product.category == "furniture" and location.type is LocationType.STORE:
                continue
            carry, depth = _carry_and_depth(location.type, percentile[i])
            if rng.random() > carry:
                continue
            on_hand = 0 if rng.random() < 0.05 else max(1, round(rng.expovariate(1.0) * depth))
            if location.type is LocationType.STORE:
                zone = zones[product.category]
                shelf = f"{zone}-{rng.randint(1, ZONE_AISLES):02d}-{rng.randint(1, AISLE_POSITIONS)}"
                yield StockLevel(location.code, product.sku, on_hand, 1 if percentile[i] < 0.3 else 0, shelf)
            else:
                yield StockLevel(
                    location.code, product.sku, on_hand, 5 if location.type is LocationType.DC else 2
                )
