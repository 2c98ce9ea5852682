"""Issue 27: every download is checked when it is fetched. A leader whose role was taken away downloaded the team's
requests from the page she had open, and a coproducer's cookie fetched the leader's export from /media/, also after
the leader signed out. Now the file is made at the click for the person as the database knows them then
(monitor.ui.downloads), and /media/ answers only the session that made it while its person keeps their roles
(monitor.web.private_files, checked in the gate)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine, select
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from db.engine import reading
from db.models import Role, SecurityEvent, utcnow
from monitor.config import AuthSettings, Settings
from monitor.errors import PermissionDenied
from monitor.people import accounts as people
from monitor.people import auth
from monitor.people.access import SYSTEM, Actor
from monitor.requests import exporting
from monitor.ui import context, downloads
from monitor.web import private_files
from monitor.web.cookies import SESSION_COOKIE
from monitor.web.private_files import MediaFile
from monitor.web.routes import SignInGate, make_routes
from tests.unit.factories import Team, team
from tests.unit.web.route_helpers import sign_in

PASSWORD = "correct horse battery"
ADDRESS = "192.0.2.10"
EXPORT = b"the team's 127 requests"
EXPORT_PATH = "/media/0123456789abcdef.xlsx"
PICTURE_PATH = "/media/fedcba9876543210.png"

pytestmark = pytest.mark.usefixtures("fast_passwords")


@pytest.fixture(autouse=True)
def _no_grants() -> Iterator[None]:
    private_files.forget_all()
    yield
    private_files.forget_all()


@pytest.fixture
def moerwijk(engine: Engine) -> Team:
    t = team(engine)
    for actor in (t.leader, t.coproducer):
        people.set_password(engine, SYSTEM, actor.person_id, PASSWORD)  # type: ignore[arg-type]
    return t


def events(engine: Engine, kind: str) -> list[tuple[str, str]]:
    with reading(engine) as session:
        rows = session.execute(select(SecurityEvent.username, SecurityEvent.detail).where(SecurityEvent.kind == kind))
        return [tuple(row) for row in rows]  # type: ignore[misc]


# --- at the click -----------------------------------------------------------------------------------------------


def page_drawn_for(monkeypatch: pytest.MonkeyPatch, engine: Engine, settings: Settings, token: str | None) -> None:
    """What the Streamlit run gives while a page is drawn: settings, the database, this browser's cookie."""
    monkeypatch.setattr(context, "settings", lambda: settings)
    monkeypatch.setattr(context, "engine", lambda: engine)
    monkeypatch.setattr(context, "session_token", lambda: token)
    monkeypatch.setattr(downloads, "engine", lambda: engine)
    monkeypatch.setattr(downloads, "client_ip", lambda: ADDRESS)


def team_requests(engine: Engine, settings: Settings, team_id: int) -> Callable[[Actor], bytes]:
    return lambda now: exporting.export_file(exporting.export_rows(engine, settings, now, team_id), "csv")


