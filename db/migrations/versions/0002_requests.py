"""requests, topics, audit trail, demarcations

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 09:33:23.195077
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "demarcations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("hours_per_week", sa.Float(), nullable=False),
        sa.Column("max_outside_requests_per_week", sa.Integer(), nullable=False),
        sa.Column("max_night_requests_per_week", sa.Integer(), nullable=False),
        sa.Column("topics", sa.Text(), nullable=False),
        sa.Column("availability", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"], ["people.id"], name=op.f("fk_demarcations_created_by_people"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_demarcations_person_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_demarcations")),
        sa.UniqueConstraint("person_id", "valid_from", name=op.f("uq_demarcations_person_id_valid_from")),
    )
    op.create_table(
        "help_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("local_weekday", sa.Integer(), nullable=False),
        sa.Column("local_hour", sa.Integer(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=True),
        sa.Column("beyond_role", sa.Boolean(), nullable=False),
        sa.Column("referred_to", sa.String(length=30), nullable=True),
        sa.Column("note", sa.String(length=280), nullable=True),
        sa.Column("outside_hours", sa.Boolean(), nullable=False),
        sa.Column("outside_reason", sa.String(length=20), nullable=True),
        sa.Column("is_night", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("minutes > 0", name=op.f("ck_help_requests_minutes_positive")),
        sa.ForeignKeyConstraint(
            ["created_by"], ["people.id"], name=op.f("fk_help_requests_created_by_people"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_help_requests_person_id_people"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_help_requests_team_id_teams"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_help_requests")),
    )
    with op.batch_alter_table("help_requests", schema=None) as batch_op:
        batch_op.create_index("ix_help_requests_person_date", ["person_id", "local_date"], unique=False)
        batch_op.create_index("ix_help_requests_team_date", ["team_id", "local_date"], unique=False)

    op.create_table(
        "request_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("after", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["people.id"], name=op.f("fk_request_changes_actor_id_people"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["help_requests.id"],
            name=op.f("fk_request_changes_request_id_help_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request_changes")),
    )
    with op.batch_alter_table("request_changes", schema=None) as batch_op:
        batch_op.create_index("ix_request_changes_request", ["request_id", "at"], unique=False)

    op.create_table(
        "request_topics",
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["help_requests.id"],
            name=op.f("fk_request_topics_request_id_help_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("request_id", "topic", name=op.f("pk_request_topics")),
    )
    with op.batch_alter_table("request_topics", schema=None) as batch_op:
        batch_op.create_index("ix_request_topics_topic", ["topic"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("request_topics", schema=None) as batch_op:
        batch_op.drop_index("ix_request_topics_topic")

    op.drop_table("request_topics")
    with op.batch_alter_table("request_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_request_changes_request")

    op.drop_table("request_changes")
    with op.batch_alter_table("help_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_help_requests_team_date")
        batch_op.drop_index("ix_help_requests_person_date")

    op.drop_table("help_requests")
    op.drop_table("demarcations")
