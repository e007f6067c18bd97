"""Locations (with their bins) and products (with their barcodes).

Location codes and SKUs are the primary keys: they are what stores, the hub, CSV files and sync
messages all say, so no surrogate id has to be translated between databases.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.domain.inventory import utc_now
from core.storage.models.base import Base
from core.storage.types import FixedDecimal, Money, UTCDateTime


class Location(Base):
    __tablename__ = "locations"
    __table_args__ = (
        CheckConstraint("type IN ('store', 'dc', '3pl', 'dropship')", name="type"),
        CheckConstraint("daily_capacity >= 0", name="daily_capacity"),
    )

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    type: Mapped[str] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(String(240), default="")
    postal_code: Mapped[str] = mapped_column(String(16))
    country: Mapped[str] = mapped_column(String(2))
    latitude: Mapped[float]
    longitude: Mapped[float]
    timezone: Mapped[str] = mapped_column(String(64))
    ships: Mapped[bool] = mapped_column(Boolean)
    pickup: Mapped[bool] = mapped_column(Boolean)
    returns: Mapped[bool] = mapped_column(Boolean)
    daily_capacity: Mapped[int] = mapped_column(Integer)
    priority: Mapped[int] = mapped_column(Integer, default=0)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    allow_negative_stock: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)

    bins: Mapped[list[Bin]] = relationship(
        back_populates="location", cascade="all, delete-orphan", order_by="Bin.code"
    )


class Bin(Base):
    """A shelf position; zone and aisle give the walk order for picking."""

    __tablename__ = "bins"

    location_code: Mapped[str] = mapped_column(ForeignKey("locations.code"), primary_key=True)
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    zone: Mapped[str] = mapped_column(String(16), default="")
    aisle: Mapped[int] = mapped_column(Integer, default=0)
    position: Mapped[int] = mapped_column(Integer, default=0)

    location: Mapped[Location] = relationship(back_populates="bins")


class Product(Base):
    __tablename__ = "products"
    __table_args__ = (CheckConstraint("returnable_days >= 0", name="returnable_days"),)

    sku: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(80), default="", index=True)
    price: Mapped[Decimal] = mapped_column(Money())
    weight_kg: Mapped[Decimal] = mapped_column(FixedDecimal(3))
    length_cm: Mapped[Decimal] = mapped_column(FixedDecimal(1))
    width_cm: Mapped[Decimal] = mapped_column(FixedDecimal(1))
    height_cm: Mapped[Decimal] = mapped_column(FixedDecimal(1))
    returnable_days: Mapped[int] = mapped_column(Integer, default=30)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)

    barcodes: Mapped[list[ProductBarcode]] = relationship(
        back_populates="product", cascade="all, delete-orphan", order_by="ProductBarcode.barcode"
    )


class ProductBarcode(Base):
    __tablename__ = "product_barcodes"

    barcode: Mapped[str] = mapped_column(String(14), primary_key=True)
    sku: Mapped[str] = mapped_column(ForeignKey("products.sku"), index=True)

    product: Mapped[Product] = relationship(back_populates="barcodes")
