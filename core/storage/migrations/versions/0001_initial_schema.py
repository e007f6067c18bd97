"""Initial schema: network, inventory ledger, orders and fulfilments.

The ledger is append-only: triggers refuse UPDATE and DELETE on movements on both backends.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


IMMUTABLE_SQLITE = [
    """CREATE TRIGGER movements_no_update BEFORE UPDATE ON movements
       BEGIN SELECT RAISE(ABORT, 'movements are immutable: record a correcting movement'); END""",
    """CREATE TRIGGER movements_no_delete BEFORE DELETE ON movements
       BEGIN SELECT RAISE(ABORT, 'movements are immutable: record a correcting movement'); END""",
]
IMMUTABLE_POSTGRESQL = [
    """CREATE FUNCTION movements_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'movements are immutable: record a correcting movement'; END $$""",
    """CREATE TRIGGER movements_no_change BEFORE UPDATE OR DELETE ON movements
       FOR EACH ROW EXECUTE FUNCTION movements_immutable()""",
]


def _install_immutability() -> None:
    dialect = op.get_bind().dialect.name
    for statement in IMMUTABLE_POSTGRESQL if dialect == "postgresql" else IMMUTABLE_SQLITE:
        op.execute(statement)


def upgrade() -> None:
    op.create_table(
        "locations",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("address", sa.String(length=240), nullable=False),
        sa.Column("postal_code", sa.String(length=16), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("latitude", sa.Double(), nullable=False),
        sa.Column("longitude", sa.Double(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("ships", sa.Boolean(), nullable=False),
        sa.Column("pickup", sa.Boolean(), nullable=False),
        sa.Column("returns", sa.Boolean(), nullable=False),
        sa.Column("daily_capacity", sa.Integer(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("allow_negative_stock", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("type IN ('store', 'dc', '3pl', 'dropship')", name=op.f("ck_locations_type")),
        sa.CheckConstraint("daily_capacity >= 0", name=op.f("ck_locations_daily_capacity")),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_locations")),
    )
    op.create_table(
        "products",
        sa.Column("sku", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=80), nullable=False),
        sa.Column("price", sa.BigInteger(), nullable=False),
        sa.Column("weight_kg", sa.BigInteger(), nullable=False),
        sa.Column("length_cm", sa.BigInteger(), nullable=False),
        sa.Column("width_cm", sa.BigInteger(), nullable=False),
        sa.Column("height_cm", sa.BigInteger(), nullable=False),
        sa.Column("returnable_days", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("returnable_days >= 0", name=op.f("ck_products_returnable_days")),
        sa.PrimaryKeyConstraint("sku", name=op.f("pk_products")),
    )
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_products_category"), ["category"], unique=False)

    op.create_table(
        "state_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entity", sa.String(length=16), nullable=False),
        sa.Column("entity_id", sa.String(length=80), nullable=False),
        sa.Column("from_state", sa.String(length=20), nullable=True),
        sa.Column("to_state", sa.String(length=20), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("device", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.String(length=240), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_state_events")),
    )
    with op.batch_alter_table("state_events", schema=None) as batch_op:
        batch_op.create_index("ix_state_events_entity", ["entity", "entity_id"], unique=False)

    op.create_table(
        "bins",
        sa.Column("location_code", sa.String(length=32), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("zone", sa.String(length=16), nullable=False),
        sa.Column("aisle", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_code"], ["locations.code"], name=op.f("fk_bins_location_code_locations")
        ),
        sa.PrimaryKeyConstraint("location_code", "code", name=op.f("pk_bins")),
    )
    op.create_table(
        "movements",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("location_code", sa.String(length=32), nullable=False),
        sa.Column("sku", sa.String(length=32), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.Column("bucket", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=24), nullable=False),
        sa.Column("reference", sa.String(length=120), nullable=False),
        sa.Column("device", sa.String(length=64), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "bucket IN ('sellable', 'damaged', 'quarantine', 'in_transit')", name=op.f("ck_movements_bucket")
        ),
        sa.CheckConstraint("qty <> 0", name=op.f("ck_movements_qty")),
        sa.ForeignKeyConstraint(
            ["location_code"], ["locations.code"], name=op.f("fk_movements_location_code_locations")
        ),
        sa.ForeignKeyConstraint(["sku"], ["products.sku"], name=op.f("fk_movements_sku_products")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_movements")),
    )
    with op.batch_alter_table("movements", schema=None) as batch_op:
        batch_op.create_index("ix_movements_position", ["location_code", "sku"], unique=False)

    op.create_table(
        "orders",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("placed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("customer_name", sa.String(length=200), nullable=False),
        sa.Column("customer_email", sa.String(length=254), nullable=False),
        sa.Column("customer_phone", sa.String(length=40), nullable=False),
        sa.Column("delivery_method", sa.String(length=8), nullable=False),
        sa.Column("ship_postal_code", sa.String(length=16), nullable=False),
        sa.Column("ship_country", sa.String(length=2), nullable=False),
        sa.Column("ship_latitude", sa.Double(), nullable=True),
        sa.Column("ship_longitude", sa.Double(), nullable=True),
        sa.Column("pickup_location", sa.String(length=32), nullable=True),
        sa.Column("promise_by", sa.DateTime(timezone=True), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("payload_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("delivery_method IN ('ship', 'pickup')", name=op.f("ck_orders_delivery_method")),
        sa.ForeignKeyConstraint(
            ["pickup_location"], ["locations.code"], name=op.f("fk_orders_pickup_location_locations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orders")),
    )
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.create_index("ix_orders_state_promise", ["state", "promise_by"], unique=False)

    op.create_table(
        "product_barcodes",
        sa.Column("barcode", sa.String(length=14), nullable=False),
        sa.Column("sku", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["sku"], ["products.sku"], name=op.f("fk_product_barcodes_sku_products")),
        sa.PrimaryKeyConstraint("barcode", name=op.f("pk_product_barcodes")),
    )
    with op.batch_alter_table("product_barcodes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_product_barcodes_sku"), ["sku"], unique=False)

    op.create_table(
        "stock_positions",
        sa.Column("location_code", sa.String(length=32), nullable=False),
        sa.Column("sku", sa.String(length=32), nullable=False),
        sa.Column("sellable", sa.Integer(), nullable=False),
        sa.Column("damaged", sa.Integer(), nullable=False),
        sa.Column("quarantine", sa.Integer(), nullable=False),
        sa.Column("in_transit", sa.Integer(), nullable=False),
        sa.Column("reserved", sa.Integer(), nullable=False),
        sa.Column("safety_stock", sa.Integer(), nullable=False),
        sa.Column("bin_code", sa.String(length=32), nullable=True),
        sa.CheckConstraint("reserved >= 0", name=op.f("ck_stock_positions_reserved")),
        sa.CheckConstraint("safety_stock >= 0", name=op.f("ck_stock_positions_safety_stock")),
        sa.ForeignKeyConstraint(
            ["location_code"], ["locations.code"], name=op.f("fk_stock_positions_location_code_locations")
        ),
        sa.ForeignKeyConstraint(["sku"], ["products.sku"], name=op.f("fk_stock_positions_sku_products")),
        sa.PrimaryKeyConstraint("location_code", "sku", name=op.f("pk_stock_positions")),
    )
    with op.batch_alter_table("stock_positions", schema=None) as batch_op:
        batch_op.create_index("ix_stock_positions_sku", ["sku"], unique=False)

    op.create_table(
        "fulfilments",
        sa.Column("id", sa.String(length=80), nullable=False),
        sa.Column("order_id", sa.String(length=64), nullable=False),
        sa.Column("location_code", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("carrier", sa.String(length=40), nullable=False),
        sa.Column("service", sa.String(length=40), nullable=False),
        sa.Column("shipping_cost", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_code"], ["locations.code"], name=op.f("fk_fulfilments_location_code_locations")
        ),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], name=op.f("fk_fulfilments_order_id_orders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fulfilments")),
    )
    with op.batch_alter_table("fulfilments", schema=None) as batch_op:
        batch_op.create_index("ix_fulfilments_location_state", ["location_code", "state"], unique=False)
        batch_op.create_index(batch_op.f("ix_fulfilments_order_id"), ["order_id"], unique=False)

    op.create_table(
        "order_lines",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("order_id", sa.String(length=64), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=32), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.Column("unit_price", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("qty > 0", name=op.f("ck_order_lines_qty")),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], name=op.f("fk_order_lines_order_id_orders")),
        sa.ForeignKeyConstraint(["sku"], ["products.sku"], name=op.f("fk_order_lines_sku_products")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_lines")),
        sa.UniqueConstraint("order_id", "line_no", name=op.f("uq_order_lines_order_id")),
    )
    op.create_table(
        "fulfilment_lines",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("fulfilment_id", sa.String(length=80), nullable=False),
        sa.Column("order_line_id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=32), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.CheckConstraint("qty > 0", name=op.f("ck_fulfilment_lines_qty")),
        sa.ForeignKeyConstraint(
            ["fulfilment_id"], ["fulfilments.id"], name=op.f("fk_fulfilment_lines_fulfilment_id_fulfilments")
        ),
        sa.ForeignKeyConstraint(
            ["order_line_id"], ["order_lines.id"], name=op.f("fk_fulfilment_lines_order_line_id_order_lines")
        ),
        sa.ForeignKeyConstraint(["sku"], ["products.sku"], name=op.f("fk_fulfilment_lines_sku_products")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fulfilment_lines")),
    )
    with op.batch_alter_table("fulfilment_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_fulfilment_lines_fulfilment_id"), ["fulfilment_id"], unique=False
        )

    op.create_table(
        "reservations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("location_code", sa.String(length=32), nullable=False),
        sa.Column("sku", sa.String(length=32), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.Column("fulfilment_id", sa.String(length=80), nullable=True),
        sa.Column("reference", sa.String(length=120), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("qty > 0", name=op.f("ck_reservations_qty")),
        sa.ForeignKeyConstraint(
            ["fulfilment_id"], ["fulfilments.id"], name=op.f("fk_reservations_fulfilment_id_fulfilments")
        ),
        sa.ForeignKeyConstraint(
            ["location_code"], ["locations.code"], name=op.f("fk_reservations_location_code_locations")
        ),
        sa.ForeignKeyConstraint(["sku"], ["products.sku"], name=op.f("fk_reservations_sku_products")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reservations")),
    )
    with op.batch_alter_table("reservations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reservations_fulfilment_id"), ["fulfilment_id"], unique=False)
        batch_op.create_index("ix_reservations_position", ["location_code", "sku"], unique=False)
    _install_immutability()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS movements_no_change ON movements")
        op.execute("DROP FUNCTION IF EXISTS movements_immutable()")
    with op.batch_alter_table("reservations", schema=None) as batch_op:
        batch_op.drop_index("ix_reservations_position")
        batch_op.drop_index(batch_op.f("ix_reservations_fulfilment_id"))

    op.drop_table("reservations")
    with op.batch_alter_table("fulfilment_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fulfilment_lines_fulfilment_id"))

    op.drop_table("fulfilment_lines")
    op.drop_table("order_lines")
    with op.batch_alter_table("fulfilments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fulfilments_order_id"))
        batch_op.drop_index("ix_fulfilments_location_state")

    op.drop_table("fulfilments")
    with op.batch_alter_table("stock_positions", schema=None) as batch_op:
        batch_op.drop_index("ix_stock_positions_sku")

    op.drop_table("stock_positions")
    with op.batch_alter_table("product_barcodes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_product_barcodes_sku"))

    op.drop_table("product_barcodes")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index("ix_orders_state_promise")

    op.drop_table("orders")
    with op.batch_alter_table("movements", schema=None) as batch_op:
        batch_op.drop_index("ix_movements_position")

    op.drop_table("movements")
    op.drop_table("bins")
    with op.batch_alter_table("state_events", schema=None) as batch_op:
        batch_op.drop_index("ix_state_events_entity")

    op.drop_table("state_events")
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_products_category"))

    op.drop_table("products")
    op.drop_table("locations")
