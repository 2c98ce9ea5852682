"""Findings 8, 9 and 12: Secure and __Host- cookies over HTTPS (also behind a trusted proxy), security headers on
every response, sign-out only on POST, and Streamlit's /media/ files only for a valid session."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from db.models import Role
from monitor.config import AuthSettings, Settings
from monitor.people import accounts as people
from monitor.people import auth
from monitor.people.access import SYSTEM
from monitor.web.cookies import CSRF_COOKIE, SECURE_SESSION_COOKIE, SESSION_COOKIE
from monitor.web.routes import SignInGate, make_routes
from tests.unit.web.route_helpers import csrf_from_form, sign_in

PASSWORD = "correct horse battery"
EXPORT = "/media/0123456789abcdef.xlsx"

pytestmark = pytest.mark.usefixtures("fast_passwords")


def build_app(settings: Settings, engine: Engine) -> Starlette:
    """The routes and gate as in app.py, with stand-ins for a page and one of Streamlit's in-memory files."""

    async def page(_request: Request) -> PlainTextResponse:
        return PlainTextResponse("the app shell")

    async def media(_request: Request) -> PlainTextResponse:
        return PlainTextResponse("the team's export")

    async def metrics(_request: Request) -> PlainTextResponse:
        return PlainTextResponse("streamlit_sessions 3")

    return Starlette(
        routes=[
            *make_routes(lambda: settings, lambda: engine),
            Route("/", page),
            Route("/media/{name}", media),
            Route("/_stcore/metrics", metrics),
        ],
        middleware=[Middleware(SignInGate, settings_of=lambda: settings, engine_of=lambda: engine)],
    )


@pytest.fixture
def app_settings(settings: Settings, auth_settings: AuthSettings, engine: Engine) -> Settings:
    people.create_person(engine, SYSTEM, "fatima", "Fatima", PASSWORD)
    return dataclasses.replace(settings, auth=auth_settings)


@pytest.fixture
def client(app_settings: Settings, engine: Engine) -> Iterator[TestClient]:
    with TestClient(build_app(app_settings, engine), follow_redirects=False) as test_client:
        yield test_client


def cookie_named(response, name: str) -> str:  # type: ignore[no-untyped-def]
    [cookie] = [h for h in response.headers.get_list("set-cookie") if h.startswith(f"{name}=")]
    return cookie.lower()


def test_over_https_the_session_cookie_is_secure_and_host_prefixed(app_settings: Settings, engine: Engine) -> None:
    assert app_settings.auth.secure_cookies == "auto"
    with TestClient(build_app(app_settings, engine), base_url="https://monitor.example", follow_redirects=False) as c:
        form = c.get("/auth/login")
        response = sign_in(c)

    session = cookie_named(response, SECURE_SESSION_COOKIE)
    assert "secure" in session and "path=/" in session and "domain" not in session
    assert "secure" in cookie_named(form, CSRF_COOKIE)


def test_behind_a_trusted_proxy_that_received_https_the_cookies_are_secure(
    app_settings: Settings, engine: Engine
) -> None:
    # The TestClient's peer is "testclient", not an address: trust it as if it were the proxy.
    proxied = dataclasses.replace(app_settings, auth=dataclasses.replace(app_settings.auth, trusted_proxies=()))
    with TestClient(build_app(proxied, engine), follow_redirects=False) as c:
        plain_http = c.get("/auth/login", headers={"X-Forwarded-Proto": "https"})
    assert "secure" not in cookie_named(plain_http, CSRF_COOKIE)  # an untrusted peer's header is not believed

    from monitor.web.cookies import came_over_https

    assert came_over_https("http", "10.0.0.1", "https", ("10.0.0.1",))
    assert not came_over_https("http", "198.51.100.7", "https", ("10.0.0.1",))


def test_over_plain_http_on_a_laptop_the_cookie_works_without_secure(client: TestClient) -> None:
    session = cookie_named(sign_in(client), SESSION_COOKIE)

    assert "secure" not in session


@pytest.mark.parametrize("path", ["/auth/login", "/", "/api/health", EXPORT])
def test_every_response_carries_the_security_headers(client: TestClient, path: str) -> None:
    response = client.get(path)

    policy = response.headers["content-security-policy"]
    for directive in (
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ):
        assert directive in policy
    # No eval of JavaScript, and no inline script without its hash.
    assert "'unsafe-eval'" not in policy and "script-src 'self' 'wasm-unsafe-eval';" in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    assert "strict-transport-security" not in response.headers  # plain HTTP: HSTS would be ignored, and misleading


