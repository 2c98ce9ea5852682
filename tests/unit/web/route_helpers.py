"""Shared bits for the monitor.web.routes tests: the app as app.py assembles it, signing in through the form, and
counting sessions and attempts."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sqlalchemy import Engine, func, select
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from db.engine import reading
from db.models import AuthSession, SignInAttempt
from monitor.config import Settings
from monitor.web.routes import SignInGate, make_routes

if TYPE_CHECKING:
    from httpx2 import Response  # what starlette's TestClient returns


PASSWORD = "correct horse battery"
PAGE_TEXT = "the app shell"


def build_app(settings: Settings, engine: Engine) -> Starlette:
    """The monitor's routes and gate as app.py assembles them, with a stand-in for the Streamlit pages."""

    async def page(_request: Request) -> PlainTextResponse:
        return PlainTextResponse(PAGE_TEXT)

    return Starlette(
        routes=[*make_routes(lambda: settings, lambda: engine), Route("/", page), Route("/team", page)],
        middleware=[Middleware(SignInGate, settings_of=lambda: settings, engine_of=lambda: engine)],
    )


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
