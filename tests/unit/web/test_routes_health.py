"""monitor.web.routes: the health check, and what the routes say while the database is away."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import Engine, create_engine
from starlette.applications import Starlette
from starlette.testclient import TestClient

from db.engine import make_engine
from monitor.config import Settings
from monitor.i18n import gettext_for
from monitor.operations import job_runs
from monitor.web.cookies import SESSION_COOKIE
from monitor.web.routes import UNAVAILABLE, make_routes
from tests.unit.web.route_helpers import PASSWORD, build_app, csrf_from_form

pytestmark = pytest.mark.usefixtures("fast_passwords")


# --- health --------------------------------------------------------------------------------------------


def test_the_health_check_answers_ok_without_a_session(client: TestClient) -> None:
    response = client.get("/api/health")

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["database"]) == ("ok", "ok")
    assert set(body["jobs"]) == set(job_runs.INTERVALS)
    assert all(job == {"last_success": None, "stale": False} for job in body["jobs"].values())


def test_the_health_check_reports_an_unreachable_database(app_settings: Settings, tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    broken = create_engine(f"sqlite:///{tmp_path}/a-file/monitor.db")
    with TestClient(build_app(app_settings, broken), follow_redirects=False) as client:
        response = client.get("/api/health")

    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["database"] == "unavailable"
    assert "unable to open" in response.json()["reason"]


def test_the_health_check_reports_a_read_only_database(app_settings: Settings, sqlite_engine: Engine) -> None:
    database = sqlite_engine.url.database
    assert database
    read_only = make_engine(f"sqlite:///file:{database}?mode=ro&uri=true")
    with TestClient(build_app(app_settings, read_only), follow_redirects=False) as client:
        response = client.get("/api/health")
    read_only.dispose()

    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"
    assert "readonly" in response.json()["reason"]


def test_the_health_check_reports_a_job_that_has_not_succeeded_for_twice_its_interval(
    app_settings: Settings, engine: Engine, time_machine: time_machine.TimeMachineFixture
) -> None:
    start = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)
    time_machine.move_to(start, tick=False)
    for job in job_runs.INTERVALS:
        job_runs.record_success(engine, job, "worker-a", start)
    app = Starlette(routes=make_routes(lambda: app_settings, lambda: engine, started_at=start))
    with TestClient(app) as client:
        time_machine.move_to(start + timedelta(minutes=29))
        job_runs.record_success(engine, "send_email", "worker-a", start + timedelta(minutes=28))  # every minute
        fresh = client.get("/api/health")
        job_runs.record_success(engine, "send_email", "worker-a", start + timedelta(minutes=30))
        time_machine.move_to(start + timedelta(minutes=31))
        stale = client.get("/api/health")

    assert fresh.status_code == 200, fresh.json()
    assert stale.status_code == 503
    jobs = stale.json()["jobs"]
    assert jobs["evaluate"]["stale"] is True and jobs["checkins"]["stale"] is True
    assert jobs["send_email"] == {"last_success": "2026-11-25T13:30:00+00:00", "stale": False}
    assert jobs["training_reminders"]["stale"] is False  # hourly: stale only after two hours


def test_sign_in_and_pages_say_temporarily_unavailable_when_the_database_is_away(
    app_settings: Settings, tmp_path: Path
) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    broken = create_engine(f"sqlite:///{tmp_path}/a-file/monitor.db")
    with TestClient(build_app(app_settings, broken), follow_redirects=False) as client:
        form = client.get("/auth/login?lang=nl")
        submitted = client.post(
            "/auth/login",
            data={"username": "fatima", "password": PASSWORD, "csrf": csrf_from_form(form.text), "lang": "nl"},
        )
        client.cookies.set(SESSION_COOKIE, "some-token")
        page = client.get("/team", headers={"accept-language": "en"})

    assert submitted.status_code == 503
    assert gettext_for("nl")(UNAVAILABLE) in submitted.text
    assert gettext_for("nl")(UNAVAILABLE) != UNAVAILABLE
    assert page.status_code == 503
    assert UNAVAILABLE in page.text
    assert page.headers["retry-after"] == "60"
