"""Starlette routes for st.App: sign-in, sign-out, the health check, the counsellors' iCal feed, the gate, and the
security headers on every response."""

from __future__ import annotations

import asyncio
import functools
import logging
import math
import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import urlsplit

from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from monitor.config import Settings
from monitor.errors import database_failure
from monitor.i18n import N_, Np_, counted, gettext_for
from monitor.people import auth
from monitor.web import login_page, private_files
from monitor.web.calendar_route import calendar_route
from monitor.web.checkup_page import checkup_route
from monitor.web.cookies import (
    CSRF_COOKIE,
    DEVICE_COOKIE,
    SECURE_SESSION_COOKIE,
    SESSION_COOKIE,
    came_over_https,
    client_address,
    secure_cookies,
    session_cookie_name,
    session_from,
)
from monitor.web.headers import HSTS, SECURITY_HEADERS, content_security_policy
from monitor.web.health import health_report, write_refusal
from monitor.web.private_files import MediaFile, streamlit_media_file
from monitor.web.quicklog import quicklog_routes

log = logging.getLogger(__name__)

# Paths that are not pages of the app: Streamlit's own endpoints and ours.
_OPEN_PREFIXES = ("/_stcore/", "/static/", "/media/", "/component/", "/auth/", "/api/", "/favicon", "/app/static/")
# Files Streamlit serves from memory (downloads, exports): only for a valid session, so a leaked address is useless.
_SESSION_PREFIXES = ("/media/",)
# Streamlit's Prometheus metrics (sessions, memory, cache sizes): for an administrator only, never for everyone.
_METRICS = "/_stcore/metrics"


def is_page_path(path: str) -> bool:
    """Whether a GET of this path asks for a page of the app (Streamlit answers every such address with its
    index.html), rather than a file, a route of ours or one of Streamlit's endpoints."""
    return not path.startswith(_OPEN_PREFIXES) and "." not in path.rsplit("/", 1)[-1]


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


def _peer(request: Request) -> str | None:
    return request.client.host if request.client else None


def address_of(request: Request, settings: Settings) -> str:
    """The person's address; behind a proxy listed in [auth] trusted_proxies, the one it forwarded for."""
    return client_address(_peer(request), request.headers.get("x-forwarded-for"), settings.auth.trusted_proxies)


def secure_for(request: Request, settings: Settings) -> bool:
    """Whether cookies set in answer to this request get Secure ([auth] secure_cookies)."""
    https = came_over_https(
        request.url.scheme, _peer(request), request.headers.get("x-forwarded-proto"), settings.auth.trusted_proxies
    )
    return secure_cookies(settings.auth.secure_cookies, https)


# Where signing in may lead instead of the app: the quick-log, which the gate sends here with ?next=. A fixed list,
# so that a link cannot send a person on to another site after signing in.
AFTER_SIGN_IN = ("/snel/",)


def _next_page(value: object) -> str:
    return value if isinstance(value, str) and value in AFTER_SIGN_IN else ""


def _form_page(  # type: ignore[no-untyped-def]
    language: str,
    secure: bool,
    message: str | None = None,
    kind: str = "error",
    username: str = "",
    status=200,
    next_page: str = "",
):
    token = secrets.token_urlsafe(24)
    html = login_page.render(language, token, message, kind, username, next_page)
    response = HTMLResponse(html, status_code=status)
    response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict", path="/auth/", secure=secure)
    response.headers["Cache-Control"] = "no-store"
    return response


