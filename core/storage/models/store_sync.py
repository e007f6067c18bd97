"""The store's side of sync: the outbox of events to push, sync settings, and messages for the UI.

The outbox is how the store stays offline-first: a business change and the event describing it
commit in one local transaction, and a relay pushes pending rows later, as often as it takes. The
event id is UNIQUE, so writing the same event twice is impossible, and the hub recognises a retry.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from core.storage.models.base import Base
from core.storage.types import UTCDateTime


class OutboxState(StrEnum):
    PENDING = "pending"  # not acknowledged by the hub yet (never sent, or the outcome is unknown)
    SENT = "sent"  # the hub answered applied or duplicate: it is in the hub's ledger
    REJECTED = "rejected"  # the hub will never apply it as sent: on the review list
    DISCARDED = "discarded"  # a person reviewed the refusal and accepted the hub's word


class OutboxEvent(Base):
    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint("state IN ('pending', 'sent', 'rejected', 'discarded')", name="state"),
        CheckConstraint("kind IN ('movement', 'fulfilment', 'refund')", name="kind"),
        Index("ix_outbox_state_position", "state", "position"),
    )

    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(String(240), default="")
    state: Mapped[str] = mapped_column(String(10), default=OutboxState.PENDING)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rejection_reason: Mapped[str] = mapped_column(String(240), default="")
    rejection_field: Mapped[str | None] = mapped_column(String(64))
    fulfilment_id: Mapped[str | None] = mapped_column(String(80), index=True)


class SyncState(Base):
    """Key → value settings of the sync relay (hub URL, device token, cursor, last sync...)."""

    __tablename__ = "sync_state"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SyncMessage(Base):
    """Something the hub told the store that an associate should see (re-routed lines, refused events)."""

    __tablename__ = "sync_messages"
    __table_args__ = (Index("ix_sync_messages_unread", "read_at", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(24))
    fulfilment_id: Mapped[str | None] = mapped_column(String(80), index=True)
    event_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    text: Mapped[str] = mapped_column(String(500))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
