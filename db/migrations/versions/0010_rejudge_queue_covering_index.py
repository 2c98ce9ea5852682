"""the queue of people to judge again after a save; an index that covers the rules' reads (issue 17)

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 08:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

COVER = (
    "person_id",
    "local_date",
    "deleted_at",
    "minutes",
    "outside_hours",
    "is_night",
    "beyond_role",
    "local_weekday",
    "local_hour",
    "id",
)


def upgrade() -> None:
    op.create_table(
        "rejudge_queue",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_rejudge_queue_person_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_rejudge_queue")),
    )
    with op.batch_alter_table("help_requests", schema=None) as batch_op:
        batch_op.create_index("ix_help_requests_person_date_cover", list(COVER), unique=False)
        # The covering index starts with the same two columns, so the old one only cost writes.
        batch_op.drop_index("ix_help_requests_person_date")


def downgrade() -> None:
    with op.batch_alter_table("help_requests", schema=None) as batch_op:
        batch_op.create_index("ix_help_requests_person_date", ["person_id", "local_date"], unique=False)
        batch_op.drop_index("ix_help_requests_person_date_cover")
    op.drop_table("rejudge_queue")
