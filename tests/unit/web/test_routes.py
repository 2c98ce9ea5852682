"""monitor.web.routes over HTTP: the sign-in form and its CSRF check, session cookies, sign-out, health, the gate."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import time_machine
from sqlalchemy import Engine, create_engine, func, select
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from db.engine import make_engine, reading
from db.models import AuthSession, Role, SignInAttempt
from monitor.config import AuthSettings, Settings
from monitor.i18n import gettext_for
from monitor.operations import job_runs
from monitor.people import accounts as people
from monitor.people import auth
from monitor.people.access import SYSTEM
from monitor.web.cookies import CSRF_COOKIE, SECURE_SESSION_COOKIE, SESSION_COOKIE
from monitor.web.routes import UNAVAILABLE, SignInGate, make_routes

if TYPE_CHECKING:
    from httpx2 import Response  # what starlette's TestClient returns

PASSWORD = "correct horse battery"
PAGE_TEXT = "the app shell"

pytestmark = pytest.mark.usefixtures("fast_passwords")


def build_app(settings: Settings, engine: Engine) -> Starlette:
    """The monitor's routes and gate as app.py assembles them, with a stand-in for the Streamlit pages."""

    async def page(_request: Request) -> PlainTextResponse:
        return PlainTextResponse(PAGE_TEXT)

    return Starlette(
        routes=[*make_routes(lambda: settings, lambda: engine), Route("/", page), Route("/team", page)],
        middleware=[Middleware(SignInGate, settings_of=lambda: settings, engine_of=lambda: engine)],
    )


@pytest.fixture
def app_settings(settings: Settings, auth_settings: AuthSettings) -> Settings:
    return dataclasses.replace(settings, auth=auth_settings)


@pytest.fixture
def person_id(engine: Engine) -> int:
    team_id = people.create_team(engine, SYSTEM, "Moerwijk")
    person_id = people.create_person(engine, SYSTEM, "fatima", "Fatima", PASSWORD, "en")
    people.grant_role(engine, SYSTEM, person_id, team_id, Role.COPRODUCER)
    return person_id


@pytest.fixture
def client(app_settings: Settings, engine: Engine, person_id: int) -> Iterator[TestClient]:
    with TestClient(build_app(app_settings, engine), follow_redirects=False) as test_client:
        yield test_client


