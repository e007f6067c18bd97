"""Where a SKU's units sit in a store beyond its home bin: overflow shelves, the back room.

`stock_positions` keeps one balance per (location, SKU) and one home bin, which is what the ledger
and routing need. A picker who finds the home bin empty needs more: the other bins where units of
that SKU were last counted. Those counts are hints for a walk, not stock: they are not in the
ledger and never synced, and the balance stays `stock_positions`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.storage.models.base import Base
from core.storage.types import UTCDateTime


class BinStock(Base):
    __tablename__ = "bin_stock"
    __table_args__ = (CheckConstraint("qty >= 0", name="qty"),)

    location_code: Mapped[str] = mapped_column(ForeignKey("locations.code"), primary_key=True)
    sku: Mapped[str] = mapped_column(ForeignKey("products.sku"), primary_key=True)
    bin_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    qty: Mapped[int] = mapped_column(Integer, default=0)
    counted_at: Mapped[datetime] = mapped_column(UTCDateTime)
