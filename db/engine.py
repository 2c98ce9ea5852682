"""The one engine factory. SQLite gets WAL, foreign keys, a busy timeout and BEGIN IMMEDIATE writes.

synchronous=FULL: with WAL, NORMAL may lose the last commits on a power cut (say an e-mail's "sent" mark, after
which it would be sent twice); FULL syncs the WAL on every commit. recursive_triggers=ON: INSERT OR REPLACE then
fires the DELETE triggers of the rows it replaces, so the ledger's append-only triggers refuse it too.
The pool is sized to the server's threads (Streamlit runs each session's script in its own thread, the scheduler adds
a few), and a unit of work that waits too long for a connection tries again instead of failing the person's save.
"""

from __future__ import annotations

import logging
import random
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 15_000
# Connections kept open (and at most that many again under a burst): enough for the server's threads, so a burst of
# saves waits on the database's own locks, not on the pool. PostgreSQL allows 100 connections by default.
POOL_SIZE = 20
POOL_OVERFLOW = 20
POOL_TIMEOUT_S = 10
CONNECT_ATTEMPTS = 5

logger = logging.getLogger(__name__)


def make_engine(url: str) -> Engine:
    """Create an engine for url; on SQLite, set the pragmas that make concurrent use safe."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(
            url, pool_pre_ping=True, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW, pool_timeout=POOL_TIMEOUT_S
        )

    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        pool_size=POOL_SIZE,
        max_overflow=POOL_OVERFLOW,
        pool_timeout=POOL_TIMEOUT_S,
    )

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
        if options.get("read_only", False):
            connection.exec_driver_sql("BEGIN DEFERRED")
        else:
            _begin_immediate(connection.connection.driver_connection)

    return engine


def _begin_immediate(dbapi_connection: sqlite3.Connection) -> None:
    """BEGIN IMMEDIATE, asking again every millisecond or so while another process writes, for busy_timeout at most.

    SQLite's own busy handler sleeps 1, 2, 5, 10 ... 100 ms between tries, so with a dozen processes saving at once
    the lock stood free most of the time while they slept. Short random waits hand it over within a millisecond.
    """
    (timeout_ms,) = dbapi_connection.execute("PRAGMA busy_timeout").fetchone()
    deadline = time.monotonic() + timeout_ms / 1000
    dbapi_connection.execute("PRAGMA busy_timeout=0")
    try:
        pause = 0.0002
        while True:
            try:
                dbapi_connection.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
            time.sleep(random.uniform(pause / 2, pause))  # noqa: S311 - spreading retries, not secrets
            pause = min(pause * 1.5, 0.005)
    finally:
        dbapi_connection.execute(f"PRAGMA busy_timeout={int(timeout_ms)}")


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    """The process-wide engine for url, created once."""
    return make_engine(url)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def connect(engine: Engine, attempts: int = CONNECT_ATTEMPTS) -> Connection:
    """A connection from the pool; a pool timeout (every connection busy) is retried, not passed on as a failure.

    Nothing has run yet when the pool times out, so trying again is always safe.
    """
    for attempt in range(1, attempts + 1):
        try:
            return engine.connect()
        except PoolTimeout:
            if attempt == attempts:
                raise
            logger.warning("every pooled connection was busy (attempt %d of %d); trying again", attempt, attempts)
            time.sleep(0.05 * attempt)
    raise AssertionError("unreachable")


@contextmanager
def unit_of_work(engine: Engine) -> Iterator[Session]:
    """One Session per unit of work that writes: commit on success, roll back on any error."""
    with _writer_turn(engine), connect(engine) as connection:
        session = _begun(connection)
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()


def _begun(connection: Connection, attempts: int = CONNECT_ATTEMPTS) -> Session:
    """A Session whose write transaction has begun; on SQLite, BEGIN IMMEDIATE is retried when another process held
    the write lock for longer than busy_timeout (nothing has run yet, so trying again is safe)."""
    for attempt in range(1, attempts + 1):
        session = Session(connection, expire_on_commit=False)
        try:
            session.begin()
            session.connection()  # BEGIN (IMMEDIATE on SQLite) now, not at the first statement
            return session
        except (OperationalError, sqlite3.OperationalError) as error:  # the second: raised by _begin_immediate
            session.close()
            if "database is locked" not in str(error) or attempt == attempts:
                raise
            logger.warning("the database stayed locked (attempt %d of %d); trying again", attempt, attempts)
            time.sleep(0.05 * attempt)
    raise AssertionError("unreachable")


_writer_locks: dict[str, threading.RLock] = {}
_writer_locks_guard = threading.Lock()


@contextmanager
def _writer_turn(engine: Engine) -> Iterator[None]:
    """On SQLite, the threads of this process take turns to write, in the order they came.

    SQLite has one writer at a time anyway; a thread that finds the write lock taken sleeps in SQLite's busy handler
    in growing steps (up to 100 ms) and wakes late, so twenty threads saving at once wrote a fraction of what one
    could. Waiting on a Python lock hands the turn over at once. Other processes still wait on busy_timeout. The lock
    is re-entrant, so a unit of work opened inside another fails on SQLite's lock as before instead of hanging.
    """
    if engine.dialect.name != "sqlite":
        yield
        return
    key = str(engine.url)
    with _writer_locks_guard:
        lock = _writer_locks.setdefault(key, threading.RLock())
    # Bounded: should a writer hang, the others go on to SQLite's own busy wait instead of waiting forever.
    turn = lock.acquire(timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
    try:
        yield
    finally:
        if turn:
            lock.release()


@contextmanager
def reading(engine: Engine) -> Iterator[Session]:
    """A Session for reads only; on SQLite it does not take the write lock."""
    readonly = engine.execution_options(read_only=True)
    with connect(readonly) as connection, Session(connection, expire_on_commit=False) as session, session.begin():
        yield session
