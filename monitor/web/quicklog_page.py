"""The quick-log's one page as HTML, in the person's language: the same choices as Log a request, as large buttons.

Plain HTML that the service worker keeps, so it opens with no network; quicklog.js reads the texts it needs from the
JSON block at the end (a script of type application/json is data, not code, so the strict CSP allows it).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from html import escape

from monitor.i18n import N_, gettext_for
from monitor.messages.words import CHANNEL_LABELS, TOPIC_LABELS_WITH_OTHER
from monitor.requests.vocab import CHANNELS, MINUTE_CHOICES, TOPICS

TITLE = N_("Quick log")
OFFER = N_("Quick log, also without signal")
MY_WEEK = "/my-week"  # monitor/ui/navigation.py: My week's url_path

# The texts quicklog.js shows; msgids, translated for the page.
SCRIPT_TEXTS = {
    "waiting": N_("Saved on your phone, will be sent"),
    "show": N_("Show what waits"),
    "hide": N_("Hide"),
    "delete": N_("Delete"),
    "undo": N_("Undo"),
    "undone": N_("The request was taken back."),
    "outside": N_("This came {reason}."),
    "refused": N_("Not sent: {message}"),
    "tapped": N_("Tapped at {when}"),
    "signed_out": N_("Sign in again to send what waits on your phone."),
    "sign_in": N_("Sign in"),
    "others": N_("Requests of someone else wait on this phone: {count}. They are sent when that person signs in."),
    "no_person": N_("Sign in first, then you can log here, also without signal."),
    "offline_undo": N_("No connection. Try again in a moment."),
    "channel": N_("Choose how you were approached."),
    "topics": N_("Choose what it was about."),
    "minutes": N_("Choose how long it took."),
    "earlier": N_("Choose the day and time."),
    "minutes_short": N_("{minutes} min"),
    "hour": N_("{hours} hour"),
    "hours_more": N_("{hours} hours or more"),
}
OUTSIDE_TEXTS = ("night", "holiday", "weekend", "day_off", "evening", "early", "between")


def minutes_label(_: Callable[[str], str], minutes: int) -> str:
    """As Log a request names a duration: "15 min", "1 uur", "2 uur of meer"."""
    if minutes == MINUTE_CHOICES[-1]:
        return _("{hours} hours or more").format(hours=minutes // 60)
    if minutes >= 60 and minutes % 60 == 0 and minutes in MINUTE_CHOICES:
        return _("{hours} hour").format(hours=minutes // 60)
    return _("{minutes} min").format(minutes=minutes)


def _tiles(name: str, kind: str, choices: list[tuple[str, str]], extra: str = "") -> str:
    return "".join(
        f'<label class="tile"><input type="{kind}" name="{name}" value="{escape(value)}"{extra}>'
        f"<span>{escape(text)}</span></label>"
        for value, text in choices
    )


def render(language: str, earlier_days: int, max_minutes: int, asset_version: str) -> str:
    _ = gettext_for(language)
    texts = {key: _(msgid) for key, msgid in SCRIPT_TEXTS.items()}
    texts["labels"] = {code: _(CHANNEL_LABELS[code]) for code in CHANNELS}
    texts["topic_labels"] = {code: _(TOPIC_LABELS_WITH_OTHER[code]) for code in TOPICS}
    settings = {"earlier_days": earlier_days, "language": language, "minute_choices": MINUTE_CHOICES}
    # "</" cannot end the block early: json.dumps leaves "/" alone, so escape "<" instead.
    data = json.dumps({"texts": texts, "settings": settings}, ensure_ascii=False).replace("<", "\\u003c")
    channels = _tiles("channel", "radio", [(c, _(CHANNEL_LABELS[c])) for c in CHANNELS])
    topics = _tiles("topics", "checkbox", [(t, _(TOPIC_LABELS_WITH_OTHER[t])) for t in TOPICS])
    durations = _tiles("minutes", "radio", [(str(m), minutes_label(_, m)) for m in MINUTE_CHOICES])
    durations += _tiles("minutes", "radio", [("exact", _("Other…"))])
    when = _tiles("when", "radio", [("now", _("Just now")), ("earlier", _("Earlier"))])
    version = escape(asset_version)
    return f"""<!doctype html>
