"""The quick-log at /snel/: a page, its files and a JSON endpoint beside the Streamlit app, made for a cheap phone on a
bad line. Requests wait on the phone until they reach the server, and each is stored once (its id, a UUID the phone
made when Save was tapped, is the idempotency key of log_request).

The endpoint takes the same session cookie as the app, refuses what another site sends (the Origin must be this
site's, and a token only a page of this site can read must come along), and saves through log_request, so every check,
the audit trail and the rules' queue apply as on Log a request.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import logging
import secrets
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from monitor.config import Settings
from monitor.errors import PermissionDenied, UserError, ValidationError, database_failure
from monitor.i18n import N_, gettext_for
from monitor.messages.words import CHANNEL_LABELS, OUTSIDE_REASON_LABELS, TOPIC_LABELS_WITH_OTHER
from monitor.people import auth, security_log
from monitor.people.access import Actor, Role
from monitor.requests.log import RequestRow, log_request, undo_request
from monitor.web import quicklog_page
from monitor.web.cookies import client_address, session_from
from monitor.web.quicklog_input import MAX_BODY, UNREADABLE, parse

log = logging.getLogger(__name__)

SOURCE = "quicklog"  # help_requests.source of what the quick-log saves ("app": Log a request, "import")
STATIC = Path(__file__).resolve().parent / "quicklog_static"
_TYPES = {
    "quicklog.js": "text/javascript; charset=utf-8",
    "sw.js": "text/javascript; charset=utf-8",
    "sign-out.js": "text/javascript; charset=utf-8",
    "quicklog.css": "text/css; charset=utf-8",
    "manifest.webmanifest": "application/manifest+json",
    "icon.svg": "image/svg+xml",
    "icon-192.png": "image/png",
    "icon-512.png": "image/png",
}
# Only this site's files run, and nothing may be framed, posted elsewhere or loaded from elsewhere.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "manifest-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
_PAGE_HEADERS = {"Content-Security-Policy": CSP, "Cache-Control": "no-cache, private"}
_API_HEADERS = {"Cache-Control": "no-store"}
CSRF_HEADER = "x-csrf-token"

OTHER_PERSON = N_("This request was saved by someone else on this phone. It waits until they sign in.")
SIGNED_OUT = N_("Your session has ended. Please sign in again.")
FORBIDDEN = N_("This came from another site or an old page. Open the quick log again.")
UNAVAILABLE = N_("The monitor is temporarily unavailable. Please try again in a minute.")
TOO_LARGE = N_("The request is too large to be a request.")


@lru_cache(maxsize=1)
def _files() -> tuple[dict[str, bytes], str]:
    """The quick-log's files and their version (a hash of them all): the service worker's cache is named after it,
    so a new release replaces every cached file at once."""
    contents = {name: (STATIC / name).read_bytes() for name in _TYPES}
    version = hashlib.sha256(b"".join(contents[name] for name in sorted(contents))).hexdigest()[:12]
    contents["sw.js"] = contents["sw.js"].replace(b"__VERSION__", version.encode())
    return contents, version


def csrf_token(session_token: str) -> str:
    """The token a page of this site sends with each save: derived from the session (another site can neither read
    the cookie nor the endpoint's answer that carries the token), so it needs no storage and ends with the session."""
    return hmac.new(session_token.encode(), b"monitor quick-log csrf", hashlib.sha256).hexdigest()


def _same_origin(request: Request) -> bool:
    """The request came from a page of this site: Origin must name it (fetch sends it with every POST), and
    Sec-Fetch-Site, where the browser sends it, must agree."""
    origin = request.headers.get("origin")
    if origin is None or urlsplit(origin).netloc != request.url.netloc:
        return False
    return request.headers.get("sec-fetch-site", "same-origin") == "same-origin"


def _problem(status: int, code: str, message: str, **extra: Any) -> JSONResponse:
    """A refusal the phone can act on: code says whether to try again (csrf, unavailable) or not."""
    return JSONResponse({"code": code, "message": message, **extra}, status_code=status, headers=_API_HEADERS)


async def _read_body(request: Request) -> bytes | None:
    """The body, or None once it passes MAX_BODY (whatever Content-Length claims)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        return None
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > MAX_BODY:
            return None
    return bytes(body)


Endpoint = Callable[[Request], Awaitable[Response]]


def saved_text(_: Callable[[str], str], row: RequestRow) -> str:
    """ "Opgeslagen: aan mijn deur, geld en schulden, 15 min", as Log a request says it."""
    words = [_(CHANNEL_LABELS[row.channel]), *(_(TOPIC_LABELS_WITH_OTHER[t]) for t in row.topics)]
    what = ", ".join([*(word[:1].lower() + word[1:] for word in words), quicklog_page.minutes_label(_, row.minutes)])
    return _("Saved: {what}").format(what=what)


def quicklog_routes(settings_of: Callable[[], Settings], engine_of: Callable[[], Engine]) -> list[Route]:
    """The page, its files and the endpoints; the sign-in gate sends a browser without a session to the sign-in form
    before the page, and the endpoints (under /api/, which the gate leaves alone) answer 401 themselves."""

    def retried_while_database_is_away(endpoint: Endpoint) -> Endpoint:
        """A 503 that the phone tries again after, instead of an error, while the database is away."""

        @functools.wraps(endpoint)
        async def answering(request: Request) -> Response:
            try:
                return await endpoint(request)
            except Exception as error:
                reason = database_failure(error)
                if reason is None:
                    raise
                log.error("quick-log: database unavailable: %s", reason)
                return _problem(503, "unavailable", gettext_for(settings_of().default_language)(UNAVAILABLE))

        return answering

    def address(request: Request) -> str:
        peer = request.client.host if request.client else None
        return client_address(peer, request.headers.get("x-forwarded-for"), settings_of().auth.trusted_proxies)

    async def actor_of(request: Request) -> tuple[Actor | None, str | None]:
        token = session_from(request.cookies)
        if not token:
            return None, None
        actor = await run_in_threadpool(auth.resume, engine_of(), settings_of().auth, token)
        return actor, token

    async def page(request: Request) -> Response:
        settings = settings_of()
        actor, _token = await actor_of(request)
        language = actor.language if actor else settings.default_language
        if actor is not None and not actor.has_role(Role.COPRODUCER):
            _ = gettext_for(language)
            message = _("Only coproducers log requests. Ask your project leader to add you to a team.")
            return HTMLResponse(quicklog_page.render_refusal(language, message), 403, headers=_PAGE_HEADERS)
        requests = settings.requests
        html = quicklog_page.render(language, requests.earlier_days, requests.max_minutes, _files()[1])
        return HTMLResponse(html, headers=_PAGE_HEADERS)

    async def to_page(_request: Request) -> Response:
        return RedirectResponse("/snel/", status_code=308)

    async def static(request: Request) -> Response:
        name = str(request.path_params["name"])
        files, _version = _files()
        if name not in files:
            return Response("Not found", status_code=404, media_type="text/plain")
        # no-cache: the browser asks each time, and an unchanged file costs one short 304 on a slow line.
        etag = f'"{hashlib.sha256(files[name]).hexdigest()[:16]}"'
        headers = {"Content-Security-Policy": CSP, "Cache-Control": "no-cache", "ETag": etag}
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers=headers)
        return Response(files[name], media_type=_TYPES[name], headers=headers)

    async def session(request: Request) -> Response:
        """Who is signed in on this phone now, and the token their saves carry: the phone sends only their entries."""
        actor, token = await actor_of(request)
        if actor is None or token is None:
            return _problem(401, "signed_out", gettext_for(settings_of().default_language)(SIGNED_OUT))
        body = {"person": actor.person_id, "language": actor.language, "csrf": csrf_token(token)}
        return JSONResponse(body, headers=_API_HEADERS)

    async def guarded(request: Request) -> tuple[Actor, Callable[[str], str]] | Response:
        """The signed-in actor and their gettext, or the refusal: another site, no session, a wrong token."""
        language = settings_of().default_language
        if not _same_origin(request):
            return _problem(403, "forbidden", gettext_for(language)(FORBIDDEN))
        actor, token = await actor_of(request)
        if actor is None or token is None:
            return _problem(401, "signed_out", gettext_for(language)(SIGNED_OUT))
        _ = gettext_for(actor.language)
        sent = request.headers.get(CSRF_HEADER, "")
        if not secrets.compare_digest(sent.encode(), csrf_token(token).encode()):
            return _problem(403, "csrf", _(FORBIDDEN))
        return actor, _

    async def save(request: Request) -> Response:
        checked = await guarded(request)
        if isinstance(checked, Response):
            return checked
        actor, _ = checked
        body = await _read_body(request)
        if body is None:
            return _problem(413, "too_large", _(TOO_LARGE))
        try:
            entry = parse(body)
        except ValidationError as error:
            code = "malformed" if error.message == UNREADABLE else "refused"
            return _problem(400 if code == "malformed" else 422, code, error.render(_))
        if entry.person_id != actor.person_id:
            await _refused(request, actor, OTHER_PERSON)
            return _problem(403, "other_person", _(OTHER_PERSON))
        settings, now = settings_of(), datetime.now(UTC)
        try:
            row = await run_in_threadpool(
                lambda: log_request(
                    engine_of(), settings, actor, actor.person_id, entry.data, now, SOURCE, client_id=entry.client_id
                )
            )
        except UserError as error:
            if isinstance(error, PermissionDenied):
                await _refused(request, actor, error.message)
            return _problem(422 if isinstance(error, ValidationError) else 403, "refused", error.render(_))
        status = 201 if row.created_at == now else 200  # 200: the phone sent it before, and it is stored already
        return JSONResponse(_answer(_, settings, entry.client_id, row), status, headers=_API_HEADERS)

    async def undo(request: Request) -> Response:
        checked = await guarded(request)
        if isinstance(checked, Response):
            return checked
        actor, _ = checked
        body = await _read_body(request)
        try:
            request_id = json.loads(body or b"")["request_id"]
        except (ValueError, KeyError, TypeError):
            return _problem(400, "malformed", _(UNREADABLE))
        if type(request_id) is not int:
            return _problem(400, "malformed", _(UNREADABLE))
        try:
            await run_in_threadpool(undo_request, engine_of(), settings_of(), actor, request_id)
        except UserError as error:
            return _problem(422, "refused", error.render(_))
        return JSONResponse({"message": _("The request was taken back.")}, headers=_API_HEADERS)

    async def _refused(request: Request, actor: Actor, message: str) -> None:
        detail = f"quick-log: {message}"[:200]
        await run_in_threadpool(security_log.record_now, engine_of(), "access_refused", actor, address(request), detail)

    return [
        Route("/snel", to_page, methods=["GET"]),
        Route("/snel/", page, methods=["GET"]),
        Route("/snel/{name}", static, methods=["GET"]),
        Route("/api/quicklog/session", retried_while_database_is_away(session), methods=["GET"]),
        Route("/api/quicklog/requests", retried_while_database_is_away(save), methods=["POST"]),
        Route("/api/quicklog/undo", retried_while_database_is_away(undo), methods=["POST"]),
    ]


def _answer(_: Callable[[str], str], settings: Settings, client_id: str, row: RequestRow) -> dict[str, Any]:
    """What the phone shows after a save: what was saved, whether it came outside the agreed hours, until when Undo
    is offered."""
    outside = None
    if row.outside_reason:
        outside = _("This came {reason}.").format(reason=_(OUTSIDE_REASON_LABELS[row.outside_reason]))
    return {
        "id": client_id,
        "request_id": row.id,
        "received_at": row.received_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "saved": saved_text(_, row),
        "outside": outside,
        "undo_until": (row.created_at + timedelta(seconds=settings.requests.undo_seconds))
        .astimezone(UTC)
        .isoformat()
        .replace("+00:00", "Z"),
    }
