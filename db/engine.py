"""The one engine factory. SQLite gets WAL, foreign keys, a busy timeout and BEGIN IMMEDIATE writes.

synchronous=FULL: with WAL, NORMAL may lose the last commits on a power cut (say an e-mail's "sent" mark, after
which it would be sent twice); FULL syncs the WAL on every commit. recursive_triggers=ON: INSERT OR REPLACE then
fires the DELETE triggers of the rows it replaces, so the ledger's append-only triggers refuse it too.
The pool is sized to the server's threads (Streamlit runs each session's script in its own thread, the scheduler adds
a few), and a unit of work that waits too long for a connection tries again instead of failing the person's save.
On SQLite the threads of one process write in turns (_writers_turn): SQLite's own busy wait sleeps 1 to 100 ms
between tries, so twenty threads saving at once starved each other past busy_timeout (README "How fast").
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 15_000
# Connections kept open (and at most that many again under a burst): enough for the server's threads, so a burst of
# saves waits on the database's own locks, not on the pool. PostgreSQL allows 100 connections by default.
POOL_SIZE = 20
POOL_OVERFLOW = 20
POOL_TIMEOUT_S = 10
CONNECT_ATTEMPTS = 5
# A pooled PostgreSQL connection unused for longer than this is pinged before it is handed out (_ping_when_idle).
PING_AFTER_IDLE_S = 1.0

logger = logging.getLogger(__name__)
Pooled = TypeVar("Pooled")
Began = TypeVar("Began")


def make_engine(url: str) -> Engine:
    """Create an engine for url; on SQLite, set the pragmas that make concurrent use safe."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        server = create_engine(url, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW, pool_timeout=POOL_TIMEOUT_S)
        _ping_when_idle(server)
        return server

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
        # On the driver's connection: a statement of SQLAlchemy's would run its events and its work per statement.
        begin = "BEGIN DEFERRED" if options.get("read_only", False) else "BEGIN IMMEDIATE"
        connection.connection.driver_connection.execute(begin)

    return engine


def _ping_when_idle(engine: Engine) -> None:
    """Before a pooled connection is handed out, check that the server still answers, if it lay unused for more than
    PING_AFTER_IDLE_S: a restarted or failed-over server leaves dead connections in the pool, and the ping replaces
    them (DisconnectionError makes the pool connect anew) instead of failing someone's save.

    SQLAlchemy's pool_pre_ping pings at every checkout, a round trip in each of a save's few; a connection handed back
    a moment ago has just answered. A server outage lasts longer than that, so the connections it broke are pinged.
    """

    @event.listens_for(engine, "checkin")
    def _handed_back(_dbapi_connection, record) -> None:  # type: ignore[no-untyped-def]
        if record is not None:
            record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _handed_out(dbapi_connection, record, _proxy) -> None:  # type: ignore[no-untyped-def]
        returned_at = record.info.get("returned_at")
        if returned_at is None or time.monotonic() - returned_at <= PING_AFTER_IDLE_S:
            return  # new (it has just connected), or used a moment ago
        try:
            engine.dialect.do_ping(dbapi_connection)  # the ping pool_pre_ping sends
        except Exception as error:
            logger.warning("a pooled connection no longer answered (%s); connecting anew", type(error).__name__)
            raise DisconnectionError() from error


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
    return _from_the_pool(engine.connect, attempts)


def _from_the_pool(take: Callable[[], Pooled], attempts: int = CONNECT_ATTEMPTS) -> Pooled:
    for attempt in range(1, attempts + 1):
        try:
            return take()
        except PoolTimeout:
            if attempt == attempts:
                raise
            logger.warning("every pooled connection was busy (attempt %d of %d); trying again", attempt, attempts)
            time.sleep(0.05 * attempt)
    raise AssertionError("unreachable")


@contextmanager
def unit_of_work(engine: Engine) -> Iterator[Session]:
    """One Session per unit of work that writes: commit on success, roll back on any error."""
    with _writers_turn(engine), connect(engine) as connection:
        session = _while_locked(lambda: _begun(connection))
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()


@contextmanager
def rolled_back(engine: Engine) -> Iterator[Session]:
    """A unit of work whose changes are all undone at its end: a dry run that reads what it wrote (an evaluation at a
    past moment, which tells what it would open and resolve) and leaves the database as it was."""
    with _writers_turn(engine), connect(engine) as connection:
        session = _while_locked(lambda: _begun(connection))
        try:
            yield session
        finally:
            session.rollback()
            session.close()


def _begun(connection: Connection) -> Session:
    """A Session whose write transaction has begun (BEGIN IMMEDIATE on SQLite now, not at the first statement)."""
    session = Session(connection, expire_on_commit=False)
    try:
        session.begin()
        session.connection()
    except BaseException:
        session.close()
        raise
    return session


def _while_locked(begin: Callable[[], Began], attempts: int = CONNECT_ATTEMPTS) -> Began:
    """begin(), tried again when another program held SQLite's write lock for longer than busy_timeout (nothing has
    run yet, so trying again is safe)."""
    for attempt in range(1, attempts + 1):
        try:
            return begin()
        except OperationalError as error:
            if "database is locked" not in str(error) or attempt == attempts:
                raise
            logger.warning("the database stayed locked (attempt %d of %d); trying again", attempt, attempts)
            time.sleep(0.05 * attempt)
    raise AssertionError("unreachable")


_turns: weakref.WeakKeyDictionary[Engine, threading.RLock] = weakref.WeakKeyDictionary()
_turns_guard = threading.Lock()


@contextmanager
def _writers_turn(engine: Engine) -> Iterator[None]:
    """On SQLite, this process's writers take turns on a lock, handed to the next waiter the moment it is let go;
    other processes (the worker, the sqlite3 shell, a backup) still meet SQLite's own lock and busy_timeout.

    Re-entrant, so a unit of work opened inside another fails on SQLite's lock as before instead of hanging; bounded,
    so should a writer hang, the others go on to SQLite's own busy wait instead of waiting forever.
    """
    if engine.dialect.name != "sqlite":
        yield
        return
    with _turns_guard:
        turn = _turns.setdefault(engine, threading.RLock())
    mine = turn.acquire(timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
    try:
        yield
    finally:
        if mine:
            turn.release()


@contextmanager
def reading(engine: Engine) -> Iterator[Session]:
    """A Session for reads only; on SQLite it does not take the write lock."""
    readonly = engine.execution_options(read_only=True)
    with connect(readonly) as connection, Session(connection, expire_on_commit=False) as session, session.begin():
        yield session
