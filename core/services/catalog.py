"""Putting locations and products into the network (create or update by code / SKU)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.domain.errors import ConflictError
from core.domain.geo import resolve_place
from core.domain.network import BinSpec, LocationSpec, ProductSpec
from core.services.lookups import chunked
from core.storage.bulk import upsert
from core.storage.models import Bin, Location, Product, ProductBarcode


def upsert_locations(session: Session, specs: Iterable[LocationSpec]) -> int:
    existing = {loc.code: loc for loc in session.scalars(select(Location))}
    count = 0
    for spec in specs:
        place = resolve_place(spec.postal_code, spec.country, spec.latitude, spec.longitude)
        row = existing.get(spec.code) or Location(code=spec.code)
        row.name, row.type, row.address = spec.name, spec.type.value, spec.address
        row.postal_code, row.country = spec.postal_code, spec.country
        row.latitude, row.longitude = place.latitude, place.longitude
        row.timezone = spec.timezone or place.timezone or "UTC"
        row.ships, row.pickup, row.returns = spec.ships, spec.pickup, spec.returns
        row.daily_capacity, row.priority = spec.daily_capacity, spec.priority
        row.enabled, row.allow_negative_stock = spec.enabled, spec.allow_negative_stock
        if spec.code not in existing:
            session.add(row)
            existing[spec.code] = row
        count += 1
    session.flush()
    return count


def upsert_bins(session: Session, specs: Iterable[BinSpec]) -> int:
    rows = [
        {
            "location_code": b.location,
            "code": b.code,
            "zone": b.zone,
            "aisle": b.aisle,
            "position": b.position,
        }
        for b in specs
    ]
    upsert(session, Bin, rows, keys=("location_code", "code"))
    return len(rows)


def upsert_products(session: Session, specs: Sequence[ProductSpec]) -> int:
    """Create or update products; a barcode may belong to one SKU only."""
    owners: dict[str, str] = {}
    for chunk in chunked([code for spec in specs for code in spec.barcodes]):
        query = select(ProductBarcode.barcode, ProductBarcode.sku).where(ProductBarcode.barcode.in_(chunk))
        owners.update(session.execute(query).all())
    for spec in specs:
        for code in spec.barcodes:
            owner = owners.setdefault(code, spec.sku)
            if owner != spec.sku:
                raise ConflictError(f"barcode {code} already belongs to {owner}", field="barcode")
    existing: dict[str, Product] = {}
    for chunk in chunked([spec.sku for spec in specs]):
        existing.update((p.sku, p) for p in session.scalars(select(Product).where(Product.sku.in_(chunk))))
    for spec in specs:
        row = existing.get(spec.sku) or Product(sku=spec.sku)
        row.name, row.category, row.price = spec.name, spec.category, spec.price
        row.weight_kg, row.length_cm, row.width_cm, row.height_cm = (
            spec.weight_kg,
            spec.length_cm,
            spec.width_cm,
            spec.height_cm,
        )
        row.returnable_days = spec.returnable_days
        kept = {b.barcode for b in row.barcodes}
        row.barcodes = [b for b in row.barcodes if b.barcode in spec.barcodes] + [
            ProductBarcode(barcode=code) for code in spec.barcodes if code not in kept
        ]
        if spec.sku not in existing:
            session.add(row)
            existing[spec.sku] = row
    session.flush()
    return len(specs)


def product_by_barcode(session: Session, barcode: str) -> Product | None:
    row = session.get(ProductBarcode, barcode)
    return row.product if row else None
