"""The Inventory screen's questions, answered from the store's own database (offline too).

`find_products` takes what an associate types or scans: a barcode or SKU finds that product at
once, other text matches every word in the name or SKU. `store_stock` is the store's balance of
one SKU (the same `stock_positions` row the ledger keeps and routing reads), its home bin, the
other bins where units were counted, and the latest movements, so "the system says 3 but the
shelf is empty" can be traced to the sale or return that moved them. `rank_nearby` orders the
hub's network view by distance from this store.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from core.domain.actors import Actor
from core.domain.errors import NotFoundError, ValidationError
from core.domain.geo import distance_km
from core.domain.picking import Shelf
from core.domain.stock_lookup import MovementLine, NearbyStock, ProductHit, StockLine, StoreStock
from core.services.catalog import product_by_barcode
from core.services.lookups import like_pattern
from core.services.pick_queue import store_location
from core.services.pick_walk import other_bins
from core.services.shelf_count import record_count, shelf_count
from core.storage.models import Bin, Location, Movement, Product, StockPosition

RECENT_MOVEMENTS = 8
LEVELS = ("sellable", "damaged", "quarantine", "in_transit", "reserved", "safety_stock")  # StockLine's order
MAX_QUERY = 100  # characters: a scan or a few words


def _hit(product: Product) -> ProductHit:
    return ProductHit(product.sku, product.name, product.category, product.price)


def find_products(session: Session, text: str, *, limit: int = 20) -> list[ProductHit]:
    """Products for a scan or typed words, by name; a barcode or exact SKU gives that one alone."""
    text = text.strip()
    if len(text) > MAX_QUERY:
        raise ValidationError(f"the search is {len(text)} characters; give at most {MAX_QUERY}", field="text")
    if not text:
        return []
    exact = (
        session.get(Product, text) or session.get(Product, text.upper()) or product_by_barcode(session, text)
    )
    if exact is not None:
        return [_hit(exact)]
    op = "like" if session.get_bind().dialect.name == "sqlite" else "ilike"  # SQLite's LIKE ignores case
    every_word = [
        or_(
            getattr(Product.name, op)(like_pattern(word), escape="\\"),
            getattr(Product.sku, op)(like_pattern(word), escape="\\"),
        )
        for word in text.split()
    ]
    query = select(Product).where(and_(*every_word)).order_by(Product.name, Product.sku).limit(limit)
    return [_hit(product) for product in session.scalars(query)]


def _here(session: Session, location: str | None) -> str:
    here = location or store_location(session)
    if not here:
        raise ValidationError("this tablet is not enrolled at a store yet", field="location")
    return here


def count_shelves(
    session: Session, sku: str, counted: int, *, expected: int, actor: Actor, location: str | None = None
) -> StoreStock:
    """Record a count of this store's shelves (`shelf_count.record_count`) and read the stock again."""
    here = _here(session, location)
    record_count(session, here, sku, counted, expected=expected, actor=actor)
    return store_stock(session, sku, location=here)


def store_stock(session: Session, sku: str, *, location: str | None = None) -> StoreStock:
    """One SKU at this store; a SKU the store never held shows zeros, an unknown one is an error."""
    product = session.get(Product, sku)
    if product is None:
        raise NotFoundError(f"no product {sku}", field="sku")
    here = _here(session, location)
    position = session.get(StockPosition, (here, sku))
    home = None
    if position is not None and position.bin_code:
        shelf = session.get(Bin, (here, position.bin_code))
        home = (
            Shelf(shelf.code, shelf.zone, shelf.aisle, shelf.position)
            if shelf is not None
            else Shelf(position.bin_code)
        )
    moves = session.scalars(
        select(Movement)
        .where(Movement.location_code == here, Movement.sku == sku)
        .order_by(Movement.occurred_at.desc(), Movement.recorded_at.desc())
        .limit(RECENT_MOVEMENTS)
    )
    store = session.get(Location, here)
    counts = [getattr(position, name) if position is not None else 0 for name in LEVELS]
    levels = StockLine(
        here,
        store.name if store is not None else here,
        store.type if store is not None else "store",
        *counts,
        bin=position.bin_code if position is not None else None,
    )
    return StoreStock(
        product=_hit(product),
        levels=levels,
        shelves=shelf_count(session, here, sku, levels.sellable),
        home=home,
        other_bins=other_bins(session, here, sku, besides=home.code if home is not None else ""),
        recent=tuple(MovementLine(m.occurred_at, m.bucket, m.qty, m.reason, m.reference) for m in moves),
    )


def rank_nearby(
    session: Session, lines: Iterable[NearbyStock], *, location: str | None = None
) -> list[NearbyStock]:
    """Other locations with the distance from this store, the nearest with stock to promise first.

    The hub's stock view carries no coordinates; the store's copy of the network does (the
    catalog in the snapshot brings every location with its latitude and longitude), so the
    distance is measured here. A location the copy knows only by code has no distance.
    """
    here = _here(session, location)
    others = [line for line in lines if line.location != here]
    codes = {line.location for line in others} | {here}
    where = {
        code: (lat, lon)
        for code, lat, lon in session.execute(
            select(Location.code, Location.latitude, Location.longitude).where(Location.code.in_(codes))
        )
        if (lat, lon) != (0.0, 0.0)  # a placeholder row the catalog has not described yet
    }
    origin = where.get(here)

    def measured(line: NearbyStock) -> NearbyStock:
        spot = where.get(line.location)
        km = distance_km(*origin, *spot) if origin is not None and spot is not None else None
        return NearbyStock(line.location, line.name, line.type, line.atp, line.sellable, km)

    ranked = [measured(line) for line in others]
    far = float("inf")
    return sorted(
        ranked, key=lambda n: (n.atp <= 0, n.distance_km if n.distance_km is not None else far, n.location)
    )
