"""the ledger refuses REPLACE (SQLite) and TRUNCATE (PostgreSQL) too (issue 14)

0005's triggers refuse UPDATE and DELETE. Two ways around them remained: on SQLite, INSERT OR REPLACE with an
existing id deletes the old row without firing DELETE triggers (unless recursive_triggers is on, which only our own
engine sets); on PostgreSQL, TRUNCATE fires no row triggers. So: a SQLite BEFORE INSERT trigger refuses an id that
exists (it fires before REPLACE resolves the conflict, on every connection), and a PostgreSQL BEFORE TRUNCATE
statement trigger refuses TRUNCATE.

Revision ID: 0006
Revises: 0004, 0005
"""

from alembic import op

revision = "0006"
down_revision = ("0004", "0005")
branch_labels = None
depends_on = None

APPEND_ONLY = ("payments", "fund_entries")


def upgrade() -> None:
    for table in APPEND_ONLY:
        message = f"{table} is append-only: correct a mistake with a reversing entry"
        if op.get_bind().dialect.name == "postgresql":
            op.execute(
                f"CREATE FUNCTION {table}_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN RAISE EXCEPTION '{message}'; END $$"
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_no_truncate()"
            )
        else:
            op.execute(
                f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} "
                f"WHEN EXISTS (SELECT 1 FROM {table} WHERE id = NEW.id) "
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
            )


def downgrade() -> None:
    for table in APPEND_ONLY:
        if op.get_bind().dialect.name == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {table}_no_truncate()")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_replace")
