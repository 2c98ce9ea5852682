"""an index that covers the contribution report's reads, in the order it adds them up (issue 17)

The report adds a period's requests up per team, coproducer, channel, level and referral. With these columns first,
SQLite reads that order straight from the index and adds up as it goes, without sorting a year of a city or reading
the table; local_date after them still narrows each group to the period (a skip-scan, once ANALYZE has run).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 01:00:00
"""

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

REPORT = (
    "team_id",
    "person_id",
    "channel",
    "level",
    "referred_to",
    "local_date",
    "deleted_at",
    "minutes",
    "outside_hours",
    "is_night",
    "id",
)


def upgrade() -> None:
    with op.batch_alter_table("help_requests", schema=None) as batch_op:
        batch_op.create_index("ix_help_requests_report", list(REPORT), unique=False)


def downgrade() -> None:
    with op.batch_alter_table("help_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_help_requests_report")
