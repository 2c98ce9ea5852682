"""A database that refuses changes (a read-only SQLite file, PostgreSQL with default_transaction_read_only) is named:
the 503 page on sign-in and pages, 503 from /api/health with the reason, and the health check's write probe runs at
most once a minute however often it is asked."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import Engine
from starlette.testclient import TestClient

from db.engine import make_engine
from monitor.config import Settings
from monitor.operations import job_runs
from monitor.people import auth
from monitor.web import health
from monitor.web.cookies import SESSION_COOKIE
from monitor.web.routes import UNAVAILABLE
from tests.unit.web.route_helpers import PASSWORD, build_app, csrf_from_form

pytestmark = pytest.mark.usefixtures("fast_passwords")


def read_only_url(engine: Engine) -> str:
    """The same database, opened so that it refuses every change: SQLite's mode=ro (the tests run as root, for whom a
    file without write permission is still writable), PostgreSQL's default_transaction_read_only as
    `ALTER DATABASE .. SET default_transaction_read_only = on` sets it for every new connection."""
    if engine.dialect.name == "sqlite":
        return f"sqlite:///file:{engine.url.database}?mode=ro&uri=true"
    url = engine.url.update_query_dict({"options": "-c default_transaction_read_only=on"})
    return url.render_as_string(hide_password=False)


@pytest.fixture
def read_only(engine: Engine, person_id: int) -> Iterator[Engine]:
    """The test's database with fatima in it, as a read-only engine."""
    refusing = make_engine(read_only_url(engine))
    yield refusing
    refusing.dispose()


def test_sign_in_gives_the_503_page(app_settings: Settings, read_only: Engine) -> None:
    with TestClient(build_app(app_settings, read_only), follow_redirects=False) as client:
        form = client.get("/auth/login?lang=en")
        submitted = client.post(
            "/auth/login",
            data={"username": "fatima", "password": PASSWORD, "csrf": csrf_from_form(form.text), "lang": "en"},
        )

    assert submitted.status_code == 503
    assert UNAVAILABLE in submitted.text
    assert submitted.headers["retry-after"] == "60"


def test_a_page_gives_the_503_page_even_for_a_fresh_session(
    app_settings: Settings, engine: Engine, read_only: Engine
) -> None:
    signed_in = auth.sign_in(engine, app_settings.auth, "fatima", PASSWORD, "testclient")
    assert signed_in.token
    with TestClient(build_app(app_settings, read_only), follow_redirects=False) as client:
        client.cookies.set(SESSION_COOKIE, signed_in.token)
        page = client.get("/team", headers={"accept-language": "en"})

    assert page.status_code == 503
    assert UNAVAILABLE in page.text


def test_the_health_check_says_the_database_is_read_only(app_settings: Settings, read_only: Engine) -> None:
    with TestClient(build_app(app_settings, read_only), follow_redirects=False) as client:
        response = client.get("/api/health")

    assert response.status_code == 503
    body = response.json()
    assert (body["status"], body["database"]) == ("error", "unavailable")
    assert "read-only" in body["reason"] or "readonly" in body["reason"], body
    assert "\n" not in body["reason"]


def test_the_health_check_writes_at_most_once_a_minute(
    app_settings: Settings,
    engine: Engine,
    time_machine: time_machine.TimeMachineFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    start = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)
    time_machine.move_to(start, tick=False)
    writes: list[datetime] = []
    pinned = [start]  # the moment the clock is pinned at, as the test moves it
    real_write = job_runs.record_success

    def counted(*args: object, **kwargs: object) -> None:
        writes.append(pinned[0])
        real_write(*args, **kwargs)  # type: ignore[arg-type]

    def move_to(moment: datetime) -> None:
        pinned[0] = moment
        time_machine.move_to(moment, tick=False)

    monkeypatch.setattr(job_runs, "record_success", counted)
    with TestClient(build_app(app_settings, engine), follow_redirects=False) as client:
        answers = [client.get("/api/health").status_code for _ in range(20)]
        client.get("/")  # a page without a session: the gate asks the same probe
        move_to(start + timedelta(seconds=59))
        answers.append(client.get("/api/health").status_code)
        move_to(start + timedelta(seconds=61))
        answers.append(client.get("/api/health").status_code)

    assert answers == [200] * 22
    assert writes == [start, start + timedelta(seconds=61)]


def test_the_probe_finds_a_database_that_became_read_only_within_the_interval(engine: Engine) -> None:
    start = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)
    probe = health.WriteProbe(every_seconds=60)
    refusing = make_engine(read_only_url(engine))
    try:
        assert probe.refusal(refusing, start) is not None
        assert probe.refusal(engine, start + timedelta(seconds=30)) is not None, "answered from the last probe"
        assert probe.refusal(engine, start + timedelta(seconds=60)) is None, "probed again"
    finally:
        refusing.dispose()
