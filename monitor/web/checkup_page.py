"""The check-up for partner professionals, at /api/checkup/<secret>: a plain HTML form that works once, no account.

Why a one-time link and not a "partner" role: partner professionals (a GP, a social worker) answer once or twice a
year; an account with a password would be one more thing for them to manage and for the leader to keep tidy, and it
would open the app to people who need nothing else in it. The link holds no name and, once used or once the round is
closed, opens nothing. Like the calendar feed, an unknown link gets a plain 404.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from urllib.parse import urlsplit

from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from monitor.checkup import rounds
from monitor.checkup.statements import DIMENSIONS, SCALE, SCALE_LABELS, SOURCE, STATEMENTS, wording
from monitor.config import Settings
from monitor.errors import ValidationError
from monitor.i18n import LANGUAGE_NAMES, gettext_for
from monitor.web.login_page import _STYLE

_EXTRA = """
main{max-width:760px}
fieldset{border:1px solid #b5d8c6;border-radius:10px;margin:14px 0;padding:10px 14px;background:#fff}
legend{font-weight:700;padding:0 6px}
.choices{display:flex;flex-wrap:wrap;gap:6px}
.choices label{font-weight:400;margin:0;font-size:1rem;display:flex;align-items:center;gap:6px;min-height:44px;
padding:4px 10px;border:1px solid #d2ded8;border-radius:8px}
.choices input{width:auto}
h2{font-size:1.2rem;margin:26px 0 4px}
"""
HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "X-Robots-Tag": "noindex",
    "Referrer-Policy": "no-referrer",
}


def _not_found() -> Response:
    return PlainTextResponse("Not found", status_code=404, headers=HEADERS)


def render(
    language: str,
    token: str,
    message: str | None = None,
    chosen: dict[int, int] | None = None,
    statements_file: str = "",
) -> str:
    _ = gettext_for(language)
    statements = wording(statements_file, language, _)
    chosen = chosen or {}
    notice = f'<p class="msg error" role="alert">{escape(message)}</p>' if message else ""
    parts = []
    for dimension in DIMENSIONS:
        parts.append(f"<h2>{escape(_(dimension.title))}</h2>")
        for item in dimension.items:
            choices = "".join(
                f'<label><input type="radio" name="s{item}" value="{value}" required'
                f"{' checked' if chosen.get(item) == value else ''}>{escape(_(SCALE_LABELS[value]))}</label>"
                for value in SCALE
            )
            parts.append(
                f'<fieldset><legend>{item}. {escape(statements[item])}</legend><div class="choices">{choices}'
                "</div></fieldset>"
            )
    switches = "".join(
        f'<a href="?lang={code}" lang="{code}"{" aria-current=page" if code == language else ""}>{escape(name)}</a>'
        for code, name in LANGUAGE_NAMES.items()
    )
    intro = _(
        "How does working together with this team go? Say how much you agree with each statement. Your answers are "
        "anonymous: nobody sees who answered what, and results show only when at least 3 people answered."
    )
    return f"""<!doctype html>
<html lang="{language}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(_("Collaboration check-up"))}</title><style>{_STYLE}{_EXTRA}</style></head>
<body><main>
<h1>{escape(_("Collaboration check-up"))}</h1>
<p class="lead">{escape(intro)}</p>{notice}
<form method="post" action="/api/checkup/{escape(token)}?lang={language}">
{"".join(parts)}
<button type="submit">{escape(_("Send my answers"))}</button>
</form>
<p class="lead">{escape(_("Source: {source}").format(source=SOURCE))}</p>
<nav>{switches}</nav>
</main></body></html>"""


def _thanks(language: str) -> str:
    _ = gettext_for(language)
    return (
        f'<!doctype html><html lang="{language}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(_('Thank you'))}</title><style>{_STYLE}</style></head><body><main>"
        f'<h1>{escape(_("Thank you"))}</h1><p class="msg info" role="status">'
        f"{escape(_('Your answers are saved. This link now no longer works.'))}</p></main></body></html>"
    )


def _cross_site(request: Request) -> bool:
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site not in ("same-origin", "none")
    origin = request.headers.get("origin")
    return origin is not None and urlsplit(origin).netloc != request.url.netloc


def checkup_route(settings_of: Callable[[], Settings], engine_of: Callable[[], Engine]) -> Route:
    def language_of(request: Request, invited: str) -> str:
        wanted = request.query_params.get("lang")
        return wanted if wanted in settings_of().languages else invited

    async def page(request: Request) -> Response:
        token = str(request.path_params["token"])
        found = await run_in_threadpool(rounds.invite, engine_of(), token)
        if found is None:
            return _not_found()
        language = language_of(request, found[1])
        if request.method == "GET":
            return HTMLResponse(
                render(language, token, statements_file=settings_of().checkup.statements_file), headers=HEADERS
            )
        if _cross_site(request):
            return PlainTextResponse("Forbidden", status_code=403, headers=HEADERS)
        form = await request.form()
        answers: dict[int, int] = {}
        for item in STATEMENTS:
            value = str(form.get(f"s{item}") or "")
            if value.isdigit():
                answers[item] = int(value)
        try:
            saved = await run_in_threadpool(rounds.answer_by_invite, engine_of(), token, answers)
        except ValidationError as error:
            message = error.render(gettext_for(language))
            page_html = render(language, token, message, answers, settings_of().checkup.statements_file)
            return HTMLResponse(page_html, status_code=400, headers=HEADERS)
        if not saved:
            return _not_found()
        return HTMLResponse(_thanks(language), headers=HEADERS)

    return Route("/api/checkup/{token}", page, methods=["GET", "POST"])