def test_over_https_every_response_asks_for_https_only_hsts(app_settings: Settings, engine: Engine) -> None:
    with TestClient(build_app(app_settings, engine), base_url="https://monitor.example", follow_redirects=False) as c:
        for path in ("/auth/login", "/", "/api/health"):
            assert c.get(path).headers["strict-transport-security"] == "max-age=31536000"


def test_behind_nginx_on_this_host_https_gives_hsts_and_the_host_cookie(app_settings: Settings, engine: Engine) -> None:
    """Streamlit's dual-stack socket sees nginx on 127.0.0.1 as ::ffff:127.0.0.1, which trusted_proxies now matches."""
    proxied = dataclasses.replace(
        app_settings, auth=dataclasses.replace(app_settings.auth, trusted_proxies=("127.0.0.1",))
    )
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.10"}
    with TestClient(build_app(proxied, engine), client=("::ffff:127.0.0.1", 40000), follow_redirects=False) as c:
        c.headers.update(forwarded)
        form = c.get("/auth/login?lang=en")
        # The CSRF cookie came back Secure, which the test client keeps from plain http: hand it back as a browser
        # talking HTTPS to nginx would.
        c.cookies.set(CSRF_COOKIE, csrf_from_form(form.text))
        data = {"csrf": csrf_from_form(form.text), "lang": "en", "username": "fatima", "password": PASSWORD}
        response = c.post("/auth/login", data=data)

    assert form.headers["strict-transport-security"] == "max-age=31536000"
    assert "secure" in cookie_named(response, SECURE_SESSION_COOKIE)
    with engine.connect() as connection:
        logged = (
            connection.execute(text("SELECT address FROM security_events WHERE kind = 'signed_in'")).scalars().all()
        )
    assert logged == ["192.0.2.10"]  # the person's own address, not the proxy's


def test_the_page_s_inline_scripts_are_allowed_by_hash_and_nothing_else_inline() -> None:
    from pathlib import Path

    from streamlit import file_util

    from monitor.web.headers import content_security_policy, inline_script_hashes
    from monitor.web.static_files import page_html

    html = page_html(Path(file_util.get_static_dir()))
    hashes = inline_script_hashes(html)
    policy = content_security_policy(hashes)

    assert len(hashes) == html.count("<script>") == 2  # Streamlit's prerenderReady flag and our loading note
    assert all(f"'{value}'" in policy for value in hashes)
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]


def test_streamlit_s_metrics_are_for_an_administrator_only(client: TestClient, engine: Engine) -> None:
    assert client.get("/_stcore/metrics").status_code == 404
    sign_in(client)  # fatima, no administrator
    assert client.get("/_stcore/metrics").status_code == 404

    admin = people.create_person(engine, SYSTEM, "beheer", "Beheer", PASSWORD)
    team_id = people.create_team(engine, SYSTEM, "Moerwijk")
    people.grant_role(engine, SYSTEM, admin, team_id, Role.ADMIN)
    client.cookies.clear()
    sign_in(client, "beheer")
    assert client.get("/_stcore/metrics").text == "streamlit_sessions 3"


def test_a_get_to_sign_out_changes_nothing(client: TestClient, engine: Engine, app_settings: Settings) -> None:
    sign_in(client)
    token = client.cookies.get(SESSION_COOKIE)

    response = client.get("/auth/logout")  # no Sec-Fetch-Site, no Origin: an <img> on another site looks like this

    assert response.status_code == 200 and 'method="post" action="/auth/logout"' in response.text
    assert auth.resume(engine, app_settings.auth, token) is not None


def test_an_export_address_answers_only_with_a_valid_session(
    client: TestClient, engine: Engine, app_settings: Settings
) -> None:
    sign_in(client)
    token = client.cookies.get(SESSION_COOKIE)
    assert client.get(EXPORT).text == "the team's export"

    client.post("/auth/logout", headers={"Sec-Fetch-Site": "same-origin"})
    client.cookies.set(SESSION_COOKIE, token or "")
    after_sign_out = client.get(EXPORT)
    client.cookies.clear()
    without_cookie = client.get(EXPORT)

    assert after_sign_out.status_code == 404 and "export" not in after_sign_out.text
    assert without_cookie.status_code == 404
