"""the money records carry a hash chain (issue 32)

payments.chain_hash and fund_entries.chain_hash: SHA-256 over the previous entry's hash and this entry's fields
(db/ledger_chain.py), filled here for the rows already there, in id order. The append-only triggers are lifted for
that one UPDATE and put back in the same transaction. From now on an entry without a 64-character hash is refused: on
PostgreSQL by NOT NULL (the app writes the hash; a forged one is found by `monitor ledger verify`), on SQLite, where a
column cannot be made NOT NULL in place, by a BEFORE INSERT trigger, which also holds for a plain sqlite3 connection.

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

from db.ledger_chain import FIELDS, GENESIS, MODELS, link

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def _fill(table: str) -> int:
    """Link every existing row of table, oldest id first; returns how many."""
    connection = op.get_bind()
    model = MODELS[table]
    columns = [getattr(model, name) for name in FIELDS[table]]
    previous, done = GENESIS, 0
    for row in connection.execute(sa.select(*columns).order_by(model.id)).all():
        previous = link(previous, table, list(row))
        connection.execute(sa.update(model.__table__).where(model.id == row[0]).values(chain_hash=previous))
        done += 1
    return done


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in FIELDS:
        message = f"{table} is append-only: correct a mistake with a reversing entry"
        if postgres:
            op.add_column(table, sa.Column("chain_hash", sa.String(length=64), nullable=True))
            op.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only")
            _fill(table)
            op.execute(f"ALTER TABLE {table} ENABLE TRIGGER {table}_append_only")
            op.alter_column(table, "chain_hash", nullable=False)
        else:
            op.execute(f"ALTER TABLE {table} ADD COLUMN chain_hash VARCHAR(64) NOT NULL DEFAULT ''")
            op.execute(f"DROP TRIGGER {table}_no_update")
            _fill(table)
            op.execute(
                f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} BEGIN SELECT RAISE(ABORT, '{message}'); END"
            )
            op.execute(
                f"CREATE TRIGGER {table}_chained BEFORE INSERT ON {table} "
                "WHEN NEW.chain_hash IS NULL OR length(NEW.chain_hash) <> 64 "
                f"BEGIN SELECT RAISE(ABORT, '{table}: an entry needs its chain hash; record it through the app'); END"
            )


def downgrade() -> None:
    for table in FIELDS:
        if op.get_bind().dialect.name != "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_chained")
        op.execute(f"ALTER TABLE {table} DROP COLUMN chain_hash")
