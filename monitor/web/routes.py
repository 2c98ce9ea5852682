"""Starlette routes for st.App: sign-in, sign-out, the health check, the counsellors' iCal feed, and the gate."""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Callable
from urllib.parse import urlsplit

from sqlalchemy import Engine, text
from starlette.concurrency import run_in_threadpool
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from monitor.config import Settings
from monitor.i18n import format_datetime, gettext_for
from monitor.people import auth
from monitor.web import login_page
from monitor.web.calendar_route import calendar_route
from monitor.web.checkup_page import checkup_route
from monitor.web.cookies import CSRF_COOKIE, SESSION_COOKIE

log = logging.getLogger(__name__)

# Paths that are not pages of the app: Streamlit's own endpoints and ours.
_OPEN_PREFIXES = ("/_stcore/", "/static/", "/media/", "/component/", "/auth/", "/api/", "/favicon", "/app/static/")


def _language(request: Request, settings: Settings) -> str:
    wanted = request.query_params.get("lang")
    if wanted in settings.languages:
        return wanted
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in settings.languages:
            return code
    return settings.default_language


def _cross_site(request: Request) -> bool:
    """True when the request was started by another site (Sec-Fetch-Site, or else the Origin header, says so)."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site not in ("same-origin", "none")
    origin = request.headers.get("origin")
    return origin is not None and urlsplit(origin).netloc != request.url.netloc


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _form_page(language: str, message: str | None = None, kind: str = "error", username: str = "", status=200):  # type: ignore[no-untyped-def]
    token = secrets.token_urlsafe(24)
    response = HTMLResponse(login_page.render(language, token, message, kind, username), status_code=status)
    response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict", path="/auth/")
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    return response


def make_routes(settings_of: Callable[[], Settings], engine_of: Callable[[], Engine]) -> list[Route]:
    """The routes, reading settings and engine lazily so that tests and the CLI can point them elsewhere."""

    async def login_form(request: Request) -> Response:
        settings = settings_of()
        language = _language(request, settings)
        _ = gettext_for(language)
        notice = request.query_params.get("notice")
        messages = {
            "signed_out": _("You are signed out. See you soon."),
            "expired": _("Your session has ended. Please sign in again."),
        }
        return _form_page(language, messages.get(notice or ""), "info")

    async def login_submit(request: Request) -> Response:
        settings = settings_of()
        form = await request.form()
        language = str(form.get("lang") or "")
        language = language if language in settings.languages else settings.default_language
        _ = gettext_for(language)
        username = str(form.get("username") or "")
        password = str(form.get("password") or "")
        csrf_form = str(form.get("csrf") or "")
        csrf_cookie = request.cookies.get(CSRF_COOKIE, "")
        if not csrf_cookie or not secrets.compare_digest(csrf_form, csrf_cookie):
            return _form_page(language, _("The form had expired. Please try again."), username=username, status=400)
        if not username.strip() or not password:
            return _form_page(language, _("Fill in your username and password."), username=username, status=400)
        result = await run_in_threadpool(
            auth.sign_in, engine_of(), settings.auth, username, password, _address(request)
        )
        if result.delay_seconds:
            await asyncio.sleep(result.delay_seconds)
        if result.outcome == auth.Outcome.SIGNED_IN and result.token:
            response = RedirectResponse("/", status_code=303)
            response.set_cookie(
                SESSION_COOKIE,
                result.token,
                max_age=settings.auth.absolute_hours * 3600,
                httponly=True,
                samesite="lax",
                secure=settings.auth.secure_cookies,
                path="/",
            )
            response.delete_cookie(CSRF_COOKIE, path="/auth/")
            return response
        if result.outcome == auth.Outcome.LOCKED or result.locked_until:
            until = format_datetime(result.locked_until, language, settings.tz, "short") if result.locked_until else ""
            message = _("Too many attempts. Signing in is paused until {time}. Ask your project leader for help.")
            return _form_page(language, message.format(time=until), username=username, status=429)
        return _form_page(
            language, _("That username and password do not match. Try again."), username=username, status=401
        )

    async def logout(request: Request) -> Response:
        if _cross_site(request):
            # Another site linked or posted here: do not sign out on its word; ask the person instead.
            if request.method == "POST":
                return HTMLResponse("Forbidden", status_code=403)
            return HTMLResponse(login_page.render_sign_out(_language(request, settings_of())))
        token = request.cookies.get(SESSION_COOKIE)
        await run_in_threadpool(auth.sign_out, engine_of(), token)
        response = RedirectResponse("/auth/login?notice=signed_out", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    async def health(_request: Request) -> Response:
        def check() -> None:
            with engine_of().connect() as connection:
                connection.execute(text("SELECT 1"))

        try:
            await run_in_threadpool(check)
        except Exception:  # noqa: BLE001 - the health check reports any failure as unhealthy
            log.exception("health check: database unreachable")
            return JSONResponse({"status": "error", "database": "unreachable"}, status_code=503)
        return JSONResponse({"status": "ok"})

    return [
        Route("/auth/login", login_form, methods=["GET"]),
        Route("/auth/login", login_submit, methods=["POST"]),
        Route("/auth/logout", logout, methods=["GET", "POST"]),
        Route("/api/health", health, methods=["GET"]),
        calendar_route(settings_of, engine_of),
        checkup_route(settings_of, engine_of),
    ]


class SignInGate(BaseHTTPMiddleware):
    """Sends a browser without a valid session to the sign-in form before the app shell loads.

    This is a convenience: the Streamlit script checks the session again on every run, and every
    service checks permissions itself.
    """

    def __init__(self, app, settings_of: Callable[[], Settings], engine_of: Callable[[], Engine]):  # type: ignore[no-untyped-def]
        super().__init__(app)
        self.settings_of = settings_of
        self.engine_of = engine_of

    async def dispatch(self, request: Request, call_next):  # type: ignore[no-untyped-def]
        path = request.url.path
        is_page = request.method == "GET" and not path.startswith(_OPEN_PREFIXES) and "." not in path.rsplit("/", 1)[-1]
        settings = self.settings_of()
        if is_page and not settings.auth.oidc_enabled:
            token = request.cookies.get(SESSION_COOKIE)
            actor = await run_in_threadpool(auth.resume, self.engine_of(), settings.auth, token) if token else None
            if actor is None:
                notice = "?notice=expired" if token else ""
                response = RedirectResponse(f"/auth/login{notice}", status_code=303)
                if token:
                    response.delete_cookie(SESSION_COOKIE, path="/")
                return response
        return await call_next(request)
