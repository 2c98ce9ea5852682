"""collaboration check-up: rounds, participants, anonymous responses and answers, one-time partner invites (issue 16)

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 08:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "checkup_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_by", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["opened_by"], ["people.id"], name=op.f("fk_checkup_rounds_opened_by_people"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_checkup_rounds_team_id_teams"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkup_rounds")),
    )
    op.create_index("ix_checkup_rounds_team_opened", "checkup_rounds", ["team_id", "opened_at"], unique=False)
    op.create_table(
        "checkup_participants",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_checkup_participants_person_id_people"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["checkup_rounds.id"],
            name=op.f("fk_checkup_participants_round_id_checkup_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("round_id", "person_id", name=op.f("pk_checkup_participants")),
    )
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
    op.create_table(
        "checkup_invites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("used", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["checkup_rounds.id"],
            name=op.f("fk_checkup_invites_round_id_checkup_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkup_invites")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_checkup_invites_token_hash")),
    )
    op.create_index("ix_checkup_invites_round", "checkup_invites", ["round_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_checkup_invites_round", table_name="checkup_invites")
    op.drop_table("checkup_invites")
    op.drop_table("checkup_answers")
    op.drop_index("ix_checkup_responses_round", table_name="checkup_responses")
    op.drop_table("checkup_responses")
    op.drop_table("checkup_participants")
    op.drop_index("ix_checkup_rounds_team_opened", table_name="checkup_rounds")
    op.drop_table("checkup_rounds")
