"""Orders, their lines, the fulfilments that split them across locations, and the audit trail."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.storage.models.base import Base
from core.storage.types import Money, UTCDateTime

QUEUE_WHERE = "state IN ('assigned', 'picking')"  # fulfilments in a store's pick queue


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (
        CheckConstraint("delivery_method IN ('ship', 'pickup')", name="delivery_method"),
        Index("ix_orders_state_promise", "state", "promise_by"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    customer_name: Mapped[str] = mapped_column(String(200))
    customer_email: Mapped[str] = mapped_column(String(254), default="")
    customer_phone: Mapped[str] = mapped_column(String(40), default="")
    delivery_method: Mapped[str] = mapped_column(String(8))
    ship_postal_code: Mapped[str] = mapped_column(String(16), default="")
    ship_country: Mapped[str] = mapped_column(String(2), default="US")
    ship_latitude: Mapped[float | None]
    ship_longitude: Mapped[float | None]
    pickup_location: Mapped[str | None] = mapped_column(ForeignKey("locations.code"))
    promise_by: Mapped[datetime | None] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(20))
    total: Mapped[Decimal] = mapped_column(Money())
    payload_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderLine.line_no"
    )
    fulfilments: Mapped[list[Fulfilment]] = relationship(
        back_populates="order", order_by="Fulfilment.created_at"
    )


class OrderLine(Base):
    __tablename__ = "order_lines"
    __table_args__ = (
        UniqueConstraint("order_id", "line_no"),
        CheckConstraint("qty > 0", name="qty"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id"))
    line_no: Mapped[int] = mapped_column(Integer)
    sku: Mapped[str] = mapped_column(ForeignKey("products.sku"))
    qty: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal] = mapped_column(Money())

    order: Mapped[Order] = relationship(back_populates="lines")


class Fulfilment(Base):
    """The part of an order one location fulfils; its lifecycle is the store's work queue."""

    __tablename__ = "fulfilments"
    __table_args__ = (
        Index("ix_fulfilments_location_state", "location_code", "state"),
        # The pick queue's first page walks this in order and stops after 60 rows instead of
        # sorting every open fulfilment (`core.services.pick_queue`); partial, so only the queue's
        # rows are in it. The queue must say its states as literals for SQLite to use it.
        Index(
            "ix_fulfilments_queue",
            "location_code",
            text("(promise_by IS NULL)"),
            "promise_by",
            "id",
            sqlite_where=text(QUEUE_WHERE),
            postgresql_where=text(QUEUE_WHERE),
        ),
    )

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id"), index=True)
    location_code: Mapped[str] = mapped_column(ForeignKey("locations.code"))
    state: Mapped[str] = mapped_column(String(20))
    carrier: Mapped[str] = mapped_column(String(40), default="")
    service: Mapped[str] = mapped_column(String(40), default="")
    shipping_cost: Mapped[Decimal | None] = mapped_column(Money())
    eta: Mapped[date | None] = mapped_column(Date)
    promise_by: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the order's, for the queue's index
    decision_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("routing_decisions.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    order: Mapped[Order] = relationship(back_populates="fulfilments")
    lines: Mapped[list[FulfilmentLine]] = relationship(
        back_populates="fulfilment", cascade="all, delete-orphan", order_by="FulfilmentLine.id"
    )


class FulfilmentLine(Base):
    """Units of one order line at one location; `rejected_qty` of them the location could not supply."""

    __tablename__ = "fulfilment_lines"
    __table_args__ = (
        CheckConstraint("qty > 0", name="qty"),
        CheckConstraint("rejected_qty >= 0 AND rejected_qty <= qty", name="rejected_qty"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    fulfilment_id: Mapped[str] = mapped_column(ForeignKey("fulfilments.id"), index=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"))
    sku: Mapped[str] = mapped_column(ForeignKey("products.sku"))
    qty: Mapped[int] = mapped_column(Integer)
    rejected_qty: Mapped[int] = mapped_column(Integer, default=0)
    rejection_reason: Mapped[str] = mapped_column(String(120), default="")

    @property
    def live_qty(self) -> int:
        return self.qty - self.rejected_qty

    fulfilment: Mapped[Fulfilment] = relationship(back_populates="lines")


class StateEvent(Base):
    """One row per state transition: who moved what from where to where, when, on which device, why."""

    __tablename__ = "state_events"
    __table_args__ = (Index("ix_state_events_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(String(16))
    entity_id: Mapped[str] = mapped_column(String(80))
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(64), default="")
    device: Mapped[str] = mapped_column(String(64), default="")
    reason: Mapped[str] = mapped_column(String(240), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime)
