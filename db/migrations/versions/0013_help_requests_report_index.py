"""an index that covers the contribution report's reads, in the order it adds them up (issue 17)

The report adds a period's requests up per team and coproducer, counting each channel, level, referral and kind of
problem. With (team, coproducer, date) first, SQLite reads each coproducer's period in turn from the index alone (a
skip-scan over the coproducers, once ANALYZE has run) and adds up as it goes, without sorting a year of a city or
reading the table. The codes come after the date, not before it: with them first, a city's varied codes made SQLite
give up the skip-scan and sort the year through ix_help_requests_team_date instead.

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
    "local_date",
    "deleted_at",
    "minutes",
    "outside_hours",
    "is_night",
    "channel",
    "level",
    "referred_to",
    "id",
)


def upgrade() -> None:
    with op.batch_alter_table("help_requests", schema=None) as batch_op:
        batch_op.create_index("ix_help_requests_report", list(REPORT), unique=False)


def downgrade() -> None:
    with op.batch_alter_table("help_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_help_requests_report")
