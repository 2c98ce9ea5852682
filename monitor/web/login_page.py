"""The sign-in form as HTML: one column, large touch targets, readable at 390 px, in the visitor's language."""

from __future__ import annotations

from html import escape

from monitor.i18n import LANGUAGE_NAMES, N_, gettext_for

_STYLE = """
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f5f7f6;color:#1d2b26}
main{max-width:420px;margin:0 auto;padding:32px 20px}
h1{font-size:1.6rem;margin:0 0 4px}
p.lead{margin:0 0 24px;color:#44544e}
label{display:block;font-weight:600;margin:18px 0 6px;font-size:1.05rem}
input{width:100%;font-size:1.15rem;padding:14px 12px;border:2px solid #9bb0a7;border-radius:10px;background:#fff}
input:focus{outline:3px solid #2f7d5b;border-color:#2f7d5b}
button{width:100%;margin-top:26px;font-size:1.2rem;font-weight:700;padding:16px;border:0;border-radius:12px;
background:#2f7d5b;color:#fff;cursor:pointer;min-height:56px}
.msg{padding:14px;border-radius:10px;margin:0 0 10px;font-size:1.05rem}
.error{background:#fde8e8;color:#8a1c1c;border:1px solid #f3b4b4}
.info{background:#e6f2ec;color:#1d4d37;border:1px solid #b5d8c6}
nav{margin-top:28px;display:flex;gap:14px;justify-content:center}
nav a{padding:12px 16px;border-radius:8px;color:#1d4d37;font-weight:600;text-decoration:none;border:1px solid #b5d8c6}
nav a[aria-current]{background:#e6f2ec}
"""


def render(
    language: str,
    csrf_token: str,
    message: str | None = None,
    kind: str = "error",
    username: str = "",
    next_page: str = "",
) -> str:
    """next_page: where to go after signing in, when not the app (the quick-log); checked by the route."""
    _ = gettext_for(language)
    after = f'<input type="hidden" name="next" value="{escape(next_page)}">' if next_page else ""
    notice = f'<p class="msg {kind}" role="alert">{escape(message)}</p>' if message else ""
    switches = "".join(
        f'<a href="/auth/login?lang={code}" lang="{code}"{" aria-current=page" if code == language else ""}>'
        f"{escape(name)}</a>"
        for code, name in LANGUAGE_NAMES.items()
    )
    return f"""<!doctype html>
<html lang="{language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(_("Sign in"))} · {escape(_("Coproducer monitor"))}</title>
<style>{_STYLE}</style>
</head>
<body>
<main>
<h1>{escape(_("Coproducer monitor"))}</h1>
<p class="lead">{escape(_("Sign in to log your requests and see your week."))}</p>
{notice}
<form method="post" action="/auth/login">
<input type="hidden" name="csrf" value="{escape(csrf_token)}">
<input type="hidden" name="lang" value="{escape(language)}">{after}
<label for="username">{escape(_("Username"))}</label>
<input id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false"
 required maxlength="64" value="{escape(username)}">
<label for="password">{escape(_("Password"))}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="256">
<button type="submit">{escape(_("Sign in"))}</button>
</form>
<nav aria-label="{escape(_("Language"))}">{switches}</nav>
</main>
</body>
</html>"""


# The quick-log's requests that have not reached the server yet (monitor/web/quicklog_static/sign-out.js counts them).
WAITING_ON_PHONE = N_("Requests still waiting on this phone: {count}. They are sent when you sign in again.")


def render_sign_out(language: str, from_elsewhere: bool = True) -> str:
    """The sign-out button: signing out happens only on its POST, never on a GET another site can cause."""
    _ = gettext_for(language)
    if from_elsewhere:
        lead = _("A link from somewhere else wants to sign you out of the coproducer monitor.")
    else:
        lead = _("Do you want to sign out of the coproducer monitor?")
    return f"""<!doctype html>
<html lang="{language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(_("Sign out"))} · {escape(_("Coproducer monitor"))}</title>
<style>{_STYLE}</style>
</head>
<body>
<main>
<h1>{escape(_("Sign out?"))}</h1>
<p class="lead">{escape(lead)}</p>
<p id="quicklog-waiting" class="msg error" role="alert" hidden data-text="{escape(_(WAITING_ON_PHONE))}"></p>
<script src="/snel/sign-out.js" defer></script>
<form method="post" action="/auth/logout">
<button type="submit">{escape(_("Sign out"))}</button>
</form>
<nav><a href="/">{escape(_("Stay signed in"))}</a></nav>
</main>
</body>
</html>"""


def render_notice(language: str, message: str) -> str:
    """A page with one message, e.g. that the monitor is temporarily unavailable (the database is away)."""
    _ = gettext_for(language)
    return f"""<!doctype html>
<html lang="{language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="60">
<title>{escape(_("Coproducer monitor"))}</title>
<style>{_STYLE}</style>
</head>
<body>
<main>
<h1>{escape(_("Coproducer monitor"))}</h1>
<p class="msg info" role="alert">{escape(message)}</p>
</main>
</body>
</html>"""
