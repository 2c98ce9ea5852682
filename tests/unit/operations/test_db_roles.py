"""`monitor db roles`: the app runs as a PostgreSQL role that owns nothing, may add to the money records and not
change them, and the health check warns while the app connects as the owner or a superuser."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from db.engine import engine_for, make_engine, unit_of_work
from monitor import cli, config
from monitor.money import integrity, ledger
from monitor.money.ledger import PaymentInput
from monitor.operations import db_roles
from monitor.web.health import health_report
from tests.conftest import _truncate_all
from tests.unit import factories


@pytest.fixture
def configured(postgres_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """`monitor` pointed at the PostgreSQL test database as its owner (a superuser here); the app's role dropped
    afterwards."""
    url = postgres_engine.url.render_as_string(hide_password=False)
    (tmp_path / "config.toml").write_text("", encoding="utf-8")
    monkeypatch.setenv("MONITOR_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("MONITOR_DATABASE_URL", url)
    config._cached.cache_clear()
    yield postgres_engine
    engine_for(url).dispose()
    config._cached.cache_clear()
    with postgres_engine.begin() as connection:
        if connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": ROLE}).first():
            connection.execute(text(f"DROP OWNED BY {ROLE}"))
            connection.execute(text(f"DROP ROLE {ROLE}"))


ROLE = "monitor_test_app"
MOMENT = datetime(2026, 5, 3, 12, tzinfo=UTC)


@pytest.mark.postgres
def test_the_app_role_adds_payments_cannot_change_them_and_the_health_check_is_quiet(
    configured: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = configured
    _truncate_all(engine)
    team = factories.team(engine)
    assert cli.main(["db", "roles", "--app-role", ROLE]) == 0
    printed = capsys.readouterr().out
    assert f"REVOKE UPDATE, DELETE, TRUNCATE ON public.payments, public.fund_entries FROM {ROLE};" in printed
    assert cli.main(["db", "roles", "--app-role", ROLE, "--apply"]) == 0
    assert f"{ROLE} may now run the app" in capsys.readouterr().out

    warned = db_roles.warnings(engine)
    assert [message for message, _params in warned] == [db_roles.SUPERUSER]
    status, body = health_report(engine, started_at=MOMENT, now=MOMENT)
    assert status == 200 and "superuser" in body["warnings"][0]  # type: ignore[index]

    app = make_engine(engine.url.set(username=ROLE).render_as_string(hide_password=False))
    try:
        data = PaymentInput(team.coproducer.person_id, "allowance", date(2026, 5, 1), Decimal("50"), date(2026, 5, 2))
        paid = ledger.record_payment(app, team.leader, data, date(2026, 5, 2))
        ledger.reverse_payment(app, team.leader, paid, "wrong month", date(2026, 5, 3))
        with pytest.raises(DBAPIError, match="permission denied"), unit_of_work(app) as session:
            session.execute(text("UPDATE payments SET amount_cents = 1"))
        with pytest.raises(DBAPIError, match="must be owner"), unit_of_work(app) as session:
            session.execute(text("ALTER TABLE payments DISABLE TRIGGER USER"))
        assert db_roles.warnings(app) == []
        status, body = health_report(app, started_at=MOMENT, now=MOMENT)
        assert status == 200 and "warnings" not in body
        assert integrity.verify(app).intact
    finally:
        app.dispose()


def test_on_sqlite_there_are_no_roles(sqlite_engine: Engine) -> None:
    assert db_roles.warnings(sqlite_engine) == []
    with pytest.raises(ValueError, match="plain role"):
        db_roles.roles_sql("app; DROP TABLE payments", "monitor")