def test_a_leader_whose_role_was_taken_away_downloads_nothing_from_the_page_she_had_open(
    engine: Engine, settings: Settings, auth_settings: AuthSettings, moerwijk: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = dataclasses.replace(settings, auth=auth_settings)
    token = auth.sign_in(engine, auth_settings, "lotte", PASSWORD, ADDRESS).token
    page_drawn_for(monkeypatch, engine, settings, token)
    download = downloads.logged(moerwijk.leader, "team requests", team_requests(engine, settings, moerwijk.id))
    assert download()[:3] == b"\xef\xbb\xbf"  # while she leads the team: the CSV

    people.revoke_role(engine, SYSTEM, moerwijk.leader.person_id, moerwijk.id, Role.LEADER)  # type: ignore[arg-type]

    with pytest.raises(PermissionDenied):
        download()
    assert events(engine, "export_downloaded") == [("lotte", "team requests")]
    assert events(engine, "access_refused") == [("lotte", "download: team requests")]


def test_a_download_button_left_open_after_signing_out_makes_no_file(
    engine: Engine, settings: Settings, auth_settings: AuthSettings, moerwijk: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = dataclasses.replace(settings, auth=auth_settings)
    token = auth.sign_in(engine, auth_settings, "lotte", PASSWORD, ADDRESS).token
    page_drawn_for(monkeypatch, engine, settings, token)
    made: list[Actor] = []
    download = downloads.logged(moerwijk.leader, "team requests", lambda now: made.append(now) or b"file")

    auth.sign_out(engine, token, None, ADDRESS)

    with pytest.raises(PermissionDenied):
        download()
    assert made == []


# --- at /media/ -------------------------------------------------------------------------------------------------


def build_app(settings: Settings, engine: Engine, files: dict[str, MediaFile]) -> Starlette:
    """The routes and gate as in app.py, with Streamlit's in-memory files standing in as `files` (by name)."""

    async def media(request: Request) -> PlainTextResponse:
        return PlainTextResponse(files[request.path_params["name"]].content.decode())

    return Starlette(
        routes=[*make_routes(lambda: settings, lambda: engine), Route("/media/{name}", media)],
        middleware=[
            Middleware(SignInGate, settings_of=lambda: settings, engine_of=lambda: engine, media_file=files.get)
        ],
    )


@pytest.fixture
def app(engine: Engine, settings: Settings, auth_settings: AuthSettings, moerwijk: Team) -> Starlette:
    settings = dataclasses.replace(settings, auth=auth_settings)
    files = {
        EXPORT_PATH.rsplit("/", 1)[1]: MediaFile(EXPORT, downloadable=True),
        PICTURE_PATH.rsplit("/", 1)[1]: MediaFile(b"a chart", downloadable=False),
    }
    return build_app(settings, engine, files)


def browser_of(app: Starlette, username: str) -> tuple[TestClient, str]:
    client = TestClient(app, follow_redirects=False)
    sign_in(client, username)
    token = client.cookies.get(SESSION_COOKIE)
    assert token
    return client, token


def test_a_download_answers_only_the_session_that_made_it(app: Starlette, engine: Engine, moerwijk: Team) -> None:
    lotte, lottes_session = browser_of(app, "lotte")
    fatima, _fatimas_session = browser_of(app, "fatima")
    private_files.grant(EXPORT, lottes_session, auth.actor_for_person(engine, moerwijk.leader.person_id))  # type: ignore[arg-type]

    assert lotte.get(EXPORT_PATH).text == EXPORT.decode()
    refused = fatima.get(EXPORT_PATH)
    assert refused.status_code == 404 and "requests" not in refused.text
    # A picture Streamlit serves (st.image, a chart) only needs a valid session, as before.
    assert fatima.get(PICTURE_PATH).status_code == 200


def test_the_same_cookie_copied_to_another_browser_after_sign_out_gets_nothing(
    app: Starlette, engine: Engine, moerwijk: Team
) -> None:
    lotte, lottes_session = browser_of(app, "lotte")
    private_files.grant(EXPORT, lottes_session, auth.actor_for_person(engine, moerwijk.leader.person_id))  # type: ignore[arg-type]

    lotte.post("/auth/logout", headers={"Sec-Fetch-Site": "same-origin"})
    copied = TestClient(app, follow_redirects=False)
    copied.cookies.set(SESSION_COOKIE, lottes_session)

    assert copied.get(EXPORT_PATH).status_code == 404


def test_a_download_stops_answering_when_its_person_loses_the_role_it_was_made_with(
    app: Starlette, engine: Engine, moerwijk: Team
) -> None:
    lotte, lottes_session = browser_of(app, "lotte")
    private_files.grant(EXPORT, lottes_session, auth.actor_for_person(engine, moerwijk.leader.person_id))  # type: ignore[arg-type]
    assert lotte.get(EXPORT_PATH).status_code == 200

    people.revoke_role(engine, SYSTEM, moerwijk.leader.person_id, moerwijk.id, Role.LEADER)  # type: ignore[arg-type]

    assert lotte.get(EXPORT_PATH).status_code == 404


def test_a_grant_is_forgotten_after_an_hour() -> None:
    lotte = Actor(person_id=1, username="lotte", display_name="Lotte")
    made = utcnow()
    private_files.grant(EXPORT, "token", lotte, now=made)

    assert private_files.allowed(EXPORT, "token", lotte, now=made + timedelta(minutes=59))
    assert not private_files.allowed(EXPORT, "token", lotte, now=made + private_files.KEEP + timedelta(seconds=1))
    assert not private_files.allowed(EXPORT, "another token", lotte, now=made)
