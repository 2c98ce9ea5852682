"""monitor.web.routes: the sign-in gate in front of the Streamlit pages."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import Engine
from starlette.testclient import TestClient

from monitor.config import Settings
from monitor.people import accounts as people
from monitor.people.access import SYSTEM
from monitor.web.cookies import SESSION_COOKIE
from tests.unit.web.route_helpers import PAGE_TEXT, build_app, set_cookies, sign_in

pytestmark = pytest.mark.usefixtures("fast_passwords")


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
