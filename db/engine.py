"""The one engine factory. SQLite gets WAL, foreign keys, a busy timeout and BEGIN IMMEDIATE writes.

synchronous=FULL: with WAL, NORMAL may lose the last commits on a power cut (say an e-mail's "sent" mark, after
which it would be sent twice); FULL syncs the WAL on every commit. recursive_triggers=ON: INSERT OR REPLACE then
fires the DELETE triggers of the rows it replaces, so the ledger's append-only triggers refuse it too.
The pool is sized to the server's threads (Streamlit runs each session's script in its own thread, the scheduler adds
a few), and a unit of work that waits too long for a connection tries again instead of failing the person's save.
On SQLite the app's writers take turns: threads on a lock in the process, processes on a file lock beside the
database (`<file>-writer.lock`), so a writer waiting for its turn sleeps instead of asking SQLite again and again.
A save on SQLite writes on the driver's own connection (driver_writing, with db.direct's statements) in that turn.
"""

from __future__ import annotations

import logging
import os
import random
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO, TypeVar

try:
    import fcntl
except ImportError:  # not on Windows: the processes there meet SQLite's own lock, as before
    fcntl = None  # type: ignore[assignment]

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError, OperationalError
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
Read = TypeVar("Read")


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
        if options.get("read_only", False):
            connection.exec_driver_sql("BEGIN DEFERRED")
        elif _turn_for(engine).held_here():
            # The app's other writers wait for the turn this thread holds: the lock is free but for other programs,
            # for which SQLite's own busy wait will do.
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            _begin_immediate(connection.connection.driver_connection)

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
    with _writer_turn(engine), connect(engine) as connection:
        session = _while_locked(lambda: _begun(connection))
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
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
        except (OperationalError, sqlite3.OperationalError) as error:  # the second: raised by _begin_immediate
            if "database is locked" not in str(error) or attempt == attempts:
                raise
            logger.warning("the database stayed locked (attempt %d of %d); trying again", attempt, attempts)
            time.sleep(0.05 * attempt)
    raise AssertionError("unreachable")


@contextmanager
def driver_writing(engine: Engine) -> Iterator[sqlite3.Cursor]:
    """unit_of_work on SQLite's own connection (the sqlite3 module), for statements of db.direct: the same writers'
    turn, BEGIN IMMEDIATE, COMMIT, or ROLLBACK on any error; the driver's errors are raised as SQLAlchemy's (say
    IntegrityError), which callers and monitor.errors know."""
    with _writer_turn(engine):
        pooled = _from_the_pool(engine.raw_connection)
        try:
            connection: sqlite3.Connection = pooled.driver_connection  # type: ignore[assignment]
            cursor = connection.cursor()
            try:
                _while_locked(lambda: _begin_on_driver(engine, connection))
                yield cursor
                cursor.execute("COMMIT")
            except BaseException as error:
                try:
                    if connection.in_transaction:
                        connection.execute("ROLLBACK")
                except sqlite3.Error:
                    pooled.invalidate()  # a connection that cannot roll back is not handed out again
                if isinstance(error, sqlite3.Error):
                    raise _as_sqlalchemy(error) from error
                raise
            finally:
                cursor.close()
        finally:
            pooled.close()


def driver_reading(engine: Engine, read: Callable[[sqlite3.Cursor], Read]) -> Read:
    """read(cursor) on SQLite's own connection, outside a transaction (each SELECT is its own), as db.direct runs."""
    pooled = _from_the_pool(engine.raw_connection)
    try:
        cursor = pooled.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            return read(cursor)
        except sqlite3.Error as error:
            raise _as_sqlalchemy(error) from error
        finally:
            cursor.close()
    finally:
        pooled.close()


def _begin_on_driver(engine: Engine, connection: sqlite3.Connection) -> None:
    """BEGIN IMMEDIATE as the engine's begin event sends it for a unit of work."""
    if _turn_for(engine).held_here():
        connection.execute("BEGIN IMMEDIATE")
    else:
        _begin_immediate(connection)


