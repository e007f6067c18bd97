"""Units already in a tote during a pick walk, so a walk survives the app closing.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pick_progress",
        sa.Column("fulfilment_id", sa.String(length=80), nullable=False),
        sa.Column("sku", sa.String(length=32), nullable=False),
        sa.Column("picked", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("picked >= 0", name=op.f("ck_pick_progress_picked")),
        sa.ForeignKeyConstraint(
            ["fulfilment_id"], ["fulfilments.id"], name=op.f("fk_pick_progress_fulfilment_id_fulfilments")
        ),
        sa.PrimaryKeyConstraint("fulfilment_id", "sku", name=op.f("pk_pick_progress")),
    )


def downgrade() -> None:
    op.drop_table("pick_progress")
