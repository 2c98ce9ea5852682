"""The quick-log over HTTP (monitor.web.quicklog): its page and files, and the endpoint that stores each request from
the phone once, refusing what another site, another person or a broken body sends, with nothing stored."""

from __future__ import annotations

import dataclasses
import json
import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, func, select
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.testclient import TestClient

from db.engine import reading
from db.models import HelpRequest, Role, SecurityEvent
from monitor.config import AuthSettings, Settings
from monitor.people import accounts as people
from monitor.people import auth
from monitor.people.access import SYSTEM
from monitor.web.cookies import SESSION_COOKIE
from monitor.web.quicklog import CSP, csrf_token
from monitor.web.quicklog_input import MAX_BODY
from monitor.web.routes import SignInGate, make_routes
from tests.conftest import ORDINARY_MOMENT

ORIGIN = {"Origin": "http://testserver"}
PASSWORD = "correct horse battery"
pytestmark = pytest.mark.usefixtures("fast_passwords")
TAPPED = ORDINARY_MOMENT.astimezone(UTC) - timedelta(seconds=40)  # Save was tapped 40 s before it arrived


@pytest.fixture
def app_settings(settings: Settings, auth_settings: AuthSettings) -> Settings:
    return dataclasses.replace(settings, auth=auth_settings)


@pytest.fixture
def people_ids(engine: Engine) -> dict[str, int]:
    team_id = people.create_team(engine, SYSTEM, "Moerwijk")
    ids = {}
    for username, language in (("fatima", "en"), ("henk", "nl")):
        ids[username] = people.create_person(engine, SYSTEM, username, username.title(), PASSWORD, language)
        people.grant_role(engine, SYSTEM, ids[username], team_id, Role.COPRODUCER)
    ids["lotte"] = people.create_person(engine, SYSTEM, "lotte", "Lotte", None, "en")
    people.grant_role(engine, SYSTEM, ids["lotte"], team_id, Role.LEADER)
    return ids


@pytest.fixture
def client(
    app_settings: Settings, engine: Engine, people_ids: dict[str, int], pinned_now: datetime
) -> Iterator[TestClient]:
    app = Starlette(
        routes=make_routes(lambda: app_settings, lambda: engine),
        middleware=[Middleware(SignInGate, settings_of=lambda: app_settings, engine_of=lambda: engine)],
    )
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


def signed_in(client: TestClient, engine: Engine, person_id: int) -> str:
    """Sign person_id in on this client; returns the CSRF token their saves carry."""
    token = auth.open_session(engine, person_id)
    client.cookies.set(SESSION_COOKIE, token)
    return csrf_token(token)


def entry(person_id: int, **changes: Any) -> dict[str, Any]:
    body = {
        "id": str(uuid.uuid4()),
        "person": person_id,
        "tapped_at": TAPPED.isoformat().replace("+00:00", "Z"),
        "earlier": None,
        "channel": "door",
        "topics": ["money", "housing"],
        "minutes": 15,
        "beyond_role": True,
    }
    return body | changes


def post(client: TestClient, body: Any, csrf: str | None, headers: dict[str, str] | None = None) -> Any:
    sent = dict(ORIGIN if headers is None else headers)
    if csrf is not None:
        sent["X-CSRF-Token"] = csrf
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.post("/api/quicklog/requests", content=content, headers=sent | {"Content-Type": "application/json"})


def stored(engine: Engine) -> list[HelpRequest]:
    with reading(engine) as session:
        return list(session.scalars(select(HelpRequest).order_by(HelpRequest.id)))


# --- the page and its files ----------------------------------------------------------------------------


