"""The one engine factory. SQLite gets WAL, foreign keys, a busy timeout and BEGIN IMMEDIATE writes.

synchronous=FULL: with WAL, NORMAL may lose the last commits on a power cut (say an e-mail's "sent" mark, after
which it would be sent twice); FULL syncs the WAL on every commit. recursive_triggers=ON: INSERT OR REPLACE then
fires the DELETE triggers of the rows it replaces, so the ledger's append-only triggers refuse it too.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 15_000


def make_engine(url: str) -> Engine:
    """Create an engine for url; on SQLite, set the pragmas that make concurrent use safe."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, future=True)

    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        # Hand transaction control to SQLAlchemy's begin event below (the pysqlite driver
        # would otherwise issue its own deferred BEGIN).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA recursive_triggers=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):  # type: ignore[no-untyped-def]
        # A writer takes the write lock up front, so concurrent writers wait on busy_timeout
        # instead of failing half-way; readers (WAL) need no lock and start deferred.
        options = connection.get_execution_options()
        if options.get("isolation_level") == "AUTOCOMMIT":
            return  # e.g. PRAGMA wal_checkpoint or VACUUM, which cannot run inside a transaction
        connection.exec_driver_sql("BEGIN DEFERRED" if options.get("read_only", False) else "BEGIN IMMEDIATE")

    return engine


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    """The process-wide engine for url, created once."""
    return make_engine(url)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def unit_of_work(engine: Engine) -> Iterator[Session]:
    """One Session per unit of work that writes: commit on success, roll back on any error."""
    with session_factory(engine)() as session, session.begin():
        yield session


@contextmanager
def reading(engine: Engine) -> Iterator[Session]:
    """A Session for reads only; on SQLite it does not take the write lock."""
    with session_factory(engine.execution_options(read_only=True))() as session, session.begin():
        yield session