<html lang="{escape(language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="theme-color" content="#2f7d5b">
<title>{escape(_(TITLE))} · {escape(_("Coproducer monitor"))}</title>
<link rel="manifest" href="/snel/manifest.webmanifest">
<link rel="icon" href="/snel/icon.svg" type="image/svg+xml">
<link rel="apple-touch-icon" href="/snel/icon-192.png">
<link rel="stylesheet" href="/snel/quicklog.css?v={version}">
<script src="/snel/quicklog.js?v={version}" defer></script>
</head>
<body>
<header>
<h1>{escape(_(TITLE))}</h1>
<nav aria-label="{escape(_(TITLE))}"><a href="{MY_WEEK}">{escape(_("My week"))}</a>
<button type="button" id="sign-out" class="quiet">{escape(_("Sign out"))}</button></nav>
</header>
<main>
<noscript><p class="msg error">{escape(_("This page needs JavaScript. Use Log a request instead."))}</p></noscript>
<div id="status" role="status" aria-live="polite"></div>
<section id="outbox" class="outbox" hidden aria-labelledby="outbox-title">
<p id="outbox-title"><span id="outbox-text">{escape(_(SCRIPT_TEXTS["waiting"]))}</span>
<strong id="outbox-count" class="count"></strong></p>
<p id="outbox-note" class="note" hidden></p>
<button type="button" id="outbox-toggle" class="quiet" aria-expanded="false" aria-controls="outbox-list">
{escape(_(SCRIPT_TEXTS["show"]))}</button>
<ul id="outbox-list" hidden></ul>
</section>
<form id="log" novalidate autocomplete="off">
<fieldset><legend>{escape(_("How were you approached?"))}</legend><div class="tiles three">{channels}</div></fieldset>
<fieldset><legend>{escape(_("What was it about?"))} <small>{escape(_("You can choose more than one."))}</small>
</legend><div class="tiles two">{topics}</div></fieldset>
<fieldset><legend>{escape(_("How long did it take?"))}</legend><div class="tiles three">{durations}</div>
<p class="extra" id="exact-field" hidden><label for="exact">{escape(_("Minutes"))}</label>
<input id="exact" name="exact" type="number" inputmode="numeric" min="1" max="{max_minutes}" step="1"></p>
</fieldset>
<fieldset><legend>{escape(_("When?"))}</legend><div class="tiles two">{when}</div>
<p class="extra" id="earlier-field" hidden><label for="earlier">{escape(_("Day"))} · {escape(_("Time"))}</label>
<input id="earlier" name="earlier" type="datetime-local"></p>
</fieldset>
<label class="tile wide"><input type="checkbox" name="beyond_role" value="1">
<span>{escape(_("This was beyond my role"))}</span></label>
<p id="problem" class="msg error" role="alert" hidden></p>
<div class="save-bar"><button type="submit" id="save">{escape(_("Save"))}</button></div>
</form>
</main>
<dialog id="confirm-sign-out" aria-labelledby="confirm-title">
<h2 id="confirm-title">{escape(_("Sign out?"))}</h2>
<p id="confirm-text" data-text="{escape(_(CONFIRM_SIGN_OUT))}"></p>
<form method="dialog" class="choices">
<button value="stay" class="quiet">{escape(_("Stay signed in"))}</button>
<button value="out">{escape(_("Sign out anyway"))}</button>
</form>
</dialog>
<form id="sign-out-form" method="post" action="/auth/logout" hidden></form>
<script type="application/json" id="quicklog-data">{data}</script>
</body>
</html>"""


CONFIRM_SIGN_OUT = N_(
    "Requests still waiting on this phone: {count}. They are sent when you sign in again. Sign out anyway?"
)


def render_refusal(language: str, message: str) -> str:
    """A page with one message, for someone who may not log requests (no coproducer role)."""
    _ = gettext_for(language)
    return f"""<!doctype html>
<html lang="{escape(language)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(_(TITLE))}</title><link rel="stylesheet" href="/snel/quicklog.css"></head>
<body><main><h1>{escape(_(TITLE))}</h1><p class="msg error">{escape(message)}</p>
<p><a href="/">{escape(_("Coproducer monitor"))}</a></p></main></body></html>"""
