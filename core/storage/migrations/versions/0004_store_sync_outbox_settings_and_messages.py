"""Store sync: the outbox of events to push, sync settings (key → value) and messages for the UI.

These tables exist in every database (one schema everywhere) but only a store's SQLite fills them.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("position", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=240), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rejection_reason", sa.String(length=240), nullable=False),
        sa.Column("rejection_field", sa.String(length=64), nullable=True),
        sa.Column("fulfilment_id", sa.String(length=80), nullable=True),
        sa.CheckConstraint("kind IN ('movement', 'fulfilment')", name=op.f("ck_outbox_kind")),
        sa.CheckConstraint("state IN ('pending', 'sent', 'rejected')", name=op.f("ck_outbox_state")),
        sa.PrimaryKeyConstraint("position", name=op.f("pk_outbox")),
        sa.UniqueConstraint("event_id", name=op.f("uq_outbox_event_id")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_fulfilment_id"), ["fulfilment_id"], unique=False)
        batch_op.create_index("ix_outbox_state_position", ["state", "position"], unique=False)

    op.create_table(
        "sync_messages",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("fulfilment_id", sa.String(length=80), nullable=True),
        sa.Column("event_id", sa.Uuid(), nullable=True),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_messages")),
    )
    with op.batch_alter_table("sync_messages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_messages_fulfilment_id"), ["fulfilment_id"], unique=False)
        batch_op.create_index("ix_sync_messages_unread", ["read_at", "id"], unique=False)

    op.create_table(
        "sync_state",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sync_state")),
    )


def downgrade() -> None:
    op.drop_table("sync_state")
    with op.batch_alter_table("sync_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_sync_messages_unread")
        batch_op.drop_index(batch_op.f("ix_sync_messages_fulfilment_id"))

    op.drop_table("sync_messages")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_state_position")
        batch_op.drop_index(batch_op.f("ix_outbox_fulfilment_id"))

    op.drop_table("outbox")
