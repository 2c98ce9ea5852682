"""What a person sees when something goes wrong: an error they can act on, with what anyone typed in it shown as plain
text and a refusal kept in the security log; or, for what they did not cause, a plain message with a short reference,
while the traceback goes to the server log under that reference (never to the browser: showErrorDetails = "none")."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from typing import Any

import streamlit as st

from monitor.errors import PermissionDenied, UserError, database_failure
from monitor.people import security_log
from monitor.people.access import Actor
from monitor.ui import saved
from monitor.ui.context import client_ip, current_actor, engine
from monitor.ui.text import plain
from monitor.web.routes import UNAVAILABLE

log = logging.getLogger("monitor.errors")


def error_text(error: UserError, gettext: Callable[[str], str]) -> str:
    """The error in the reader's language, with every value it quotes (a name, a file name, what someone typed) as
    plain text, so that Markdown or HTML in it is shown as written instead of rendered."""
    params = {
        key: plain(value, one_line=True) if isinstance(value, str) else value for key, value in error.params.items()
    }
    return gettext(error.message).format(**params)


def log_refusal(refused: PermissionDenied, actor: Actor | None = None) -> None:
    """Keep a refusal in the security log: who, from where, and the refusal's wording (never what was typed)."""
    actor = actor if actor is not None else current_actor()
    security_log.record_now(engine(), "access_refused", actor, client_ip(), refused.message[:200])


def show_error(
    error: UserError,
    gettext: Callable[[str], str],
    show: Callable[..., Any] | None = None,
    actor: Actor | None = None,
    **options: Any,
) -> None:
    """Show an error the page caught itself (with st.error unless show says otherwise); a refusal is also logged,
    exactly like one that reaches home.py."""
    if isinstance(error, PermissionDenied):
        log_refusal(error, actor)
    (show or st.error)(error_text(error, gettext), **options)


def show_unexpected(error: BaseException, gettext: Callable[[str], str]) -> str:
    """Log error with a fresh reference and tell the person, in their language, what to do; returns the reference.

    When the database is away or refuses changes (read-only), the person is told that instead: nothing they can
    report would help, and the operator finds the reason in the log."""
    reference = secrets.token_hex(4).upper()
    reason = database_failure(error)
    if reason is not None:
        log.error("database unavailable, reference %s: %s", reference, reason)
        st.error(gettext(UNAVAILABLE), icon=":material/cloud_off:")
        return reference
    log.error("unexpected error, reference %s", reference, exc_info=error)
    message = gettext(
        "Something went wrong on our side. Try again in a moment. If it keeps happening, "
        "give your administrator this reference: {reference}"
    )
    st.error(message.format(reference=reference), icon=":material/error:")
    return reference


def attempt(
    action: Callable[[], object], success: str, gettext: Callable[[str], str], where: str | None = None
) -> bool:
    """Run a service call; show its error in the person's language, or the success message. True when it worked.

    With where, the page runs again after a success: the message is kept for saved.show(where) on that run."""
    try:
        action()
    except UserError as error:
        show_error(error, gettext)
        return False
    if where is None:
        st.success(success)
    else:
        saved.remember(where, success)
    return True
