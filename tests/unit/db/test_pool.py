"""The engine's pool: room for the server's threads, a busy pool waited for, and on PostgreSQL a connection the server
dropped replaced before a save uses it (pinged only after lying idle)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from db.engine import make_engine, reading, unit_of_work
from db.models import Team


def test_a_unit_of_work_waiting_for_a_busy_pool_tries_again_instead_of_failing(
    sqlite_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import db.engine as engine_module

    path = tmp_path / "pool.db"
    path.write_bytes(sqlite_template.read_bytes())
    monkeypatch.setattr(engine_module, "POOL_SIZE", 1)
    monkeypatch.setattr(engine_module, "POOL_OVERFLOW", 0)
    monkeypatch.setattr(engine_module, "POOL_TIMEOUT_S", 0.1)
    engine = make_engine(f"sqlite:///{path}")
    held = engine.connect()  # every pooled connection is busy for a while
    threading.Timer(0.3, held.close).start()
    with unit_of_work(engine) as session:  # times out at least once, then gets the connection back
        session.add(Team(name="Moerwijk"))
    with reading(engine) as session:
        assert session.scalar(select(func.count()).select_from(Team)) == 1
    engine.dispose()


def test_the_pool_has_room_for_the_servers_threads(engine: Engine) -> None:
    assert engine.pool.size() >= 20


@pytest.mark.postgres
def test_a_pooled_connection_the_server_dropped_while_idle_is_replaced_before_a_save_uses_it(
    postgres_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(str(postgres_engine.url.render_as_string(hide_password=False)))
    with engine.connect() as connection:
        dropped = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    with postgres_engine.connect() as other:  # the server ends it, as a restart or a fail-over would
        other.exec_driver_sql(f"SELECT pg_terminate_backend({int(dropped)})")
    monkeypatch.setattr("db.engine.PING_AFTER_IDLE_S", 0.0)  # it has lain idle long enough to be pinged
    with unit_of_work(engine) as session:
        session.add(Team(name="Moerwijk"))
        now_serving = session.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar()
    assert now_serving != dropped
    with reading(engine) as session:
        assert session.scalar(select(func.count()).select_from(Team).where(Team.name == "Moerwijk")) == 1
    engine.dispose()


@pytest.mark.postgres
def test_a_connection_handed_back_a_moment_ago_is_not_pinged_again(
    postgres_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(str(postgres_engine.url.render_as_string(hide_password=False)))
    pings: list[object] = []
    ping = engine.dialect.do_ping
    monkeypatch.setattr(engine.dialect, "do_ping", lambda connection: pings.append(connection) or ping(connection))
    for _ in range(3):
        with reading(engine) as session:
            session.scalar(select(func.count()).select_from(Team))
    assert pings == []  # one round trip less in each of a save's units of work
    monkeypatch.setattr("db.engine.PING_AFTER_IDLE_S", 0.0)
    with reading(engine) as session:
        session.scalar(select(func.count()).select_from(Team))
    assert len(pings) == 1
    engine.dispose()
