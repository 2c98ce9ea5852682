"""The partner's one-time check-up link over HTTP: without signing in, in the invite's language, once; a wrong or
used link is a plain 404; an incomplete form is shown again with what is missing and saves nothing."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.testclient import TestClient

from monitor.checkup import rounds
from monitor.checkup.statements import ITEMS
from monitor.config import Settings
from monitor.i18n import gettext_for
from monitor.web.routes import SignInGate, make_routes
from tests.unit.factories import team

T0 = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)


def client(settings: Settings, engine: Engine) -> TestClient:
    app = Starlette(
        routes=make_routes(lambda: settings, lambda: engine),
        middleware=[Middleware(SignInGate, settings_of=lambda: settings, engine_of=lambda: engine)],
    )
    return TestClient(app, base_url="https://monitor.example")


def test_a_partner_answers_once_through_the_link_in_dutch(sqlite_engine: Engine, settings: Settings) -> None:
    t = team(sqlite_engine)
    round_id = rounds.open_round(sqlite_engine, t.leader, t.id, now=T0)
    [token] = rounds.make_invites(sqlite_engine, t.leader, round_id, 1, "nl")
    http = client(settings, sqlite_engine)
    _ = gettext_for("nl")

    form = http.get(f"/api/checkup/{token}", follow_redirects=False)
    assert form.status_code == 200
    assert _("Collaboration check-up") in form.text and 'name="s26"' in form.text
    assert form.headers["cache-control"] == "no-store"

    half = {f"s{item}": "50" for item in ITEMS[:10]}
    again = http.post(f"/api/checkup/{token}", data=half)
    assert again.status_code == 400 and "11, 12" in again.text
    assert rounds.rounds(sqlite_engine, t.leader, t.id)[0].respondents == 0

    done = http.post(f"/api/checkup/{token}", data={f"s{item}": "100" for item in ITEMS})
    assert done.status_code == 200 and _("Thank you") in done.text
    assert rounds.rounds(sqlite_engine, t.leader, t.id)[0].respondents == 1
    assert http.get(f"/api/checkup/{token}").status_code == 404
    assert http.post(f"/api/checkup/{token}", data={f"s{item}": "100" for item in ITEMS}).status_code == 404


def test_an_unknown_link_is_a_plain_404_and_english_on_request(sqlite_engine: Engine, settings: Settings) -> None:
    t = team(sqlite_engine)
    round_id = rounds.open_round(sqlite_engine, t.leader, t.id, now=T0)
    [token] = rounds.make_invites(sqlite_engine, t.leader, round_id, 1, "nl")
    http = client(settings, sqlite_engine)
    assert http.get("/api/checkup/guessed").status_code == 404
    assert "Send my answers" in http.get(f"/api/checkup/{token}?lang=en").text
    cross = http.post(
        f"/api/checkup/{token}", data={f"s{i}": "100" for i in ITEMS}, headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert cross.status_code == 403