def csrf_from_form(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "the form has no CSRF field"
    return match.group(1)


def set_cookies(response: Response, name: str) -> list[str]:
    headers = response.headers.get_list("set-cookie")
    return [h for h in headers if h.startswith(f"{name}=")]


def sign_in(client: TestClient, username: str = "fatima", password: str = PASSWORD) -> Response:
    form = client.get("/auth/login?lang=en")
    data = {"csrf": csrf_from_form(form.text), "lang": "en", "username": username, "password": password}
    return client.post("/auth/login", data=data)


def open_sessions(engine: Engine) -> int:
    with reading(engine) as session:
        return session.scalar(select(func.count()).select_from(AuthSession).where(AuthSession.ended_at.is_(None))) or 0


def attempts(engine: Engine) -> int:
    with reading(engine) as session:
        return session.scalar(select(func.count()).select_from(SignInAttempt)) or 0


# --- the form ------------------------------------------------------------------------------------------


def test_the_sign_in_form_is_shown_and_sets_a_csrf_cookie_matching_the_form(client: TestClient) -> None:
    response = client.get("/auth/login")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<form method="post" action="/auth/login">' in response.text
    assert 'name="username"' in response.text and 'type="password"' in response.text
    [cookie] = set_cookies(response, CSRF_COOKIE)
    assert response.cookies[CSRF_COOKIE] == csrf_from_form(response.text)
    attributes = cookie.lower()
    assert "httponly" in attributes
    assert "samesite=strict" in attributes
    assert "path=/auth/" in attributes
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-frame-options"] == "DENY"


def test_each_form_gets_a_fresh_csrf_token(client: TestClient) -> None:
    first = csrf_from_form(client.get("/auth/login").text)
    second = csrf_from_form(client.get("/auth/login").text)

    assert first != second
    assert len(first) >= 24


def test_the_form_speaks_the_language_asked_for(client: TestClient) -> None:
    english = client.get("/auth/login?lang=en")
    from_browser = client.get("/auth/login", headers={"accept-language": "en-GB,en;q=0.9"})
    default = client.get("/auth/login", headers={"accept-language": "fr-FR"})

    assert '<html lang="en">' in english.text
    assert '<html lang="en">' in from_browser.text
    assert '<html lang="nl">' in default.text


def test_the_form_says_so_after_signing_out(client: TestClient) -> None:
    response = client.get("/auth/login?lang=en&notice=signed_out")

    assert "You are signed out" in response.text


# --- signing in ----------------------------------------------------------------------------------------


def test_good_credentials_redirect_home_with_an_httponly_samesite_lax_session_cookie(
    client: TestClient, engine: Engine, app_settings: Settings, person_id: int
) -> None:
    response = sign_in(client)

    assert response.status_code == 303
    assert response.headers["location"] == "/"
    [cookie] = set_cookies(response, SESSION_COOKIE)
    attributes = [part.strip().lower() for part in cookie.split(";")]
    assert "httponly" in attributes
    assert "samesite=lax" in attributes
    assert "path=/" in attributes
    assert f"max-age={app_settings.auth.absolute_hours * 3600}" in attributes
    assert "secure" not in attributes  # secure_cookies is off in these settings
    token = client.cookies.get(SESSION_COOKIE)
    actor = auth.resume(engine, app_settings.auth, token)
    assert actor is not None and actor.person_id == person_id


def test_the_session_cookie_is_secure_when_secure_cookies_is_on(
    app_settings: Settings, engine: Engine, person_id: int
) -> None:
    secure = dataclasses.replace(app_settings, auth=dataclasses.replace(app_settings.auth, secure_cookies="always"))
    with TestClient(build_app(secure, engine), base_url="https://testserver", follow_redirects=False) as client:
        response = sign_in(client)

    [cookie] = set_cookies(response, SECURE_SESSION_COOKIE)
    assert "secure" in [part.strip().lower() for part in cookie.split(";")]


def test_signing_in_clears_the_csrf_cookie(client: TestClient) -> None:
    response = sign_in(client)

    [cleared] = set_cookies(response, CSRF_COOKIE)
    assert "max-age=0" in cleared.lower()


def test_a_post_without_the_csrf_cookie_is_refused_and_opens_no_session(
    client: TestClient, engine: Engine, app_settings: Settings
) -> None:
    token = csrf_from_form(client.get("/auth/login").text)
    client.cookies.clear()

    response = client.post(
        "/auth/login", data={"csrf": token, "lang": "en", "username": "fatima", "password": PASSWORD}
    )

    assert response.status_code == 400
    assert "The form had expired" in response.text
    assert set_cookies(response, SESSION_COOKIE) == []
    assert open_sessions(engine) == 0
    assert attempts(engine) == 0


def test_a_post_with_neither_csrf_cookie_nor_field_is_refused(client: TestClient, engine: Engine) -> None:
    response = client.post("/auth/login", data={"lang": "en", "username": "fatima", "password": PASSWORD})

    assert response.status_code == 400
    assert "The form had expired" in response.text
    assert set_cookies(response, SESSION_COOKIE) == []
    assert open_sessions(engine) == 0


@pytest.mark.parametrize("sent", ["", "forged-token"], ids=["missing", "different"])
def test_a_post_whose_csrf_field_does_not_match_the_cookie_is_refused(
    client: TestClient, engine: Engine, sent: str
) -> None:
    client.get("/auth/login")  # sets a genuine CSRF cookie

    response = client.post("/auth/login", data={"csrf": sent, "lang": "en", "username": "fatima", "password": PASSWORD})

    assert response.status_code == 400
    assert "The form had expired" in response.text
    assert SESSION_COOKIE not in response.cookies
    assert open_sessions(engine) == 0


def test_a_wrong_password_shows_an_error_and_sets_no_session_cookie(client: TestClient, engine: Engine) -> None:
    response = sign_in(client, password="not her password")

    assert response.status_code == 401
    assert "That username and password do not match" in response.text
    assert 'value="fatima"' in response.text
    assert set_cookies(response, SESSION_COOKIE) == []
    assert client.cookies.get(SESSION_COOKIE) is None
    assert open_sessions(engine) == 0
    assert attempts(engine) == 1


def test_an_empty_password_is_asked_for_again_without_an_attempt(client: TestClient, engine: Engine) -> None:
    response = sign_in(client, password="")

    assert response.status_code == 400
    assert "Fill in your username and password" in response.text
    assert attempts(engine) == 0


def test_the_form_escapes_the_username_it_shows_back(client: TestClient) -> None:
    response = sign_in(client, username='"><script>alert(1)</script>', password="whatever it is")

    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;" in response.text


def test_a_throttled_account_is_told_to_wait_and_gets_no_cookie(
    app_settings: Settings, engine: Engine, person_id: int
) -> None:
    slow = dataclasses.replace(
        app_settings, auth=dataclasses.replace(app_settings.auth, slowdown_seconds=30.0, max_delay_seconds=30.0)
    )
    with TestClient(build_app(slow, engine), follow_redirects=False) as client:
        for _ in range(slow.auth.slow_after_failures):
            assert sign_in(client, password="not her password").status_code == 401
        throttled = sign_in(client)

    assert throttled.status_code == 429
    assert "Wait 30 seconds" in throttled.text
    assert throttled.headers["retry-after"] == "30"
    assert set_cookies(throttled, SESSION_COOKIE) == []
    assert open_sessions(engine) == 0


# --- signing out ---------------------------------------------------------------------------------------


def test_signing_out_ends_the_session_on_the_server_and_clears_the_cookie(
    client: TestClient, engine: Engine, app_settings: Settings
) -> None:
    sign_in(client)
    token = client.cookies.get(SESSION_COOKIE)
    assert auth.resume(engine, app_settings.auth, token) is not None

    response = client.post("/auth/logout", headers={"Sec-Fetch-Site": "same-origin"})

    assert response.status_code == 303
    assert response.headers["location"] == "/auth/login?notice=signed_out"
    [cleared] = set_cookies(response, SESSION_COOKIE)
    assert "max-age=0" in cleared.lower()
    assert auth.resume(engine, app_settings.auth, token) is None
    assert open_sessions(engine) == 0


def test_another_site_cannot_sign_a_person_out_without_asking(
    client: TestClient, engine: Engine, app_settings: Settings
) -> None:
    sign_in(client)
    token = client.cookies.get(SESSION_COOKIE)

    linked = client.get("/auth/logout", headers={"Sec-Fetch-Site": "cross-site"})
    posted = client.post("/auth/logout", headers={"Origin": "https://evil.example"})

    assert linked.status_code == 200 and 'action="/auth/logout"' in linked.text  # asks, with its own button
    assert posted.status_code == 403
    assert auth.resume(engine, app_settings.auth, token) is not None
    confirmed = client.post("/auth/logout", headers={"Sec-Fetch-Site": "same-origin"})
    assert confirmed.status_code == 303
    assert auth.resume(engine, app_settings.auth, token) is None


def test_the_old_cookie_is_worthless_after_signing_out(client: TestClient) -> None:
    sign_in(client)
    token = client.cookies.get(SESSION_COOKIE)
    assert token
    client.post("/auth/logout", headers={"Sec-Fetch-Site": "same-origin"})

    client.cookies.set(SESSION_COOKIE, token)
    response = client.get("/")

    assert response.status_code == 303
    assert response.headers["location"] == "/auth/login?notice=expired"


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


# --- the gate ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/team"])
def test_a_page_without_a_session_is_sent_to_the_sign_in_form(client: TestClient, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 303
    assert response.headers["location"] == "/auth/login"
    assert PAGE_TEXT not in response.text


def test_a_page_with_an_unknown_session_cookie_is_sent_to_sign_in_and_the_cookie_is_cleared(
    client: TestClient,
) -> None:
    client.cookies.set(SESSION_COOKIE, "made-up-token")

    response = client.get("/team")

    assert response.status_code == 303
    assert response.headers["location"] == "/auth/login?notice=expired"
    [cleared] = set_cookies(response, SESSION_COOKIE)
    assert "max-age=0" in cleared.lower()


def test_a_page_with_a_valid_session_is_served(client: TestClient) -> None:
    sign_in(client)

    response = client.get("/team")

    assert response.status_code == 200
    assert response.text == PAGE_TEXT


def test_a_page_of_a_disabled_person_is_no_longer_served(client: TestClient, engine: Engine, person_id: int) -> None:
    sign_in(client)
    people.set_active(engine, SYSTEM, person_id, False)

    response = client.get("/")

    assert response.status_code == 303
    assert response.headers["location"].startswith("/auth/login")


def test_the_gate_steps_aside_when_the_identity_provider_signs_people_in(
    app_settings: Settings, engine: Engine
) -> None:
    oidc = dataclasses.replace(app_settings, auth=dataclasses.replace(app_settings.auth, oidc_enabled=True))
    with TestClient(build_app(oidc, engine), follow_redirects=False) as client:
        response = client.get("/")

    assert response.status_code == 200
    assert response.text == PAGE_TEXT
