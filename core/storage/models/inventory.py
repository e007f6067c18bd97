"""The inventory ledger and the balances derived from it.

`movements` is append-only (the migration installs triggers refusing UPDATE and DELETE);
`stock_positions` holds one row per location and SKU with a column per bucket, kept equal to the
ledger's sums in the same transaction, plus reservations and safety stock for available-to-promise.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from core.storage.models.base import Base
from core.storage.types import UTCDateTime


class StockPosition(Base):
    __tablename__ = "stock_positions"
    __table_args__ = (
        CheckConstraint("reserved >= 0", name="reserved"),
        CheckConstraint("safety_stock >= 0", name="safety_stock"),
        Index("ix_stock_positions_sku", "sku"),
    )

    location_code: Mapped[str] = mapped_column(ForeignKey("locations.code"), primary_key=True)
    sku: Mapped[str] = mapped_column(ForeignKey("products.sku"), primary_key=True)
    sellable: Mapped[int] = mapped_column(Integer, default=0)
    damaged: Mapped[int] = mapped_column(Integer, default=0)
    quarantine: Mapped[int] = mapped_column(Integer, default=0)
    in_transit: Mapped[int] = mapped_column(Integer, default=0)
    reserved: Mapped[int] = mapped_column(Integer, default=0)
    safety_stock: Mapped[int] = mapped_column(Integer, default=0)
    bin_code: Mapped[str | None] = mapped_column(String(32))

    @property
    def atp(self) -> int:
        return self.sellable - self.reserved - self.safety_stock


class Movement(Base):
    __tablename__ = "movements"
    __table_args__ = (
        CheckConstraint("qty <> 0", name="qty"),
        CheckConstraint("bucket IN ('sellable', 'damaged', 'quarantine', 'in_transit')", name="bucket"),
        Index("ix_movements_position", "location_code", "sku"),
        Index("ix_movements_sku_time", "sku", "occurred_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    location_code: Mapped[str] = mapped_column(ForeignKey("locations.code"))
    sku: Mapped[str] = mapped_column(ForeignKey("products.sku"))
    qty: Mapped[int] = mapped_column(Integer)
    bucket: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(24))
    reference: Mapped[str] = mapped_column(String(120), default="")
    device: Mapped[str] = mapped_column(String(64), default="")
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ReservationStatus(StrEnum):
    ACTIVE = "active"
    RELEASED = "released"
    CONSUMED = "consumed"


class Reservation(Base):
    """Units promised to a fulfilment; only active ones count in `stock_positions.reserved`."""

    __tablename__ = "reservations"
    __table_args__ = (
        CheckConstraint("qty > 0", name="qty"),
        Index("ix_reservations_position", "location_code", "sku"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    location_code: Mapped[str] = mapped_column(ForeignKey("locations.code"))
    sku: Mapped[str] = mapped_column(ForeignKey("products.sku"))
    qty: Mapped[int] = mapped_column(Integer)
    fulfilment_id: Mapped[str | None] = mapped_column(ForeignKey("fulfilments.id"), index=True)
    reference: Mapped[str] = mapped_column(String(120), default="")
    status: Mapped[str] = mapped_column(String(12), default=ReservationStatus.ACTIVE)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
