"""checkins, notes, calendar feeds, wellbeing

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_feeds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_calendar_feeds_person_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_feeds")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_calendar_feeds_token_hash")),
    )
    with op.batch_alter_table("calendar_feeds", schema=None) as batch_op:
        batch_op.create_index("ix_calendar_feeds_person", ["person_id", "revoked_at"], unique=False)

    op.create_table(
        "checkins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("urgency", sa.Integer(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("counsellor_id", sa.Integer(), nullable=True),
        sa.Column("scheduled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("minutes", sa.Integer(), nullable=True),
        sa.Column("mode", sa.String(length=10), nullable=True),
        sa.Column("place", sa.String(length=200), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("follow_up_on", sa.Date(), nullable=True),
        sa.Column("follow_up_prompted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminder_sent_for", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('prompted', 'requested', 'scheduled', 'done', 'cancelled', 'no_show')",
            name=op.f("ck_checkins_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["counsellor_id"], ["people.id"], name=op.f("fk_checkins_counsellor_id_people"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_checkins_person_id_people"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name=op.f("fk_checkins_team_id_teams"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkins")),
    )
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.create_index("ix_checkins_counsellor_scheduled", ["counsellor_id", "scheduled_at"], unique=False)
        batch_op.create_index("ix_checkins_status_scheduled", ["status", "scheduled_at"], unique=False)
        batch_op.create_index(
            "uq_checkins_one_open_per_person",
            ["person_id"],
            unique=True,
            sqlite_where=sa.text("status IN ('prompted', 'requested', 'scheduled')"),
            postgresql_where=sa.text("status IN ('prompted', 'requested', 'scheduled')"),
        )

    op.create_table(
        "wellbeing_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("item1", sa.Integer(), nullable=False),
        sa.Column("item2", sa.Integer(), nullable=False),
        sa.Column("item3", sa.Integer(), nullable=False),
        sa.Column("item4", sa.Integer(), nullable=False),
        sa.Column("item5", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.CheckConstraint("score BETWEEN 0 AND 100", name=op.f("ck_wellbeing_answers_score_range")),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_wellbeing_answers_person_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wellbeing_answers")),
    )
    with op.batch_alter_table("wellbeing_answers", schema=None) as batch_op:
        batch_op.create_index("ix_wellbeing_answers_person_at", ["person_id", "answered_at"], unique=False)

    op.create_table(
        "wellbeing_preferences",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("share_with_counsellor", sa.Boolean(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("pulse_skipped_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_wellbeing_preferences_person_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_wellbeing_preferences")),
    )
    op.create_table(
        "checkin_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("checkin_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("ciphertext", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["people.id"], name=op.f("fk_checkin_notes_author_id_people"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["checkin_id"], ["checkins.id"], name=op.f("fk_checkin_notes_checkin_id_checkins"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkin_notes")),
    )
    with op.batch_alter_table("checkin_notes", schema=None) as batch_op:
        batch_op.create_index("ix_checkin_notes_checkin", ["checkin_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("checkin_notes", schema=None) as batch_op:
        batch_op.drop_index("ix_checkin_notes_checkin")

    op.drop_table("checkin_notes")
    op.drop_table("wellbeing_preferences")
    with op.batch_alter_table("wellbeing_answers", schema=None) as batch_op:
        batch_op.drop_index("ix_wellbeing_answers_person_at")

    op.drop_table("wellbeing_answers")
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_checkins_one_open_per_person",
            sqlite_where=sa.text("status IN ('prompted', 'requested', 'scheduled')"),
            postgresql_where=sa.text("status IN ('prompted', 'requested', 'scheduled')"),
        )
        batch_op.drop_index("ix_checkins_status_scheduled")
        batch_op.drop_index("ix_checkins_counsellor_scheduled")

    op.drop_table("checkins")
    with op.batch_alter_table("calendar_feeds", schema=None) as batch_op:
        batch_op.drop_index("ix_calendar_feeds_person")

    op.drop_table("calendar_feeds")
