"""Pickups waiting at the counter, their scans and search trigrams, store tasks and the e-mail outbox.

A pickup is keyed by its fulfilment id (one staging per fulfilment). The pickup code is kept as a
salted hash only. `pickup_search` holds each pickup's trigrams with an `active` flag, indexed
(active, gram, pickup) so the lookup's narrowing step reads only open pickups unless asked
otherwise. These tables are the store's own: nothing here is pushed to the hub (the fulfilment
steps and stock movements they cause are, through `store_ops`).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.storage.models.base import Base
from core.storage.types import UTCDateTime


class Pickup(Base):
    __tablename__ = "pickups"
    __table_args__ = (
        CheckConstraint("state IN ('ready', 'held', 'collected', 'unclaimed', 'cancelled')", name="state"),
        CheckConstraint("failed_attempts >= 0", name="failed_attempts"),
        CheckConstraint("bags >= 0", name="bags"),
        Index("ix_pickups_state_ready", "state", "ready_at"),
    )

    id: Mapped[str] = mapped_column(ForeignKey("fulfilments.id"), primary_key=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id"), index=True)
    location_code: Mapped[str] = mapped_column(ForeignKey("locations.code"))
    state: Mapped[str] = mapped_column(String(12))
    shelf: Mapped[str] = mapped_column(String(32))
    bags: Mapped[int] = mapped_column(Integer, default=1)
    code_salt: Mapped[str] = mapped_column(String(32))
    code_hash: Mapped[str] = mapped_column(String(64))
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    proxy_name: Mapped[str] = mapped_column(String(120), default="")
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verified_by: Mapped[str] = mapped_column(String(64), default="")
    verified_method: Mapped[str] = mapped_column(String(8), default="")
    collector_name: Mapped[str] = mapped_column(String(120), default="")
    collector_kind: Mapped[str] = mapped_column(String(8), default="")
    id_type: Mapped[str] = mapped_column(String(20), default="")
    id_last4: Mapped[str] = mapped_column(String(4), default="")
    signature: Mapped[bytes | None] = mapped_column(LargeBinary)
    signature_kind: Mapped[str] = mapped_column(String(4), default="")
    search_key: Mapped[str] = mapped_column(String(600), default="")
    ready_at: Mapped[datetime] = mapped_column(UTCDateTime)
    claim_by: Mapped[datetime] = mapped_column(UTCDateTime)
    reminders_sent: Mapped[int] = mapped_column(Integer, default=0)
    visits: Mapped[int] = mapped_column(
        Integer, default=0
    )  # handovers completed (a kept part brings another)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    lines: Mapped[list[PickupLine]] = relationship(
        back_populates="pickup", cascade="all, delete-orphan", order_by="PickupLine.id"
    )


class PickupLine(Base):
    """Units of one SKU on a pickup: due, handed over, kept on the shelf for later, refunded."""

    __tablename__ = "pickup_lines"
    __table_args__ = (
        UniqueConstraint("pickup_id", "sku"),
        CheckConstraint("qty > 0", name="qty"),
        CheckConstraint(
            "collected_qty >= 0 AND held_qty >= 0 AND refunded_qty >= 0 "
            "AND collected_qty + held_qty + refunded_qty <= qty",
            name="units",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    pickup_id: Mapped[str] = mapped_column(ForeignKey("pickups.id"))
    sku: Mapped[str] = mapped_column(ForeignKey("products.sku"))
    qty: Mapped[int] = mapped_column(Integer)
    collected_qty: Mapped[int] = mapped_column(Integer, default=0)
    held_qty: Mapped[int] = mapped_column(Integer, default=0)
    refunded_qty: Mapped[int] = mapped_column(Integer, default=0)
    left_reason: Mapped[str] = mapped_column(String(12), default="")

    pickup: Mapped[Pickup] = relationship(back_populates="lines")


class PickupScan(Base):
    """One accepted scan at the counter (a bag or a unit): who, when, on which device."""

    __tablename__ = "pickup_scans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    pickup_id: Mapped[str] = mapped_column(ForeignKey("pickups.id"), index=True)
    visit: Mapped[int] = mapped_column(Integer, default=1)
    code: Mapped[str] = mapped_column(String(80))
    sku: Mapped[str | None] = mapped_column(String(32))
    bag: Mapped[int | None] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(64))
    device: Mapped[str] = mapped_column(String(64), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class PickupSearchGram(Base):
    __tablename__ = "pickup_search"
    __table_args__ = (Index("ix_pickup_search_lookup", "active", "gram", "pickup_id"),)

    pickup_id: Mapped[str] = mapped_column(ForeignKey("pickups.id"), primary_key=True)
    gram: Mapped[str] = mapped_column(String(3), primary_key=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class StoreTask(Base):
    """Work the store owes its stock: put units back on the shelf (restock) or inspect a return.

    The units wait in quarantine (not sellable anywhere in the network) until the task is scanned.
    """

    __tablename__ = "store_tasks"
    __table_args__ = (
        CheckConstraint("kind IN ('restock', 'inspection')", name="kind"),
        CheckConstraint("state IN ('open', 'done')", name="state"),
        CheckConstraint("qty > 0 AND done_qty >= 0 AND done_qty <= qty", name="qty"),
        Index("ix_store_tasks_open", "state", "kind", "sku"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(12))
    location_code: Mapped[str] = mapped_column(ForeignKey("locations.code"))
    sku: Mapped[str] = mapped_column(ForeignKey("products.sku"))
    qty: Mapped[int] = mapped_column(Integer)
    done_qty: Mapped[int] = mapped_column(Integer, default=0)
    reference: Mapped[str] = mapped_column(String(120), default="")
    note: Mapped[str] = mapped_column(String(240), default="")
    state: Mapped[str] = mapped_column(String(8), default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by: Mapped[str] = mapped_column(String(64), default="")


class Notification(Base):
    """An e-mail to a customer, queued in the transaction of the change it announces."""

    __tablename__ = "notifications"
    __table_args__ = (
        CheckConstraint("state IN ('pending', 'sent', 'failed', 'skipped')", name="state"),
        Index("ix_notifications_due", "state", "next_attempt_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    order_id: Mapped[str | None] = mapped_column(String(64), index=True)
    pickup_id: Mapped[str | None] = mapped_column(String(80))
    state: Mapped[str] = mapped_column(String(8), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(String(240), default="")
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
