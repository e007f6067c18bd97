"""Rule-set versions and routing decisions, kept so every decision can be explained and replayed.

A rule set is a versioned document (draft → active → retired) with its author, time and comment;
exactly one version is active at a time. A decision stores the JSON the hub answers with, the
rule-set version it used, and the decision it replaced when an order was re-routed.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, Text, Uuid, text
from sqlalchemy.orm import Mapped, mapped_column

from core.storage.models.base import Base
from core.storage.types import UTCDateTime


class RuleSetStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    RETIRED = "retired"


class RuleSetVersion(Base):
    __tablename__ = "rule_sets"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'active', 'retired')", name="status"),
        Index(
            "uq_rule_sets_one_active",
            "status",
            unique=True,
            sqlite_where=text("status = 'active'"),
            postgresql_where=text("status = 'active'"),
        ),
    )

    rule_set_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(10))
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    author: Mapped[str] = mapped_column(String(64))
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    activated_by: Mapped[str | None] = mapped_column(String(64))


class RoutingDecisionRecord(Base):
    __tablename__ = "routing_decisions"
    __table_args__ = (Index("ix_routing_decisions_order", "order_id", "created_at"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id"))
    status: Mapped[str] = mapped_column(String(20))
    rule_set_id: Mapped[str] = mapped_column(String(64))
    rule_set_version: Mapped[int] = mapped_column(Integer)
    # RoutingDecision.to_stored(): the decision JSON with its candidates as columns (expand_stored);
    # documents stored before hold the candidates as rows, and both read back alike.
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(String(240), default="")
    replaces_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("routing_decisions.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
