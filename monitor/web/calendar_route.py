"""The counsellor's private iCal feed, served at /api/calendar/<secret>.ics for their phone's calendar to subscribe to.

The secret in the address is the only credential (calendar apps send no cookies); an unknown or revoked secret
gets a plain 404, so the route does not tell whether an address ever existed.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from monitor.checkins import calendar_feed
from monitor.config import Settings


def calendar_route(settings_of: Callable[[], Settings], engine_of: Callable[[], Engine]) -> Route:
    async def feed(request: Request) -> Response:
        token = str(request.path_params.get("token", ""))
        body = await run_in_threadpool(calendar_feed.feed_ics, engine_of(), settings_of(), token)
        if body is None:
            return PlainTextResponse("Not found", status_code=404, headers={"Cache-Control": "no-store"})
        headers = {
            "Cache-Control": "private, max-age=300",
            "Content-Disposition": 'inline; filename="check-ins.ics"',
            "X-Robots-Tag": "noindex",
        }
        return Response(body, media_type="text/calendar; charset=utf-8", headers=headers)

    return Route("/api/calendar/{token}.ics", feed, methods=["GET"])