def test_the_page_opens_in_the_persons_language_with_a_strict_csp(
    client: TestClient, engine: Engine, people_ids: dict[str, int]
) -> None:
    signed_in(client, engine, people_ids["fatima"])

    response = client.get("/snel/")

    assert response.status_code == 200
    assert '<html lang="en">' in response.text
    assert "How were you approached?" in response.text and "At my door" in response.text
    assert 'href="/my-week"' in response.text
    assert '<link rel="manifest" href="/snel/manifest.webmanifest">' in response.text
    assert response.headers["content-security-policy"] == CSP
    assert "script-src 'self'" in CSP and "unsafe-inline" not in CSP


def test_the_page_is_dutch_for_a_dutch_coproducer(
    client: TestClient, engine: Engine, people_ids: dict[str, int]
) -> None:
    signed_in(client, engine, people_ids["henk"])

    response = client.get("/snel/")

    assert '<html lang="nl">' in response.text
    assert "Hoe vroeg iemand je om hulp?" in response.text
    assert "Snel noteren" in response.text


def test_without_a_session_the_page_sends_to_the_sign_in_form_and_signing_in_comes_back(
    client: TestClient, engine: Engine, people_ids: dict[str, int]
) -> None:
    response = client.get("/snel/")
    form = client.get(response.headers["location"])
    token = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert token is not None
    data = {"csrf": token.group(1), "lang": "en", "username": "fatima", "password": PASSWORD, "next": "/snel/"}

    signed_in = client.post("/auth/login", data=data)

    assert response.status_code == 303
    assert response.headers["location"] == "/auth/login?next=/snel/"
    assert '<input type="hidden" name="next" value="/snel/">' in form.text
    assert signed_in.headers["location"] == "/snel/"


@pytest.mark.parametrize("elsewhere", ["https://evil.example/", "//evil.example/", "/team"])
def test_signing_in_leads_nowhere_but_the_app_or_the_quick_log(
    client: TestClient, engine: Engine, people_ids: dict[str, int], elsewhere: str
) -> None:
    form = client.get("/auth/login", params={"next": elsewhere})
    token = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert token is not None and 'name="next"' not in form.text
    data = {"csrf": token.group(1), "lang": "en", "username": "fatima", "password": PASSWORD, "next": elsewhere}

    assert client.post("/auth/login", data=data).headers["location"] == "/"


def test_someone_who_is_no_coproducer_is_told_so(
    client: TestClient, engine: Engine, people_ids: dict[str, int]
) -> None:
    signed_in(client, engine, people_ids["lotte"])

    response = client.get("/snel/")

    assert response.status_code == 403
    assert "Only coproducers log requests" in response.text


def test_the_files_are_served_and_the_worker_carries_their_version(client: TestClient) -> None:
    worker = client.get("/snel/sw.js")
    manifest = client.get("/snel/manifest.webmanifest").json()

    assert worker.status_code == 200
    assert worker.headers["content-type"].startswith("text/javascript")
    assert "__VERSION__" not in worker.text and "quicklog-" in worker.text
    assert manifest["short_name"] == "Snel noteren" and manifest["lang"] == "nl"
    assert manifest["start_url"] == "/snel/" and manifest["display"] == "standalone"
    assert client.get("/snel/icon-192.png").headers["content-type"] == "image/png"
    assert client.get("/snel/sw.js", headers={"If-None-Match": worker.headers["etag"]}).status_code == 304
    assert client.get("/snel/secrets.txt").status_code == 404
    assert client.get("/snel/../app.py").status_code == 404


# --- the session ---------------------------------------------------------------------------------------


def test_the_session_names_the_person_and_their_token(
    client: TestClient, engine: Engine, people_ids: dict[str, int]
) -> None:
    csrf = signed_in(client, engine, people_ids["fatima"])

    response = client.get("/api/quicklog/session")

    assert response.json() == {"person": people_ids["fatima"], "language": "en", "csrf": csrf}
    assert response.headers["cache-control"] == "no-store"


def test_without_a_session_the_session_endpoint_says_401(client: TestClient) -> None:
    response = client.get("/api/quicklog/session")

    assert response.status_code == 401
    assert response.json()["code"] == "signed_out"


# --- saving once per id --------------------------------------------------------------------------------


