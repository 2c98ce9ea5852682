"""help_requests.client_id: the idempotency key a phone gives a request, so that sending it again stores it once

The offline quick-log keeps a request on the phone until it arrives and may send it more than once (a connection that
dropped before the answer came). The phone makes a UUID per request; the server stores at most one request per
client_id and answers a repeat with the request it stored. Nullable: requests logged in the page, imported or made
by the demo have none. Unique through a unique index, which both databases add with a plain statement (SQLite's
ALTER TABLE cannot add a UNIQUE column, and a batch migration would copy help_requests and, with foreign keys on,
drop the rows referring to it; see migration 0014).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 20:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("help_requests", sa.Column("client_id", sa.String(length=36), nullable=True))
    op.create_index("ix_help_requests_client_id", "help_requests", ["client_id"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_help_requests_client_id", table_name="help_requests")
    op.drop_column("help_requests", "client_id")
