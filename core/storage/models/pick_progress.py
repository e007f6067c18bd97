"""Units of a fulfilment already in a tote during a pick walk, so a walk survives the app closing.

A walk is followed in memory (scans must be answered within milliseconds); each counted unit is
also written here in the background, one small upsert per scan. Starting a walk over orders
still `picking` restores what is in their totes instead of sending the associate back to the
shelves; finishing a fulfilment's walk removes its rows. Store-side only: not synced.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.storage.models.base import Base
from core.storage.types import UTCDateTime


class PickProgress(Base):
    __tablename__ = "pick_progress"
    __table_args__ = (CheckConstraint("picked >= 0", name="picked"),)

    fulfilment_id: Mapped[str] = mapped_column(ForeignKey("fulfilments.id"), primary_key=True)
    sku: Mapped[str] = mapped_column(String(32), primary_key=True)
    picked: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
