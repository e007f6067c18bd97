"""Store sync: refunds recorded at a store are pushed to the hub as `refund` outbox events.

The hub keeps them in its own `returns` / `return_lines` tables (schema 0007), so a store that
looks an order up for a return counts the units already returned anywhere in the network.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

OLD = "kind IN ('movement', 'fulfilment')"
NEW = "kind IN ('movement', 'fulfilment', 'refund')"


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_outbox_kind"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_outbox_kind"), NEW)


def downgrade() -> None:
    op.execute("DELETE FROM outbox WHERE kind = 'refund'")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_outbox_kind"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_outbox_kind"), OLD)
