"""monitor.web.routes: the sign-in form, signing in (cookies, CSRF, wrong passwords, throttling) and signing out."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import Engine
from starlette.testclient import TestClient

from monitor.config import Settings
from monitor.people import accounts as people
from monitor.people import auth
from monitor.people.access import SYSTEM
from monitor.web.cookies import CSRF_COOKIE, SECURE_SESSION_COOKIE, SESSION_COOKIE
from tests.unit.web.route_helpers import (
    PASSWORD,
    attempts,
    build_app,
    csrf_from_form,
    open_sessions,
    set_cookies,
    sign_in,
)

pytestmark = pytest.mark.usefixtures("fast_passwords")


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
    assert response.headers["location"] == "/auth/login?notice=signed_out&lang=en"
    [cleared] = set_cookies(response, SESSION_COOKIE)
    assert "max-age=0" in cleared.lower()
    assert auth.resume(engine, app_settings.auth, token) is None
    assert open_sessions(engine) == 0


def test_signing_out_speaks_the_language_the_person_chose_not_the_phones(
    client: TestClient, engine: Engine, person_id: int
) -> None:
    # Fatima chose Dutch; her phone is set to English (issue 28).
    people.set_language(engine, SYSTEM, person_id, "nl")
    sign_in(client)
    english_phone = {"accept-language": "en-GB,en;q=0.9", "Sec-Fetch-Site": "same-origin"}

    asked = client.get("/auth/logout", headers=english_phone)
    assert '<html lang="nl">' in asked.text and "Wil je uitloggen" in asked.text, asked.text
    done = client.post("/auth/logout", headers=english_phone)
    assert done.headers["location"] == "/auth/login?notice=signed_out&lang=nl"
    after = client.get(done.headers["location"], headers=english_phone)
    assert '<html lang="nl">' in after.text


def test_someone_not_signed_in_reads_sign_out_in_the_browsers_language(client: TestClient) -> None:
    asked = client.get("/auth/logout", headers={"accept-language": "en-GB,en;q=0.9"})
    assert '<html lang="en">' in asked.text


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