def _as_sqlalchemy(error: sqlite3.Error) -> DBAPIError:
    return DBAPIError.instance(None, None, error, sqlite3.Error)  # type: ignore[arg-type]


class _WriterTurn:
    """The turn to write on one SQLite file: a re-entrant lock among this process's threads, then an OS file lock
    beside the database among the server's processes, taken by the outermost unit of work only."""

    def __init__(self, lock_path: str | None) -> None:
        self.threads = threading.RLock()
        self.lock_path = lock_path
        self.depth = 0
        self.file: BinaryIO | None = None
        self.holder: int | None = None  # the thread holding the file lock

    def held_here(self) -> bool:
        """Whether this thread holds the file lock, the turn of the app's every process."""
        return self.file is not None and self.holder == threading.get_ident()


_writer_turns: dict[str, _WriterTurn] = {}
_writer_turns_guard = threading.Lock()


def _turn_for(engine: Engine) -> _WriterTurn:
    """One turn per database file, however its URL is spelled (a unit of work inside another on a second engine of
    the same file must meet the re-entrant lock, not wait for its own file lock)."""
    database = engine.url.database
    on_disk = bool(database) and database != ":memory:" and not str(database).startswith("file:")
    key = os.path.realpath(str(database)) if on_disk else str(engine.url)
    with _writer_turns_guard:
        found = _writer_turns.get(key)
        if found is None:
            found = _writer_turns[key] = _WriterTurn(f"{key}-writer.lock" if on_disk and fcntl else None)
        return found


@contextmanager
def _writer_turn(engine: Engine) -> Iterator[None]:
    """On SQLite, the app's writers take turns, in the order they came: the threads of this process on a Python lock,
    the processes on a file lock beside the database.

    SQLite has one writer at a time anyway; a writer that finds the write lock taken polls for it (see
    _begin_immediate), waking late or burning the CPU that the lock's holder needs. Waiting on a lock the operating
    system hands over puts the waiter to sleep until it is its turn. Other programs writing to the file (the sqlite3
    shell, a backup) still meet SQLite's own lock and busy_timeout. The Python lock is re-entrant, so a unit of work
    opened inside another fails on SQLite's lock as before instead of hanging.
    """
    if engine.dialect.name != "sqlite":
        yield
        return
    turn = _turn_for(engine)
    # Bounded: should a writer hang, the others go on to SQLite's own busy wait instead of waiting forever.
    mine = turn.threads.acquire(timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
    try:
        if mine:
            turn.depth += 1
            if turn.depth == 1 and turn.lock_path:
                turn.file, turn.holder = _take_file_lock(turn.lock_path), threading.get_ident()
        yield
    finally:
        if mine:
            turn.depth -= 1
            if turn.depth == 0 and turn.file is not None:
                turn.file.close()  # closing the file lets go of the lock
                turn.file = turn.holder = None
            turn.threads.release()


def _take_file_lock(path: str) -> BinaryIO | None:
    """The file lock at path, waited for in the kernel, which wakes the next waiter when the holder lets go; None
    when the file cannot be opened (a folder that is missing or read-only), so that SQLite says what is wrong.

    There is no timeout: the lock is held for one unit of work, which also holds SQLite's write lock, so while a
    holder lasts nobody could write anyway; and the operating system lets go of it when its process ends."""
    try:
        file = open(path, "a+b")  # noqa: SIM115 - held open for the length of the unit of work: closing it lets go
    except OSError:
        return None
    try:
        fcntl.flock(file.fileno(), fcntl.LOCK_EX)
    except BaseException:
        file.close()
        raise
    return file


@contextmanager
def reading(engine: Engine) -> Iterator[Session]:
    """A Session for reads only; on SQLite it does not take the write lock."""
    readonly = engine.execution_options(read_only=True)
    with connect(readonly) as connection, Session(connection, expire_on_commit=False) as session, session.begin():
        yield session
