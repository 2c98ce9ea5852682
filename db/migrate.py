"""Applies Alembic migrations programmatically, so that `monitor migrate` needs no alembic.ini."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Where a migration that encrypts or decrypts data (0012, the WHO-5 answers) finds the notes' keys, newest first.
KEYS_ATTRIBUTE = "notes_keys"


class KeysNeeded(RuntimeError):
    """A migration must encrypt or decrypt rows and was given no key; nothing was changed."""


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(engine: Engine, revision: str = "heads", keys: list[str] | None = None) -> None:
    """Bring the schema up to revision on engine (all heads by default, so parallel branches both apply).

    keys are the notes' keys (monitor/checkins/crypto.py), for migrations that encrypt existing rows; the database
    layer does not read the configuration, so the caller passes them.
    """
    _run(engine, keys, lambda cfg: command.upgrade(cfg, revision))


def downgrade(engine: Engine, revision: str, keys: list[str] | None = None) -> None:
    """Take the schema back to revision (for tests of a migration's data step, and for an operator undoing one)."""
    _run(engine, keys, lambda cfg: command.downgrade(cfg, revision))


class BrokenReferences(RuntimeError):
    """After a migration on SQLite, rows refer to rows that are not there; nothing was changed."""


def _run(engine: Engine, keys: list[str] | None, step: Callable[[Config], None]) -> None:
    """Run step in one transaction. On SQLite, with foreign keys off while it runs: a batch migration copies a table
    into a new one and drops the old, and with foreign keys on that DROP deletes every row referring to it (dropping
    a column of people emptied memberships). The references are checked before the commit instead."""
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.connect() as connection:
        cfg.attributes["connection"] = connection
        cfg.attributes[KEYS_ATTRIBUTE] = list(keys or [])
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:  # before the transaction begins: inside one, SQLite ignores the pragma
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        try:
            step(cfg)
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                if broken:
                    raise BrokenReferences(f"rows refer to rows that are not there: {broken[:5]}")
            connection.commit()
        except BaseException:
            connection.rollback()  # now, so that the pragma below runs outside the transaction
            raise
        finally:
            if sqlite:  # the pool's connection checks references again
                connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")


def is_current(engine: Engine) -> bool:
    """True when the database is at the newest migration."""
    script = ScriptDirectory.from_config(alembic_config(str(engine.url)))
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_heads()
    return set(current) == set(script.get_heads())
