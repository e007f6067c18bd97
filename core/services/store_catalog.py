"""The store's copy of the catalog: products and locations as the hub describes them.

The store needs SKUs, names, prices and barcodes offline to sell and scan, and rows for every
location and product its movements and fulfilments refer to. Rows are created or updated, never
deleted: the local ledger and audit trail still point at them after the hub stops listing them.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.domain.network import ProductSpec
from core.services.catalog import upsert_products
from core.storage.models import Location, Product


def ensure_location(session: Session, code: str) -> Location:
    """A placeholder row until the catalog brings the real one. Copies made by sync allow negative
    sellable stock: the hub's balance is the truth even after offline sales took it below zero."""
    row = session.get(Location, code)
    if row is None:
        row = Location(
            code=code,
            name=code,
            type="store",
            postal_code="",
            country="US",
            latitude=0.0,
            longitude=0.0,
            timezone="UTC",
            ships=True,
            pickup=False,
            returns=False,
            daily_capacity=0,
            priority=0,
            enabled=True,
            allow_negative_stock=True,
        )
        session.add(row)
        session.flush()
    return row


def ensure_products(session: Session, names: Mapping[str, str]) -> None:
    """Placeholder products for SKUs a change mentions before the catalog describes them."""
    if not names:
        return
    known = set(session.scalars(select(Product.sku).where(Product.sku.in_(list(names)))))
    for sku, name in sorted(names.items()):
        if sku not in known:
            session.add(
                Product(
                    sku=sku,
                    name=name or sku,
                    category="",
                    price=Decimal(0),
                    weight_kg=Decimal(0),
                    length_cm=Decimal(0),
                    width_cm=Decimal(0),
                    height_cm=Decimal(0),
                    returnable_days=30,
                )
            )
    session.flush()


def _size(item: Mapping[str, Any], key: str, known: Decimal) -> Decimal:
    """A dimension from the hub when it sends one (older hubs do not), else what the store had."""
    value = Decimal(str(item.get(key) or 0))
    return value if value > 0 else known


def apply_catalog(session: Session, payload: Mapping[str, Any]) -> None:
    """Create or update the listed products and locations (dimensions the hub does not send are kept)."""
    products = payload.get("products", [])
    existing = {
        p.sku: p
        for p in session.scalars(select(Product).where(Product.sku.in_([p["sku"] for p in products])))
    }
    specs = []
    for item in products:
        old = existing.get(item["sku"])
        specs.append(
            ProductSpec(
                sku=item["sku"],
                name=item["name"],
                price=Decimal(str(item["price"])),
                category=item.get("category", ""),
                barcodes=tuple(item.get("barcodes", ())),
                weight_kg=Decimal(str(item.get("weight_kg", 0))),
                length_cm=_size(item, "length_cm", old.length_cm if old else Decimal(0)),
                width_cm=_size(item, "width_cm", old.width_cm if old else Decimal(0)),
                height_cm=_size(item, "height_cm", old.height_cm if old else Decimal(0)),
                returnable_days=int(item.get("returnable_days", 30)),
            )
        )
    if specs:
        upsert_products(session, specs)
    for item in payload.get("locations", []):
        row = ensure_location(session, item["code"])
        row.name, row.type, row.timezone = item["name"], item["type"], item.get("timezone") or "UTC"
        row.pickup, row.returns, row.ships = bool(item["pickup"]), bool(item["returns"]), bool(item["ships"])
        row.address = item.get("address") or row.address
        row.postal_code = item.get("postal_code") or row.postal_code
        if item.get("latitude") is not None and item.get("longitude") is not None:
            row.latitude, row.longitude = float(item["latitude"]), float(item["longitude"])
    session.flush()
