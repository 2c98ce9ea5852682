"""allowance_agreements.under_21_until removed: a person's age lives on the person (issue 30)

Migration 0016 moved the month a coproducer turns 21 to people.birth_month, and nothing has read or written the old
column since. Keeping it would keep a second, stale copy of an age. The downgrade adds it back and fills it from the
birth month, as it was read before 0016.

Revision ID: 0021
Revises: 0019
Create Date: 2026-12-08 00:30:00
"""

from datetime import date

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0019"
branch_labels = None
depends_on = None

YEARS_TO_21 = 21


# No batch mode (see 0014): the column is in no index, constraint or trigger, so a plain ALTER TABLE drops it on both.
def upgrade() -> None:
    op.drop_column("allowance_agreements", "under_21_until")


def downgrade() -> None:
    op.add_column("allowance_agreements", sa.Column("under_21_until", sa.Date(), nullable=True))
    connection = op.get_bind()
    for person_id, born in connection.execute(
        sa.text("SELECT id, birth_month FROM people WHERE birth_month IS NOT NULL")
    ).all():
        born = born if isinstance(born, date) else date.fromisoformat(str(born)[:10])
        connection.execute(
            sa.text("UPDATE allowance_agreements SET under_21_until = :until WHERE person_id = :id"),
            {"until": date(born.year + YEARS_TO_21, born.month, 1), "id": person_id},
        )
