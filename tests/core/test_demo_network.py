"""The demo retailer: deterministic, believable, sized by parameters, and loadable."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from core.demo.network import DemoSizes, build_network, stock_levels, store_bins
from core.demo.orders import order_stream
from core.domain.barcodes import validate_barcode
from core.domain.geo import lookup_us_postal_code
from core.domain.network import LocationType
from core.services.checks import run_checks
from core.services.demo_load import load_demo_network
from core.storage.database import Database

START = datetime(2026, 11, 27, 8, tzinfo=UTC)


def test_default_network_has_the_promised_shape() -> None:
    network = build_network()
    kinds = Counter(loc.type for loc in network.locations)
    assert kinds == {
        LocationType.STORE: 24,
        LocationType.DC: 2,
        LocationType.THREE_PL: 1,
        LocationType.DROPSHIP: 2,
    }
    assert len({network.metro_of_store[s.code] for s in network.stores}) == 3
    assert all(lookup_us_postal_code(loc.postal_code) for loc in network.locations)
    assert len(network.products) == 2000
    assert len({p.category for p in network.products}) >= 8
    for p in network.products:
        validate_barcode(p.barcodes[0])


def test_same_seed_same_retailer_other_seed_other_stock() -> None:
    small = DemoSizes(stores=4, skus=120, seed=3)
    assert build_network(small) == build_network(small)
    assert list(stock_levels(build_network(small))) == list(stock_levels(build_network(small)))
    other = DemoSizes(stores=4, skus=120, seed=4)
    assert list(stock_levels(build_network(small))) != list(stock_levels(build_network(other)))


def test_stock_is_long_tailed() -> None:
    network = build_network(DemoSizes(stores=24, skus=600))
    units = Counter()
    for level in stock_levels(network):
        units[level.sku] += level.on_hand
    ranked = sorted(units.values(), reverse=True)
    top_fifth = sum(ranked[: len(ranked) // 5])
    assert top_fifth > 0.5 * sum(ranked)


def test_sizes_scale_for_benchmarks() -> None:
    sizes = DemoSizes.for_locations(200, 50_000)
    network = build_network(sizes)
    assert len(network.locations) == 200 and len(network.products) == 50_000
    assert len({p.sku for p in network.products}) == 50_000


def test_order_stream_mix() -> None:
    network = build_network(DemoSizes(stores=24, skus=500))
    orders = list(order_stream(network, 600, start=START))
    assert orders == list(order_stream(network, 600, start=START))
    assert {len(o.lines) for o in orders} == {1, 2, 3, 4, 5, 6}
    pickup = sum(o.delivery.method == "pickup" for o in orders) / len(orders)
    assert 0.25 < pickup < 0.42
    assert len({o.channel for o in orders}) == 5
    assert all(len({line.sku for line in o.lines}) == len(o.lines) for o in orders)
    assert all(o.placed_at >= START and o.promise_by > o.placed_at for o in orders)


def test_demo_loads_and_balances(sqlite_db: Database) -> None:
    network = build_network(DemoSizes(stores=5, skus=150))
    with sqlite_db.transaction() as s:
        summary = load_demo_network(s, network)
        assert summary.locations == 10 and summary.products == 150
        assert summary.bins == len(list(store_bins(network)))
        assert run_checks(s) == []
