"""db.engine, db.models and db.migrate: SQLite pragmas and locking, UTC datetimes, foreign keys, migrations."""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError, StatementError

from db.engine import SQLITE_BUSY_TIMEOUT_MS, engine_for, make_engine, reading, unit_of_work
from db.migrate import is_current, upgrade
from db.models import AuditEvent, Membership, Person, Role, Team, UTCDateTime

# Every wait in these tests is bounded: a broken lock shows as a failure within seconds, never as a hang.
WAIT = 10.0


def sqlite_path(engine: Engine) -> str:
    database = engine.url.database
    assert database
    return database


def pragma(engine: Engine, name: str) -> object:
    with engine.connect() as connection:
        return connection.exec_driver_sql(f"PRAGMA {name}").scalar()


def audit_count(engine: Engine) -> int:
    with reading(engine) as session:
        return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


# --- SQLite pragmas ------------------------------------------------------------------------------------


def test_sqlite_connections_use_write_ahead_logging(sqlite_engine: Engine) -> None:
    assert pragma(sqlite_engine, "journal_mode") == "wal"


def test_sqlite_connections_enforce_foreign_keys(sqlite_engine: Engine) -> None:
    assert pragma(sqlite_engine, "foreign_keys") == 1


def test_sqlite_connections_wait_fifteen_seconds_for_a_lock(sqlite_engine: Engine) -> None:
    assert SQLITE_BUSY_TIMEOUT_MS == 15_000
    assert pragma(sqlite_engine, "busy_timeout") == 15_000


def test_sqlite_connections_use_full_synchronous_mode_and_recursive_triggers(sqlite_engine: Engine) -> None:
    assert pragma(sqlite_engine, "synchronous") == 2  # FULL: a power cut loses no commit
    assert pragma(sqlite_engine, "recursive_triggers") == 1  # REPLACE fires the ledger's DELETE triggers


def test_every_pooled_sqlite_connection_gets_the_pragmas(sqlite_engine: Engine) -> None:
    readers = sqlite_engine.execution_options(read_only=True)  # two writers at once would wait on each other
    with readers.connect() as first, readers.connect() as second:
        assert first.connection.dbapi_connection is not second.connection.dbapi_connection
        for connection in (first, second):
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15_000


def test_make_engine_creates_the_folder_of_a_new_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "deeper" / "still" / "monitor.db"

    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
    finally:
        engine.dispose()

    assert path.exists()


