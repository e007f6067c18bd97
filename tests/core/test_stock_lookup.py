"""The Inventory screen's questions on a real database: find a product, this store's stock of it,
and other locations ranked from here. Run on SQLite (the store) and PostgreSQL (the same code)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.domain.errors import NotFoundError, ValidationError
from core.domain.inventory import Bucket, MovementSpec, Reason
from core.domain.network import BinSpec
from core.domain.stock_lookup import NearbyStock
from core.services.catalog import upsert_bins, upsert_products
from core.services.inventory import record_movements, reserve, set_safety_stock
from core.services.outbox import SyncKey, set_setting
from core.services.pick_walk import count_bin
from core.services.stock_lookup import find_products, rank_nearby, store_stock
from core.services.store_catalog import ensure_location
from core.storage.database import Database
from core.storage.models import StockPosition
from tests.factories import NOW, make_ean13, product, small_network


@pytest.fixture
def shop(db: Database) -> Database:
    """S01's copy: the small network, a bin layout, and this tablet enrolled at S01."""
    with db.transaction() as session:
        small_network(session, stock=10)
        upsert_products(session, [product("MUG_10", 9, name="Mug 10% off_cut", category="kitchen")])
        upsert_bins(session, [BinSpec("S01", "A-03-2", "A", 3, 2), BinSpec("S01", "BACK-1", "Z", 9, 1)])
        session.get(StockPosition, ("S01", "SKU-1")).bin_code = "A-03-2"
        set_setting(session, SyncKey.LOCATION, "S01")
    return db


def test_a_barcode_or_a_sku_finds_that_product_alone(shop: Database) -> None:
    with shop.transaction() as session:
        assert [h.sku for h in find_products(session, make_ean13("400000000002"))] == ["SKU-2"]
        assert [h.sku for h in find_products(session, " sku-3 ")] == ["SKU-3"]  # as typed, any case


def test_words_must_all_match_the_name_or_sku_and_wildcards_are_plain_text(shop: Database) -> None:
    with shop.transaction() as session:
        assert [h.sku for h in find_products(session, "product sku")] == ["SKU-1", "SKU-2", "SKU-3"]
        assert [h.sku for h in find_products(session, "PRODUCT 2")] == ["SKU-2"]
        assert [h.sku for h in find_products(session, "10% off_")] == ["MUG_10"]
        assert find_products(session, "0%x") == []  # % is not a wildcard
        assert find_products(session, "   ") == []


def test_a_search_too_long_for_a_scan_or_words_is_refused(shop: Database) -> None:
    with shop.transaction() as session, pytest.raises(ValidationError) as refused:
        find_products(session, "x" * 101)
    assert refused.value.field == "text"


def test_store_stock_reads_like_the_shelf(shop: Database) -> None:
    with shop.transaction() as session:
        record_movements(
            session,
            [
                MovementSpec("S01", "SKU-1", -2, Reason.SALE, reference="POS-7", occurred_at=NOW),
                MovementSpec(
                    "S01",
                    "SKU-1",
                    1,
                    Reason.RETURN,
                    bucket=Bucket.DAMAGED,
                    occurred_at=NOW + timedelta(hours=1),
                ),
            ],
        )
        reserve(session, "S01", "SKU-1", 3)
        set_safety_stock(session, "S01", "SKU-1", 1)
        count_bin(session, "S01", "SKU-1", "BACK-1", 4)
        stock = store_stock(session, "SKU-1")
    assert (stock.location, stock.product.name) == ("S01", "Product SKU-1")
    levels = stock.levels
    assert (levels.sellable, levels.reserved, levels.safety_stock, levels.damaged) == (8, 3, 1, 1)
    assert (levels.name, levels.type, levels.bin) == ("Store S01", "store", "A-03-2")
    assert stock.atp == 4
    assert stock.home is not None and (stock.home.code, stock.home.zone, stock.home.aisle) == (
        "A-03-2",
        "A",
        3,
    )
    assert [(b.shelf.code, b.qty) for b in stock.other_bins] == [("BACK-1", 4)]
    moved = [m for m in stock.recent if m.reason != "initial"]  # the opening stock is dated today
    assert [(m.reason, m.qty, m.bucket, m.reference) for m in moved] == [
        ("return", 1, "damaged", ""),
        ("sale", -2, "sellable", "POS-7"),
    ]  # newest first


def test_a_product_this_store_never_held_shows_zeros_and_an_unknown_one_is_an_error(shop: Database) -> None:
    with shop.transaction() as session:
        stock = store_stock(session, "MUG_10")
        assert (stock.levels.sellable, stock.atp, stock.home, stock.recent) == (0, 0, None, ())
        with pytest.raises(NotFoundError) as unknown:
            store_stock(session, "NOPE")
    assert unknown.value.field == "sku"


def test_before_enrolment_there_is_no_store_to_look_in(db: Database) -> None:
    with db.transaction() as session:
        small_network(session)
        with pytest.raises(ValidationError, match="not enrolled"):
            store_stock(session, "SKU-1")


def test_other_locations_are_ranked_from_here_with_stock_first(shop: Database) -> None:
    hub_view = [
        NearbyStock("DC1", "DC Central", "dc", 40, 40, None),  # Indianapolis
        NearbyStock("S01", "Store S01", "store", 9, 10, None),  # this store: not "other"
        NearbyStock("S02", "Store S02", "store", 0, 2, None),  # near, but nothing to promise
        NearbyStock("X9", "Gone", "store", 5, 5, None),  # not in this copy of the network
        NearbyStock("S77", "New", "store", 0, 0, None),  # known by its code alone so far
    ]
    with shop.transaction() as session:
        ensure_location(session, "S77")
        ranked = rank_nearby(session, hub_view)
    assert [n.location for n in ranked] == ["DC1", "X9", "S02", "S77"]
    assert ranked[0].distance_km is not None and 240 < ranked[0].distance_km < 300
    assert ranked[1].distance_km is None
    assert ranked[2].distance_km is not None and ranked[2].distance_km < 10
    assert ranked[3].distance_km is None
