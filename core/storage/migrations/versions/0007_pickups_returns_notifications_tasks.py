"""Pickups at the counter (scans, search trigrams), store tasks, the e-mail outbox, returns and payments.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("to_address", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("order_id", sa.String(length=64), nullable=True),
        sa.Column("pickup_id", sa.String(length=80), nullable=True),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=240), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "state IN ('pending', 'sent', 'failed', 'skipped')", name=op.f("ck_notifications_state")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
    )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index("ix_notifications_due", ["state", "next_attempt_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_notifications_order_id"), ["order_id"], unique=False)

    op.create_table(
        "store_tasks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("location_code", sa.String(length=32), nullable=False),
        sa.Column("sku", sa.String(length=32), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.Column("done_qty", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=120), nullable=False),
        sa.Column("note", sa.String(length=240), nullable=False),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.String(length=64), nullable=False),
        sa.CheckConstraint("kind IN ('restock', 'inspection')", name=op.f("ck_store_tasks_kind")),
        sa.CheckConstraint("state IN ('open', 'done')", name=op.f("ck_store_tasks_state")),
        sa.CheckConstraint("qty > 0 AND done_qty >= 0 AND done_qty <= qty", name=op.f("ck_store_tasks_qty")),
        sa.ForeignKeyConstraint(
            ["location_code"], ["locations.code"], name=op.f("fk_store_tasks_location_code_locations")
        ),
        sa.ForeignKeyConstraint(["sku"], ["products.sku"], name=op.f("fk_store_tasks_sku_products")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_store_tasks")),
    )
    with op.batch_alter_table("store_tasks", schema=None) as batch_op:
        batch_op.create_index("ix_store_tasks_open", ["state", "kind", "sku"], unique=False)

    op.create_table(
        "order_payments",
        sa.Column("order_id", sa.String(length=64), nullable=False),
        sa.Column("discount", sa.BigInteger(), nullable=False),
        sa.Column("shipping", sa.BigInteger(), nullable=False),
        sa.Column("tender", sa.String(length=24), nullable=False),
        sa.Column("tender_ref", sa.String(length=40), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("discount >= 0 AND shipping >= 0", name=op.f("ck_order_payments_amounts")),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], name=op.f("fk_order_payments_order_id_orders")),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_order_payments")),
    )
    op.create_table(
        "returns",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("order_id", sa.String(length=64), nullable=True),
        sa.Column("location_code", sa.String(length=32), nullable=False),
        sa.Column("receipt", sa.Boolean(), nullable=False),
        sa.Column("refund_method", sa.String(length=16), nullable=False),
        sa.Column("tender", sa.String(length=24), nullable=False),
        sa.Column("merchandise", sa.BigInteger(), nullable=False),
        sa.Column("discount", sa.BigInteger(), nullable=False),
        sa.Column("fees", sa.BigInteger(), nullable=False),
        sa.Column("shipping", sa.BigInteger(), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("approved_by", sa.String(length=32), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("device", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('return', 'pickup')", name=op.f("ck_returns_kind")),
        sa.CheckConstraint(
            "refund_method IN ('original_tender', 'store_credit')", name=op.f("ck_returns_refund_method")
        ),
        sa.CheckConstraint("total >= 0", name=op.f("ck_returns_total")),
        sa.ForeignKeyConstraint(
            ["location_code"], ["locations.code"], name=op.f("fk_returns_location_code_locations")
        ),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], name=op.f("fk_returns_order_id_orders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_returns")),
    )
    with op.batch_alter_table("returns", schema=None) as batch_op:
        batch_op.create_index("ix_returns_order", ["order_id", "created_at"], unique=False)

    op.create_table(
        "return_lines",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("return_id", sa.String(length=40), nullable=False),
        sa.Column("order_line_id", sa.Integer(), nullable=True),
        sa.Column("sku", sa.String(length=32), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=24), nullable=False),
        sa.Column("condition", sa.String(length=12), nullable=False),
        sa.Column("disposition", sa.String(length=12), nullable=False),
        sa.Column("unit_price", sa.BigInteger(), nullable=False),
        sa.Column("gross", sa.BigInteger(), nullable=False),
        sa.Column("discount", sa.BigInteger(), nullable=False),
        sa.Column("fee", sa.BigInteger(), nullable=False),
        sa.Column("refund", sa.BigInteger(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("qty > 0", name=op.f("ck_return_lines_qty")),
        sa.CheckConstraint("refund >= 0", name=op.f("ck_return_lines_refund")),
        sa.ForeignKeyConstraint(
            ["order_line_id"], ["order_lines.id"], name=op.f("fk_return_lines_order_line_id_order_lines")
        ),
        sa.ForeignKeyConstraint(
            ["return_id"], ["returns.id"], name=op.f("fk_return_lines_return_id_returns")
        ),
        sa.ForeignKeyConstraint(["sku"], ["products.sku"], name=op.f("fk_return_lines_sku_products")),
        sa.ForeignKeyConstraint(
            ["task_id"], ["store_tasks.id"], name=op.f("fk_return_lines_task_id_store_tasks")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_lines")),
    )
    with op.batch_alter_table("return_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_return_lines_order_line_id"), ["order_line_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_return_lines_return_id"), ["return_id"], unique=False)

    op.create_table(
        "pickups",
        sa.Column("id", sa.String(length=80), nullable=False),
        sa.Column("order_id", sa.String(length=64), nullable=False),
        sa.Column("location_code", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("shelf", sa.String(length=32), nullable=False),
        sa.Column("bags", sa.Integer(), nullable=False),
        sa.Column("code_salt", sa.String(length=32), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("proxy_name", sa.String(length=120), nullable=False),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("verified_by", sa.String(length=64), nullable=False),
        sa.Column("verified_method", sa.String(length=8), nullable=False),
        sa.Column("collector_name", sa.String(length=120), nullable=False),
        sa.Column("collector_kind", sa.String(length=8), nullable=False),
        sa.Column("id_type", sa.String(length=20), nullable=False),
        sa.Column("id_last4", sa.String(length=4), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=True),
        sa.Column("signature_kind", sa.String(length=4), nullable=False),
        sa.Column("search_key", sa.String(length=600), nullable=False),
        sa.Column("ready_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claim_by", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reminders_sent", sa.Integer(), nullable=False),
        sa.Column("visits", sa.Integer(), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "state IN ('ready', 'held', 'collected', 'unclaimed', 'cancelled')", name=op.f("ck_pickups_state")
        ),
        sa.CheckConstraint("bags >= 0", name=op.f("ck_pickups_bags")),
        sa.CheckConstraint("failed_attempts >= 0", name=op.f("ck_pickups_failed_attempts")),
        sa.ForeignKeyConstraint(["id"], ["fulfilments.id"], name=op.f("fk_pickups_id_fulfilments")),
        sa.ForeignKeyConstraint(
            ["location_code"], ["locations.code"], name=op.f("fk_pickups_location_code_locations")
        ),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], name=op.f("fk_pickups_order_id_orders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pickups")),
    )
    with op.batch_alter_table("pickups", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pickups_order_id"), ["order_id"], unique=False)
        batch_op.create_index("ix_pickups_state_ready", ["state", "ready_at"], unique=False)

    op.create_table(
        "pickup_lines",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("pickup_id", sa.String(length=80), nullable=False),
        sa.Column("sku", sa.String(length=32), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.Column("collected_qty", sa.Integer(), nullable=False),
        sa.Column("held_qty", sa.Integer(), nullable=False),
        sa.Column("refunded_qty", sa.Integer(), nullable=False),
        sa.Column("left_reason", sa.String(length=12), nullable=False),
        sa.CheckConstraint(
            "collected_qty >= 0 AND held_qty >= 0 AND refunded_qty >= 0 AND collected_qty + held_qty + refunded_qty <= qty",
            name=op.f("ck_pickup_lines_units"),
        ),
        sa.CheckConstraint("qty > 0", name=op.f("ck_pickup_lines_qty")),
        sa.ForeignKeyConstraint(
            ["pickup_id"], ["pickups.id"], name=op.f("fk_pickup_lines_pickup_id_pickups")
        ),
        sa.ForeignKeyConstraint(["sku"], ["products.sku"], name=op.f("fk_pickup_lines_sku_products")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pickup_lines")),
        sa.UniqueConstraint("pickup_id", "sku", name=op.f("uq_pickup_lines_pickup_id")),
    )
    op.create_table(
        "pickup_scans",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("pickup_id", sa.String(length=80), nullable=False),
        sa.Column("visit", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=80), nullable=False),
        sa.Column("sku", sa.String(length=32), nullable=True),
        sa.Column("bag", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("device", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["pickup_id"], ["pickups.id"], name=op.f("fk_pickup_scans_pickup_id_pickups")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pickup_scans")),
    )
    with op.batch_alter_table("pickup_scans", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pickup_scans_pickup_id"), ["pickup_id"], unique=False)

    op.create_table(
        "pickup_search",
        sa.Column("pickup_id", sa.String(length=80), nullable=False),
        sa.Column("gram", sa.String(length=3), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pickup_id"], ["pickups.id"], name=op.f("fk_pickup_search_pickup_id_pickups")
        ),
        sa.PrimaryKeyConstraint("pickup_id", "gram", name=op.f("pk_pickup_search")),
    )
    with op.batch_alter_table("pickup_search", schema=None) as batch_op:
        batch_op.create_index("ix_pickup_search_lookup", ["active", "gram", "pickup_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pickup_search", schema=None) as batch_op:
        batch_op.drop_index("ix_pickup_search_lookup")

    op.drop_table("pickup_search")
    with op.batch_alter_table("pickup_scans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pickup_scans_pickup_id"))

    op.drop_table("pickup_scans")
    op.drop_table("pickup_lines")
    with op.batch_alter_table("pickups", schema=None) as batch_op:
        batch_op.drop_index("ix_pickups_state_ready")
        batch_op.drop_index(batch_op.f("ix_pickups_order_id"))

    op.drop_table("pickups")
    with op.batch_alter_table("return_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_return_lines_return_id"))
        batch_op.drop_index(batch_op.f("ix_return_lines_order_line_id"))

    op.drop_table("return_lines")
    with op.batch_alter_table("returns", schema=None) as batch_op:
        batch_op.drop_index("ix_returns_order")

    op.drop_table("returns")
    op.drop_table("order_payments")
    with op.batch_alter_table("store_tasks", schema=None) as batch_op:
        batch_op.drop_index("ix_store_tasks_open")

    op.drop_table("store_tasks")
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notifications_order_id"))
        batch_op.drop_index("ix_notifications_due")

    op.drop_table("notifications")