def test_engine_for_gives_the_same_engine_for_the_same_url(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"

    try:
        assert engine_for(url) is engine_for(url)
    finally:
        engine_for(url).dispose()


# --- SQLite locking ------------------------------------------------------------------------------------


def test_a_unit_of_work_takes_the_write_lock_when_it_begins(sqlite_engine: Engine) -> None:
    with unit_of_work(sqlite_engine) as session:
        session.connection()  # begins the transaction; nothing has been written yet
        other = sqlite3.connect(sqlite_path(sqlite_engine), timeout=0.1, isolation_level=None)
        try:
            with pytest.raises(sqlite3.OperationalError, match="database is locked"):
                other.execute("BEGIN IMMEDIATE")
        finally:
            other.close()


def test_a_reading_session_does_not_take_the_write_lock(sqlite_engine: Engine) -> None:
    with reading(sqlite_engine) as session:
        session.scalar(select(func.count()).select_from(Team))
        other = sqlite3.connect(sqlite_path(sqlite_engine), timeout=0.1, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("INSERT INTO teams (name, created_at) VALUES ('Noord', '2025-01-01 00:00:00.000000')")
            other.execute("COMMIT")
        finally:
            other.close()


def test_a_second_writer_waits_for_the_first_and_then_succeeds(sqlite_engine: Engine) -> None:
    first_has_lock = threading.Event()
    errors: list[BaseException] = []
    waited: list[float] = []
    hold = 0.5

    def first_writer() -> None:
        try:
            with unit_of_work(sqlite_engine) as session:
                session.add(Team(name="First"))
                session.flush()
                first_has_lock.set()
                time.sleep(hold)
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread
            errors.append(exc)
            first_has_lock.set()

    def second_writer() -> None:
        try:
            assert first_has_lock.wait(WAIT)
            started = time.monotonic()
            with unit_of_work(sqlite_engine) as session:
                session.add(Team(name="Second"))
                session.flush()
            waited.append(time.monotonic() - started)
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread
            errors.append(exc)

    threads = [threading.Thread(target=first_writer), threading.Thread(target=second_writer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT)

    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    assert waited and waited[0] >= hold * 0.6  # it waited for the first writer instead of failing
    with reading(sqlite_engine) as session:
        assert sorted(session.scalars(select(Team.name))) == ["First", "Second"]


def test_a_read_runs_while_another_thread_holds_the_write_lock(sqlite_engine: Engine) -> None:
    with unit_of_work(sqlite_engine) as session:
        session.add(Team(name="Before"))
    writer_has_lock = threading.Event()
    reader_done = threading.Event()
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            with unit_of_work(sqlite_engine) as session:
                session.add(Team(name="Uncommitted"))
                session.flush()
                writer_has_lock.set()
                reader_done.wait(WAIT)
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread
            errors.append(exc)
            writer_has_lock.set()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert writer_has_lock.wait(WAIT)
        started = time.monotonic()
        with reading(sqlite_engine) as session:
            names = list(session.scalars(select(Team.name)))
        elapsed = time.monotonic() - started
    finally:
        reader_done.set()
        thread.join(WAIT)

    assert errors == []
    assert names == ["Before"]  # the writer's uncommitted row is not visible
    assert elapsed < 2.0  # no waiting on the busy timeout


def test_an_autocommit_connection_runs_outside_a_transaction(sqlite_engine: Engine) -> None:
    with sqlite_engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        busy, _log, _checkpointed = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
        assert busy == 0
        assert connection.connection.driver_connection.in_transaction is False


def test_a_failed_unit_of_work_rolls_back(sqlite_engine: Engine) -> None:
    with pytest.raises(RuntimeError), unit_of_work(sqlite_engine) as session:
        session.add(Team(name="Lost"))
        session.flush()
        raise RuntimeError("boom")

    with reading(sqlite_engine) as session:
        assert session.scalar(select(func.count()).select_from(Team)) == 0


# --- foreign keys and constraints (both backends) ------------------------------------------------------


def test_a_membership_for_a_missing_person_is_refused(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        team = Team(name="Noord")
        session.add(team)
    with pytest.raises(IntegrityError), unit_of_work(engine) as session:
        session.add(Membership(person_id=999, team_id=team.id, role=Role.COPRODUCER.value))
        session.flush()

    with reading(engine) as session:
        assert session.scalar(select(func.count()).select_from(Membership)) == 0


def test_a_membership_with_an_unknown_role_is_refused(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        team = Team(name="Noord")
        person = Person(username="fatima.b", display_name="Fatima")
        session.add_all([team, person])
    with pytest.raises(IntegrityError), unit_of_work(engine) as session:
        session.add(Membership(person_id=person.id, team_id=team.id, role="boss"))
        session.flush()


def test_deleting_a_person_deletes_their_memberships_and_keeps_their_audit_events(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        team = Team(name="Noord")
        person = Person(username="fatima.b", display_name="Fatima")
        session.add_all([team, person])
        session.flush()
        session.add(Membership(person_id=person.id, team_id=team.id, role=Role.COPRODUCER.value))
        session.add(AuditEvent(actor_id=person.id, action="test", detail=""))
    with unit_of_work(engine) as session:
        session.execute(text("DELETE FROM people WHERE id = :id"), {"id": person.id})

    with reading(engine) as session:
        assert session.scalar(select(func.count()).select_from(Membership)) == 0
        assert session.scalars(select(AuditEvent.actor_id)).all() == [None]


# --- UTCDateTime ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("dialect", [sqlite.dialect(), postgresql.dialect()], ids=["sqlite", "postgresql"])
def test_utc_datetime_refuses_a_naive_datetime(dialect) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="naive"):
        UTCDateTime().process_bind_param(datetime(2025, 1, 1, 12, 0), dialect)


def test_utc_datetime_stores_naive_utc_on_sqlite_and_aware_utc_on_postgresql() -> None:
    amsterdam = timezone(timedelta(hours=2))
    value = datetime(2025, 7, 1, 14, 30, tzinfo=amsterdam)

    assert UTCDateTime().process_bind_param(value, sqlite.dialect()) == datetime(2025, 7, 1, 12, 30)
    stored = UTCDateTime().process_bind_param(value, postgresql.dialect())
    assert stored == value and stored.tzinfo == UTC


def test_utc_datetime_passes_none_through() -> None:
    assert UTCDateTime().process_bind_param(None, sqlite.dialect()) is None
    assert UTCDateTime().process_result_value(None, sqlite.dialect()) is None


def test_a_naive_datetime_cannot_be_written_to_the_database(engine: Engine) -> None:
    with pytest.raises(StatementError, match="naive"), unit_of_work(engine) as session:
        session.add(Team(name="Noord", created_at=datetime(2025, 1, 1, 12, 0)))
        session.flush()

    with reading(engine) as session:
        assert session.scalar(select(func.count()).select_from(Team)) == 0


def test_datetimes_come_back_aware_and_in_utc(engine: Engine) -> None:
    written = datetime(2025, 7, 1, 14, 30, 15, 123456, tzinfo=timezone(timedelta(hours=2)))
    with unit_of_work(engine) as session:
        session.add(Team(name="Noord", created_at=written))

    with reading(engine) as session:
        read = session.scalar(select(Team.created_at))

    assert read == written
    assert read is not None and read.tzinfo == UTC
    assert read == datetime(2025, 7, 1, 12, 30, 15, 123456, tzinfo=UTC)


def test_datetimes_compare_in_utc_in_queries(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        session.add(Team(name="Early", created_at=datetime(2025, 1, 1, 9, 0, tzinfo=UTC)))
        session.add(Team(name="Late", created_at=datetime(2025, 1, 1, 11, 0, tzinfo=UTC)))
    cutoff = datetime(2025, 1, 1, 11, 30, tzinfo=timezone(timedelta(hours=1)))  # 10:30 UTC

    with reading(engine) as session:
        names = session.scalars(select(Team.name).where(Team.created_at > cutoff)).all()

    assert names == ["Late"]


# --- migrations ----------------------------------------------------------------------------------------


def test_the_migrated_database_is_current(engine: Engine) -> None:
    assert is_current(engine)


def test_an_empty_database_is_not_current_until_it_is_upgraded(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    try:
        assert not is_current(engine)
        upgrade(engine)
        assert is_current(engine)
        upgrade(engine)  # upgrading again changes nothing
        assert is_current(engine)
    finally:
        engine.dispose()


def test_the_migrations_create_every_table_of_the_models(engine: Engine) -> None:
    from sqlalchemy import inspect

    from db.models import Base

    tables = set(inspect(engine).get_table_names())

    assert {table.name for table in Base.metadata.sorted_tables} <= tables
    assert "alembic_version" in tables


def test_a_save_waiting_longer_than_the_busy_timeout_tries_again_instead_of_failing(
    sqlite_template: Path, tmp_path: Path
) -> None:
    path = tmp_path / "locked.db"
    path.write_bytes(sqlite_template.read_bytes())
    engine = make_engine(f"sqlite:///{path}")
    other = sqlite3.connect(
        path, isolation_level=None, check_same_thread=False
    )  # another process, in effect: it holds the write lock
    other.execute("PRAGMA busy_timeout=0")
    other.execute("BEGIN IMMEDIATE")
    threading.Timer(0.5, other.rollback).start()
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA busy_timeout=100")  # this pooled connection gives up after 0.1 s
    with unit_of_work(engine) as session:
        session.add(Team(name="Moerwijk"))
    with reading(engine) as session:
        assert session.scalar(select(func.count()).select_from(Team)) == 1
    other.close()
    engine.dispose()


def test_a_writer_waiting_for_another_process_gets_the_lock_when_it_is_free(
    sqlite_template: Path, tmp_path: Path
) -> None:
    path = tmp_path / "busy.db"
    path.write_bytes(sqlite_template.read_bytes())
    engine = make_engine(f"sqlite:///{path}")
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)  # another process, in effect
    other.execute("BEGIN IMMEDIATE")
    released = threading.Event()

    def release() -> None:
        released.set()
        other.rollback()

    threading.Timer(0.3, release).start()
    with unit_of_work(engine) as session:
        assert released.is_set()  # the write waited for the other writer instead of failing
        session.add(Team(name="Moerwijk"))
    with reading(engine) as session:
        assert session.scalar(select(func.count()).select_from(Team)) == 1
    other.close()
    engine.dispose()
