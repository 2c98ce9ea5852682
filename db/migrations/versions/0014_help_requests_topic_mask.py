"""help_requests.topic_mask: a request's kinds of problem as bits on its row, in the covering indexes (issue 17)

The contribution report counted the kinds of problem by joining a year of a city's requests to request_topics: 1.5
million look-ups, over half of the report's time on SQLite. With the kinds on the row as bits (bit i for TOPICS[i],
monitor.requests.vocab.TOPIC_BITS) and the bits in ix_help_requests_report, the report counts them in the same pass
over the index as every other breakdown. The rules' covering index gets the bits too, so that topics_outside and
outside_training read a week of the city from it alone, without the join to request_topics that grew with the years
of history on PostgreSQL. request_topics stays what the pages and the exports read.

Existing requests get their bits from request_topics here. A code the vocabulary does not know (none can be saved)
counts as "other", something else.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 20:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

# TOPICS as this revision stores them: the position of each code is its bit.
TOPICS = ("mental_health", "money", "addiction", "violence", "housing", "children", "other")
OTHER_BIT = 1 << TOPICS.index("other")

BEFORE = (
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
AFTER = (*BEFORE[:-1], "topic_mask", "id")
# The rules' covering index (migration 0010), which topics_outside and outside_training now read the bits from.
RULES_BEFORE = (
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
RULES_AFTER = (*RULES_BEFORE[:-1], "topic_mask", "id")
INDEXES = {
    "ix_help_requests_report": (BEFORE, AFTER),
    "ix_help_requests_person_date_cover": (RULES_BEFORE, RULES_AFTER),
}


def _backfill() -> None:
    """Each request's bits from its request_topics rows: one bit per code, so a sum of the distinct bits is their OR."""
    bits = " ".join(f"WHEN '{topic}' THEN {1 << position}" for position, topic in enumerate(TOPICS))
    op.execute(
        "UPDATE help_requests SET topic_mask = COALESCE(("
        f"SELECT SUM(DISTINCT CASE request_topics.topic {bits} ELSE {OTHER_BIT} END) FROM request_topics "
        "WHERE request_topics.request_id = help_requests.id), 0)"
    )


# No batch mode: on SQLite a batch that copies help_requests into a new table drops the old one, and with foreign keys
# on that deletes every request_topics row. Adding and dropping a column and its index are plain ALTER TABLE on both.
def upgrade() -> None:
    op.add_column("help_requests", sa.Column("topic_mask", sa.Integer(), server_default="0", nullable=False))
    _backfill()
    for index, (_before, after) in INDEXES.items():
        op.drop_index(index, table_name="help_requests")
        op.create_index(index, "help_requests", list(after), unique=False)


def downgrade() -> None:
    for index, (before, _after) in INDEXES.items():
        op.drop_index(index, table_name="help_requests")
        op.create_index(index, "help_requests", list(before), unique=False)
    op.drop_column("help_requests", "topic_mask")
