"""Store sync: a refused outbox event a person reviewed and let go is kept as `discarded`.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

OLD = "state IN ('pending', 'sent', 'rejected')"
NEW = "state IN ('pending', 'sent', 'rejected', 'discarded')"


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_outbox_state"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_outbox_state"), NEW)


def downgrade() -> None:
    op.execute("UPDATE outbox SET state = 'rejected' WHERE state = 'discarded'")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_outbox_state"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_outbox_state"), OLD)
