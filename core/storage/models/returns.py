"""Returns and refunds, and what was paid for an order (discount, shipping, tender).

A `returns` row is one refund decision: a return at the counter (`kind` return, units come back)
or the refund of units a customer left at the pickup counter (`kind` pickup). Both count against
the units of each order line, which is how "returned never exceeds sold" and "partial refunds add
up to a full one" are kept. Refunds are recorded, never charged: the till or the payment provider
does that with the tender named here.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.storage.models.base import Base
from core.storage.types import Money, UTCDateTime


class OrderPayment(Base):
    """What the customer paid beyond the lines' prices: an order-level discount, shipping, the tender."""

    __tablename__ = "order_payments"
    __table_args__ = (CheckConstraint("discount >= 0 AND shipping >= 0", name="amounts"),)

    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id"), primary_key=True)
    discount: Mapped[Decimal] = mapped_column(Money())
    shipping: Mapped[Decimal] = mapped_column(Money())
    tender: Mapped[str] = mapped_column(String(24))
    tender_ref: Mapped[str] = mapped_column(String(40), default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Return(Base):
    __tablename__ = "returns"
    __table_args__ = (
        CheckConstraint("kind IN ('return', 'pickup')", name="kind"),
        CheckConstraint("refund_method IN ('original_tender', 'store_credit')", name="refund_method"),
        CheckConstraint("total >= 0", name="total"),
        Index("ix_returns_order", "order_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    order_id: Mapped[str | None] = mapped_column(ForeignKey("orders.id"))
    location_code: Mapped[str] = mapped_column(ForeignKey("locations.code"))
    receipt: Mapped[bool] = mapped_column(Boolean, default=True)
    refund_method: Mapped[str] = mapped_column(String(16))
    tender: Mapped[str] = mapped_column(String(24), default="")
    merchandise: Mapped[Decimal] = mapped_column(Money())
    discount: Mapped[Decimal] = mapped_column(Money())
    fees: Mapped[Decimal] = mapped_column(Money())
    shipping: Mapped[Decimal] = mapped_column(Money())
    total: Mapped[Decimal] = mapped_column(Money())
    approved_by: Mapped[str] = mapped_column(String(32), default="")
    actor: Mapped[str] = mapped_column(String(64))
    device: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    lines: Mapped[list[ReturnLine]] = relationship(
        back_populates="ret", cascade="all, delete-orphan", order_by="ReturnLine.id"
    )


class ReturnLine(Base):
    __tablename__ = "return_lines"
    __table_args__ = (
        CheckConstraint("qty > 0", name="qty"),
        CheckConstraint("refund >= 0", name="refund"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    return_id: Mapped[str] = mapped_column(ForeignKey("returns.id"), index=True)
    order_line_id: Mapped[int | None] = mapped_column(ForeignKey("order_lines.id"), index=True)
    sku: Mapped[str] = mapped_column(ForeignKey("products.sku"))
    qty: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(24))
    condition: Mapped[str] = mapped_column(String(12), default="")
    disposition: Mapped[str] = mapped_column(String(12), default="")
    unit_price: Mapped[Decimal] = mapped_column(Money())
    gross: Mapped[Decimal] = mapped_column(Money())
    discount: Mapped[Decimal] = mapped_column(Money())
    fee: Mapped[Decimal] = mapped_column(Money())
    refund: Mapped[Decimal] = mapped_column(Money())
    task_id: Mapped[int | None] = mapped_column(ForeignKey("store_tasks.id"))

    ret: Mapped[Return] = relationship(back_populates="lines")