def _delete_session_cookies(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(SECURE_SESSION_COOKIE, path="/", secure=True)


UNAVAILABLE = N_("The monitor is temporarily unavailable. Please try again in a minute.")


def unavailable_page(language: str) -> HTMLResponse:
    """503 with a friendly line in the person's language, when the database is away."""
    _ = gettext_for(language)
    response = HTMLResponse(login_page.render_notice(language, _(UNAVAILABLE)), status_code=503)
    response.headers["Retry-After"] = "60"
    response.headers["Cache-Control"] = "no-store"
    return response


def make_routes(
    settings_of: Callable[[], Settings], engine_of: Callable[[], Engine], started_at: datetime | None = None
) -> list[Route]:
    """The routes, reading settings and engine lazily so that tests and the CLI can point them elsewhere."""
    started = (started_at or datetime.now(UTC)).astimezone(UTC)

    async def login_form(request: Request) -> Response:
        settings = settings_of()
        language = _language(request, settings)
        _ = gettext_for(language)
        notice = request.query_params.get("notice")
        messages = {
            "signed_out": _("You are signed out. See you soon."),
            "expired": _("Your session has ended. Please sign in again."),
        }
        next_page = _next_page(request.query_params.get("next"))
        return _form_page(
            language, secure_for(request, settings), messages.get(notice or ""), "info", next_page=next_page
        )

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
        secure = secure_for(request, settings)
        next_page = _next_page(form.get("next"))
        form_page = functools.partial(_form_page, next_page=next_page)
        if not csrf_cookie or not secrets.compare_digest(csrf_form, csrf_cookie):
            message = _("The form had expired. Please try again.")
            return form_page(language, secure, message, username=username, status=400)
        if not username.strip() or not password:
            message = _("Fill in your username and password.")
            return form_page(language, secure, message, username=username, status=400)
        try:
            result = await run_in_threadpool(
                functools.partial(
                    auth.sign_in,
                    engine_of(),
                    settings.auth,
                    username,
                    password,
                    address_of(request, settings),
                    device_token=request.cookies.get(DEVICE_COOKIE),
                )
            )
        except Exception as error:
            if database_failure(error) is None:
                raise
            log.error("sign-in: database unavailable: %s", database_failure(error))
            return unavailable_page(language)
        if result.delay_seconds:
            await asyncio.sleep(result.delay_seconds)
        if result.outcome == auth.Outcome.SIGNED_IN and result.token:
            response = RedirectResponse(next_page or "/", status_code=303)
            # A cookie under the other name (from before the site moved to HTTPS) would shadow the new session.
            response.delete_cookie(session_cookie_name(not secure), path="/", secure=not secure)
            response.set_cookie(
                session_cookie_name(secure),
                result.token,
                max_age=settings.auth.absolute_hours * 3600,
                httponly=True,
                samesite="lax",
                secure=secure,
                path="/",
            )
            if result.device_token:
                response.set_cookie(
                    DEVICE_COOKIE,
                    result.device_token,
                    max_age=settings.auth.known_device_days * 86400,
                    httponly=True,
                    samesite="strict",
                    secure=secure,
                    path="/auth/",
                )
            response.delete_cookie(CSRF_COOKIE, path="/auth/")
            return response
        if result.outcome == auth.Outcome.THROTTLED:
            wait = math.ceil(result.retry_after_seconds)
            message = counted(
                _,
                Np_(
                    "Too many wrong passwords for this username. Wait {n} second and try again. "
                    "On a phone or computer where you signed in before, you do not have to wait.",
                    "Too many wrong passwords for this username. Wait {n} seconds and try again. "
                    "On a phone or computer where you signed in before, you do not have to wait.",
                ),
                wait,
            ).format(n=wait)
            response = form_page(language, secure, message, username=username, status=429)
            response.headers["Retry-After"] = str(math.ceil(result.retry_after_seconds))
            return response
        message = _("That username and password do not match. Try again.")
        return form_page(language, secure, message, username=username, status=401)

    async def logout(request: Request) -> Response:
        settings = settings_of()
        cross_site = _cross_site(request)
        token = session_from(request.cookies)
        # The language the person chose, not the phone's: the confirmation and the sign-in form after it.
        language = await _person_language(request, settings, token)
        if request.method != "POST":
            # A GET changes nothing (an image or link on another site could cause one): it shows the button.
            page = login_page.render_sign_out(language, from_elsewhere=cross_site)
            return HTMLResponse(page, headers={"Cache-Control": "no-store"})
        if cross_site:
            return HTMLResponse("Forbidden", status_code=403)
        await run_in_threadpool(auth.sign_out, engine_of(), token, None, address_of(request, settings))
        response = RedirectResponse(f"/auth/login?notice=signed_out&lang={language}", status_code=303)
        _delete_session_cookies(response)
        return response

    async def _person_language(request: Request, settings: Settings, token: str | None) -> str:
        """The signed-in person's own language; the browser's (or ?lang=) for someone not signed in."""
        actor = await run_in_threadpool(auth.resume, engine_of(), settings.auth, token) if token else None
        return actor.language if actor is not None else _language(request, settings)

    async def health(_request: Request) -> Response:
        status, body = await run_in_threadpool(health_report, engine_of(), started)
        return JSONResponse(body, status_code=status)

    return [
        Route("/auth/login", login_form, methods=["GET"]),
        Route("/auth/login", login_submit, methods=["POST"]),
        Route("/auth/logout", logout, methods=["GET", "POST"]),
        Route("/api/health", health, methods=["GET"]),
        calendar_route(settings_of, engine_of),
        checkup_route(settings_of, engine_of),
        *quicklog_routes(settings_of, engine_of),
    ]


class SignInGate(BaseHTTPMiddleware):
    """Sends a browser without a valid session to the sign-in form before the app shell loads.

    This is a convenience: the Streamlit script checks the session again on every run, and every
    service checks permissions itself.
    """

    def __init__(  # type: ignore[no-untyped-def]
        self,
        app,
        settings_of: Callable[[], Settings],
        engine_of: Callable[[], Engine],
        policy: str | None = None,
        media_file: Callable[[str], MediaFile | None] = streamlit_media_file,
    ):
        """policy: the Content-Security-Policy (app.py passes one that allows the page's inline scripts by hash);
        media_file: Streamlit's file at /media/<name> (tests pass their own)."""
        super().__init__(app)
        self.settings_of = settings_of
        self.engine_of = engine_of
        self.policy = policy or content_security_policy()
        self.media_file = media_file

    async def dispatch(self, request: Request, call_next):  # type: ignore[no-untyped-def]
        response = await self._gate(request, call_next)
        # setdefault: a route with a stricter policy of its own (the quick-log, the check-up form) keeps it.
        response.headers.setdefault("Content-Security-Policy", self.policy)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        settings = self.settings_of()
        peer = _peer(request)
        if came_over_https(
            request.url.scheme, peer, request.headers.get("x-forwarded-proto"), settings.auth.trusted_proxies
        ):
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response

    async def _gate(self, request: Request, call_next):  # type: ignore[no-untyped-def]
        path = request.url.path
        is_page = request.method == "GET" and is_page_path(path)
        is_private_file = path.startswith(_SESSION_PREFIXES) or path == _METRICS
        settings = self.settings_of()
        if path == _METRICS and settings.auth.oidc_enabled:
            return Response("Not found", status_code=404, media_type="text/plain")  # sessions are Streamlit's then
        if (is_page or is_private_file) and not settings.auth.oidc_enabled:
            token = session_from(request.cookies)
            try:
                # A read-only database would let the page open and fail at its first save: say so at once instead.
                refusal = await run_in_threadpool(write_refusal, self.engine_of()) if is_page else None
                actor = await run_in_threadpool(auth.resume, self.engine_of(), settings.auth, token) if token else None
            except Exception as error:
                refusal = database_failure(error)
                if refusal is None:
                    raise
            if refusal is not None:
                log.error("page: database unavailable: %s", refusal)
                return unavailable_page(_language(request, settings))
            if is_private_file and (actor is None or (path == _METRICS and not actor.is_admin)):
                return Response("Not found", status_code=404, media_type="text/plain")
            if actor is not None and path.startswith(_SESSION_PREFIXES):
                # A download answers only the session that made it, while its person still may (private_files).
                found = await run_in_threadpool(self.media_file, path.rsplit("/", 1)[-1])
                if found is not None and found.downloadable and not private_files.allowed(found.content, token, actor):
                    log.warning("a download was asked for by a session that did not make it: refused")
                    return Response("Not found", status_code=404, media_type="text/plain")
            if actor is None:
                query = "&".join(
                    [*(["notice=expired"] if token else []), *([f"next={path}"] if path in AFTER_SIGN_IN else [])]
                )
                response = RedirectResponse(f"/auth/login{'?' if query else ''}{query}", status_code=303)
                if token:
                    _delete_session_cookies(response)
                return response
        return await call_next(request)
