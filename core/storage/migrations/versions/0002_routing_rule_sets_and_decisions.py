"""Routing: versioned rule sets, stored decisions, and fulfilments linked to their decision.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rule_sets",
        sa.Column("rule_set_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("author", sa.String(length=64), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("activated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("activated_by", sa.String(length=64), nullable=True),
        sa.CheckConstraint("status IN ('draft', 'active', 'retired')", name=op.f("ck_rule_sets_status")),
        sa.PrimaryKeyConstraint("rule_set_id", "version", name=op.f("pk_rule_sets")),
    )
    with op.batch_alter_table("rule_sets", schema=None) as batch_op:
        batch_op.create_index(
            "uq_rule_sets_one_active",
            ["status"],
            unique=True,
            sqlite_where=sa.text("status = 'active'"),
            postgresql_where=sa.text("status = 'active'"),
        )

    op.create_table(
        "routing_decisions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("order_id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("rule_set_id", sa.String(length=64), nullable=False),
        sa.Column("rule_set_version", sa.Integer(), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("reason", sa.String(length=240), nullable=False),
        sa.Column("replaces_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_routing_decisions_order_id_orders")
        ),
        sa.ForeignKeyConstraint(
            ["replaces_id"],
            ["routing_decisions.id"],
            name=op.f("fk_routing_decisions_replaces_id_routing_decisions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routing_decisions")),
    )
    with op.batch_alter_table("routing_decisions", schema=None) as batch_op:
        batch_op.create_index("ix_routing_decisions_order", ["order_id", "created_at"], unique=False)

    with op.batch_alter_table("fulfilments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("eta", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("decision_id", sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_fulfilments_decision_id_routing_decisions"),
            "routing_decisions",
            ["decision_id"],
            ["id"],
        )

    with op.batch_alter_table("fulfilment_lines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rejected_qty", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(
            sa.Column("rejection_reason", sa.String(length=120), nullable=False, server_default="")
        )
        batch_op.create_check_constraint("rejected_qty", "rejected_qty >= 0 AND rejected_qty <= qty")

    with op.batch_alter_table("movements", schema=None) as batch_op:
        batch_op.create_index("ix_movements_sku_time", ["sku", "occurred_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("fulfilment_lines", schema=None) as batch_op:
        batch_op.drop_constraint("ck_fulfilment_lines_rejected_qty", type_="check")
        batch_op.drop_column("rejection_reason")
        batch_op.drop_column("rejected_qty")

    with op.batch_alter_table("movements", schema=None) as batch_op:
        batch_op.drop_index("ix_movements_sku_time")

    with op.batch_alter_table("fulfilments", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_fulfilments_decision_id_routing_decisions"), type_="foreignkey"
        )
        batch_op.drop_column("decision_id")
        batch_op.drop_column("eta")

    with op.batch_alter_table("routing_decisions", schema=None) as batch_op:
        batch_op.drop_index("ix_routing_decisions_order")

    op.drop_table("routing_decisions")
    with op.batch_alter_table("rule_sets", schema=None) as batch_op:
        batch_op.drop_index("uq_rule_sets_one_active")

    op.drop_table("rule_sets")
