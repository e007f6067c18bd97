"""Units of a SKU counted in bins other than its home bin (for short picks), and the pick queue's sort.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bin_stock",
        sa.Column("location_code", sa.String(length=32), nullable=False),
        sa.Column("sku", sa.String(length=32), nullable=False),
        sa.Column("bin_code", sa.String(length=32), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.Column("counted_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("qty >= 0", name=op.f("ck_bin_stock_qty")),
        sa.ForeignKeyConstraint(
            ["location_code"], ["locations.code"], name=op.f("fk_bin_stock_location_code_locations")
        ),
        sa.ForeignKeyConstraint(["sku"], ["products.sku"], name=op.f("fk_bin_stock_sku_products")),
        sa.PrimaryKeyConstraint("location_code", "sku", "bin_code", name=op.f("pk_bin_stock")),
    )


def downgrade() -> None:
    op.drop_table("bin_stock")