def test_a_request_is_stored_with_the_tapped_moment_and_a_repeat_stores_nothing_new(
    client: TestClient, engine: Engine, people_ids: dict[str, int]
) -> None:
    csrf = signed_in(client, engine, people_ids["fatima"])
    body = entry(people_ids["fatima"])

    first = post(client, body, csrf)
    again = post(client, body, csrf)

    assert first.status_code == 201, first.text
    assert again.status_code == 200
    assert again.json()["request_id"] == first.json()["request_id"]
    [row] = stored(engine)
    assert row.client_id == body["id"]
    assert row.received_at == TAPPED
    assert row.source == "quicklog"
    assert (row.channel, row.topic_codes, row.minutes, row.beyond_role) == ("door", ("housing", "money"), 15, True)
    assert first.json()["saved"] == "Saved: at my door, housing, money and debts, 15 min"
    assert first.json()["received_at"] == body["tapped_at"]


def test_earlier_is_stored_as_the_moment_chosen(client: TestClient, engine: Engine, people_ids: dict[str, int]) -> None:
    csrf = signed_in(client, engine, people_ids["fatima"])
    earlier = (ORDINARY_MOMENT - timedelta(days=3)).astimezone(UTC)

    response = post(client, entry(people_ids["fatima"], earlier=earlier.isoformat()), csrf)

    assert response.status_code == 201, response.text
    assert stored(engine)[0].received_at == earlier


def test_an_entry_older_than_earlier_days_is_refused_with_a_clear_message(
    client: TestClient, engine: Engine, people_ids: dict[str, int], app_settings: Settings
) -> None:
    csrf = signed_in(client, engine, people_ids["fatima"])
    too_old = ORDINARY_MOMENT - timedelta(days=app_settings.requests.earlier_days, minutes=1)

    response = post(client, entry(people_ids["fatima"], tapped_at=too_old.isoformat()), csrf)

    assert response.status_code == 422
    assert response.json() == {
        "code": "refused",
        "message": f"The time is more than {app_settings.requests.earlier_days} days ago. Choose a later time.",
    }
    assert stored(engine) == []


def test_a_wrong_choice_gets_the_forms_own_message(
    client: TestClient, engine: Engine, people_ids: dict[str, int]
) -> None:
    csrf = signed_in(client, engine, people_ids["henk"])

    response = post(client, entry(people_ids["henk"], channel="pigeon"), csrf)

    assert response.status_code == 422
    assert response.json()["message"] == "Kies hoe iemand je benaderde."
    assert stored(engine) == []


# --- refusals: nothing stored --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("csrf", "headers", "status", "code"),
    [
        (None, ORIGIN, 403, "csrf"),
        ("0" * 64, ORIGIN, 403, "csrf"),
        ("right", {"Origin": "https://evil.example"}, 403, "forbidden"),
        ("right", {}, 403, "forbidden"),
        ("right", ORIGIN | {"Sec-Fetch-Site": "cross-site"}, 403, "forbidden"),
    ],
    ids=["no-token", "wrong-token", "foreign-origin", "no-origin", "cross-site"],
)
def test_another_sites_request_is_refused(
    client: TestClient,
    engine: Engine,
    people_ids: dict[str, int],
    csrf: str | None,
    headers: dict[str, str],
    status: int,
    code: str,
) -> None:
    token = signed_in(client, engine, people_ids["fatima"])

    response = post(client, entry(people_ids["fatima"]), token if csrf == "right" else csrf, headers)

    assert (response.status_code, response.json()["code"]) == (status, code)
    assert stored(engine) == []


def test_without_a_session_nothing_is_stored(client: TestClient, engine: Engine, people_ids: dict[str, int]) -> None:
    response = post(client, entry(people_ids["fatima"]), "anything")

    assert response.status_code == 401
    assert stored(engine) == []


