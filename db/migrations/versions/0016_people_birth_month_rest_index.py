"""people.birth_month, and the request's time in the rules' covering index (issue 30)

A person's age, as the month they were born in (its first day; the day is not needed), set by an administrator or a
leader of their team: the rule for volunteers under 18 at night reads it, and "under 21" for the volunteer allowance
follows from it. Until now only the month a coproducer turns 21 was kept, on their allowance agreement
(allowance_agreements.under_21_until); it gives the birth month (21 years before), which fills birth_month here. The
old column stays, unread and unwritten.

The rule for the rest between two days needs the minute a request came, not only its local hour: received_at joins
ix_help_requests_person_date_cover, so that the rules still read their windows from the index alone.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 21:00:00
"""

from datetime import date

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

INDEX = "ix_help_requests_person_date_cover"
BEFORE = (
    "person_id",
    "local_date",
    "deleted_at",
    "minutes",
    "outside_hours",
    "is_night",
    "beyond_role",
    "local_weekday",
    "local_hour",
    "topic_mask",
    "id",
)
AFTER = (*BEFORE[:-1], "received_at", "id")
YEARS_TO_21 = 21


def _years_before(month: date, years: int) -> date:
    return date(month.year - years, month.month, 1)


def _fill_birth_months() -> None:
    """Each person's birth month from the latest allowance agreement that knew when they turn 21."""
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "SELECT person_id, under_21_until FROM allowance_agreements "
            "WHERE under_21_until IS NOT NULL ORDER BY person_id, valid_from"
        )
    ).all()
    turns_21: dict[int, date] = {}
    for person_id, until in rows:
        turns_21[person_id] = until if isinstance(until, date) else date.fromisoformat(str(until)[:10])
    for person_id, until in turns_21.items():
        connection.execute(
            sa.text("UPDATE people SET birth_month = :born WHERE id = :id"),
            {"born": _years_before(until, YEARS_TO_21), "id": person_id},
        )


# No batch mode (see 0014): adding and dropping a column and an index are plain ALTER TABLE on both databases.
def upgrade() -> None:
    op.add_column("people", sa.Column("birth_month", sa.Date(), nullable=True))
    _fill_birth_months()
    op.drop_index(INDEX, table_name="help_requests")
    op.create_index(INDEX, "help_requests", list(AFTER), unique=False)


def downgrade() -> None:
    op.drop_index(INDEX, table_name="help_requests")
    op.create_index(INDEX, "help_requests", list(BEFORE), unique=False)
    connection = op.get_bind()
    # What the allowance check read before: the month they turn 21, on every agreement of someone whose age is known.
    for person_id, born in connection.execute(
        sa.text("SELECT id, birth_month FROM people WHERE birth_month IS NOT NULL")
    ).all():
        born = born if isinstance(born, date) else date.fromisoformat(str(born)[:10])
        connection.execute(
            sa.text("UPDATE allowance_agreements SET under_21_until = :until WHERE person_id = :id"),
            {"until": date(born.year + YEARS_TO_21, born.month, 1), "id": person_id},
        )
    op.drop_column("people", "birth_month")
