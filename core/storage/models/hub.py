"""The hub's own tables: who may call it, what it already received, and what each store must hear.

* `api_tokens` / `enrolment_codes` keep only SHA-256 hashes, so a leaked database does not leak
  credentials; a code is single use by a conditional UPDATE, which is atomic on both backends.
* `inbound_events` is the exactly-once rule of DESIGN.md principle 2: its primary key (source,
  event id) is claimed in the same transaction as the event's effect, so a retry finds the claim.
* `event_conflicts` keeps a second, different payload sent under a known id, for a person to review.
* `change_feed` is every store's inbox: a global, increasing `seq` is the cursor the store pulls
  after. `hub_meta` holds small facts such as how far the feed was pruned.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKey, Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from core.storage.models.base import Base
from core.storage.types import UTCDateTime

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit sequence.
FeedSeq = BigInteger().with_variant(Integer(), "sqlite")


class ApiToken(Base):
    __tablename__ = "api_tokens"
    __table_args__ = (
        CheckConstraint("role IN ('store-device', 'integration', 'manager')", name="role"),
        CheckConstraint("role <> 'store-device' OR location_code IS NOT NULL", name="store_has_location"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    location_code: Mapped[str | None] = mapped_column(ForeignKey("locations.code"))
    name: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class EnrolmentCode(Base):
    __tablename__ = "enrolment_codes"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    location_code: Mapped[str] = mapped_column(ForeignKey("locations.code"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id"))


class InboundEvent(Base):
    """One row per event ever received from a source (a store, or `feed:<location>`)."""

    __tablename__ = "inbound_events"
    __table_args__ = (CheckConstraint("status IN ('applied', 'rejected')", name="status"),)

    source: Mapped[str] = mapped_column(String(64), primary_key=True)
    event_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))
    payload_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str] = mapped_column(String(240), default="")
    field: Mapped[str | None] = mapped_column(String(80))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)


class EventConflict(Base):
    """A known event id that came again with other content; the first version stays in force."""

    __tablename__ = "event_conflicts"
    __table_args__ = (Index("ix_event_conflicts_event", "source", "event_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(64))
    event_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    payload_hash: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ChangeFeedEntry(Base):
    __tablename__ = "change_feed"
    __table_args__ = (Index("ix_change_feed_location_seq", "location_code", "seq"),)

    seq: Mapped[int] = mapped_column(FeedSeq, primary_key=True, autoincrement=True)
    location_code: Mapped[str] = mapped_column(ForeignKey("locations.code"))
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class HubMeta(Base):
    """Small named facts about the hub (e.g. `feed_pruned_through`), as text."""

    __tablename__ = "hub_meta"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(240))