def test_an_entry_of_another_person_is_refused_and_logged(
    client: TestClient, engine: Engine, people_ids: dict[str, int]
) -> None:
    csrf = signed_in(client, engine, people_ids["fatima"])

    response = post(client, entry(people_ids["henk"]), csrf)

    assert (response.status_code, response.json()["code"]) == (403, "other_person")
    assert "someone else on this phone" in response.json()["message"]
    assert stored(engine) == []
    with reading(engine) as session:
        assert (
            session.scalar(
                select(func.count()).select_from(SecurityEvent).where(SecurityEvent.kind == "access_refused")
            )
            == 1
        )


def test_an_id_another_person_used_is_refused_without_showing_theirs(
    client: TestClient, engine: Engine, people_ids: dict[str, int]
) -> None:
    henks = entry(people_ids["henk"])
    post(client, henks, signed_in(client, engine, people_ids["henk"]))
    csrf = signed_in(client, engine, people_ids["fatima"])

    response = post(client, entry(people_ids["fatima"], id=henks["id"], channel="street"), csrf)

    assert response.status_code == 403
    assert "door" not in response.text and "request_id" not in response.text
    assert [row.person_id for row in stored(engine)] == [people_ids["henk"]]


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b"{not json", 400, "malformed"),
        (b"\xff\xfe", 400, "malformed"),
        (b"[1, 2]", 400, "malformed"),
        ("unknown field", 400, "malformed"),
        ("minutes as text", 400, "malformed"),
        ("not a uuid", 400, "malformed"),
        ("no time zone", 422, "refused"),
        (b"[" * 100_000, 413, "too_large"),
        ("padded", 413, "too_large"),
    ],
)
def test_a_broken_body_is_refused_with_a_4xx(
    client: TestClient, engine: Engine, people_ids: dict[str, int], body: Any, status: int, code: str
) -> None:
    csrf = signed_in(client, engine, people_ids["fatima"])
    good = entry(people_ids["fatima"])
    bodies = {
        "unknown field": good | {"resident_name": "x"},
        "minutes as text": good | {"minutes": "15"},
        "not a uuid": good | {"id": "1" * 36},
        "no time zone": good | {"tapped_at": "2026-11-25T13:59:20"},
        "padded": good | {"channel": "door" + " " * MAX_BODY},
    }

    response = post(client, bodies.get(body, body), csrf)

    assert (response.status_code, response.json()["code"]) == (status, code)
    assert response.json()["message"]
    assert stored(engine) == []


# --- undo ----------------------------------------------------------------------------------------------


def test_undo_takes_the_request_back(client: TestClient, engine: Engine, people_ids: dict[str, int]) -> None:
    csrf = signed_in(client, engine, people_ids["fatima"])
    saved = post(client, entry(people_ids["fatima"]), csrf).json()
    headers = ORIGIN | {"X-CSRF-Token": csrf, "Content-Type": "application/json"}

    response = client.post(
        "/api/quicklog/undo", content=json.dumps({"request_id": saved["request_id"]}), headers=headers
    )
    without_token = client.post("/api/quicklog/undo", content=b'{"request_id": 1}', headers=ORIGIN)

    assert response.status_code == 200
    assert response.json()["message"] == "The request was taken back."
    assert stored(engine)[0].deleted_at is not None
    assert without_token.status_code == 403


def test_while_the_database_is_away_the_phone_is_told_to_try_again(
    app_settings: Settings, tmp_path: Path, pinned_now: datetime
) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    broken = create_engine(f"sqlite:///{tmp_path}/a-file/monitor.db")
    app = Starlette(routes=make_routes(lambda: app_settings, lambda: broken))
    with TestClient(app) as client:
        client.cookies.set(SESSION_COOKIE, "some-token")
        session = client.get("/api/quicklog/session")
        saved = post(client, entry(1), "anything")

    assert (session.status_code, session.json()["code"]) == (503, "unavailable")
    assert (saved.status_code, saved.json()["code"]) == (503, "unavailable")
