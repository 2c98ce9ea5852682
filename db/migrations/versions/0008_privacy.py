"""privacy: removed people, the anonymous placeholder, notes released to their person

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 08:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("is_placeholder", sa.Boolean(), server_default=sa.text("false"), nullable=False))
    with op.batch_alter_table("checkin_notes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("released_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("checkin_notes", schema=None) as batch_op:
        batch_op.drop_column("released_at")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_column("is_placeholder")
        batch_op.drop_column("removed_at")
