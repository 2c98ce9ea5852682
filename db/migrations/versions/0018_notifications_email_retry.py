"""notifications.email_attempts and email_retry_at: an e-mail the mail server never accepted is tried again by itself

A connection cut before the end of the message was sent, or a server that answers "try later" (4xx), leaves the
e-mail undelivered for certain, so it goes back to the queue with a later moment to try (email_retry_at) and a count
of tries (email_attempts) that stops the retries after `[email] retry_minutes`. Only a cut after the whole message was
sent, when it may have been delivered, still waits for an administrator (issue 32).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-08 00:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "notifications", sa.Column("email_attempts", sa.Integer(), nullable=False, server_default=sa.text("0"))
    )
    op.add_column("notifications", sa.Column("email_retry_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("notifications", "email_retry_at")
    op.drop_column("notifications", "email_attempts")
