"""check-up answers kept only as counts per round, statement and score (issue 27)

Until now each set of answers was a row of checkup_responses (a random id, no person, no time) with its 26 rows of
checkup_answers. Someone with the database could still line them up with checkup_participants: on SQLite both tables
are read back in the order they were written (rowid), and on PostgreSQL the participant and the response written in
one transaction carry the same transaction id (xmin). Ordered that way, 4 of 4 people were linked to their answers.

checkup_tallies keeps, per round, statement and score, how many gave that score: no row stands for one person. The
existing answers are counted into it and the two old tables dropped. Every round gets all 26 x 5 rows (zero where
nobody gave that score), as a new round does when it opens.

The downgrade brings the old tables back but cannot bring back who answered what together (that is the point): it
writes one response per respondent with the right count of each score per statement, which gives the same scores.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-08 00:40:00
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

ITEMS = range(1, 27)
SCALE = (0, 25, 50, 75, 100)


def _create_old_tables() -> None:
    op.create_table(
        "checkup_responses",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["checkup_rounds.id"],
            name=op.f("fk_checkup_responses_round_id_checkup_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkup_responses")),
    )
    op.create_index("ix_checkup_responses_round", "checkup_responses", ["round_id"], unique=False)
    op.create_table(
        "checkup_answers",
        sa.Column("response_id", sa.String(length=32), nullable=False),
        sa.Column("item", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.CheckConstraint("score IN (0, 25, 50, 75, 100)", name=op.f("ck_checkup_answers_score_on_scale")),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["checkup_responses.id"],
            name=op.f("fk_checkup_answers_response_id_checkup_responses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("response_id", "item", name=op.f("pk_checkup_answers")),
    )


def upgrade() -> None:
    op.create_table(
        "checkup_tallies",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.CheckConstraint("score IN (0, 25, 50, 75, 100)", name=op.f("ck_checkup_tallies_score_on_scale")),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["checkup_rounds.id"],
            name=op.f("fk_checkup_tallies_round_id_checkup_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("round_id", "item", "score", name=op.f("pk_checkup_tallies")),
    )
    connection = op.get_bind()
    counts = {
        (round_id, item, score): count
        for round_id, item, score, count in connection.execute(
            sa.text(
                "SELECT r.round_id, a.item, a.score, COUNT(*) FROM checkup_answers a "
                "JOIN checkup_responses r ON r.id = a.response_id GROUP BY r.round_id, a.item, a.score"
            )
        )
    }
    round_ids = connection.execute(sa.text("SELECT id FROM checkup_rounds")).scalars().all()
    rows = [
        {"round_id": round_id, "item": item, "score": score, "count": counts.get((round_id, item, score), 0)}
        for round_id in round_ids
        for item in ITEMS
        for score in SCALE
    ]
    if rows:
        connection.execute(
            sa.text(
                "INSERT INTO checkup_tallies (round_id, item, score, count) VALUES (:round_id, :item, :score, :count)"
            ),
            rows,
        )
    op.drop_table("checkup_answers")
    op.drop_index("ix_checkup_responses_round", table_name="checkup_responses")
    op.drop_table("checkup_responses")


def downgrade() -> None:
    _create_old_tables()
    connection = op.get_bind()
    tallies: dict[int, dict[int, list[int]]] = {}
    for round_id, item, score, count in connection.execute(
        sa.text("SELECT round_id, item, score, count FROM checkup_tallies ORDER BY round_id, item, score")
    ):
        tallies.setdefault(round_id, {}).setdefault(item, []).extend([score] * count)
    for round_id, items in tallies.items():
        respondents = max((len(scores) for scores in items.values()), default=0)
        ids = [secrets.token_hex(16) for _ in range(respondents)]
        if ids:
            connection.execute(
                sa.text("INSERT INTO checkup_responses (id, round_id) VALUES (:id, :round_id)"),
                [{"id": response_id, "round_id": round_id} for response_id in ids],
            )
        answers = [
            {"response_id": ids[n], "item": item, "score": score}
            for item, scores in items.items()
            for n, score in enumerate(scores)
        ]
        if answers:
            connection.execute(
                sa.text("INSERT INTO checkup_answers (response_id, item, score) VALUES (:response_id, :item, :score)"),
                answers,
            )
    op.drop_table("checkup_tallies")
