"""The check at the top of every page and every fragment: refuse anyone without the page's role, and stop as soon as
the session has ended (signed out, expired, disabled, role taken away), also in a fragment that refreshes itself."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import streamlit as st

from db.models import Role
from monitor.errors import database_failure
from monitor.people import security_log
from monitor.people.access import Actor
from monitor.ui.context import client_ip, current_actor, engine, translator
from monitor.web.routes import UNAVAILABLE


def _session_ended(_: Callable[[str], str]) -> None:
    st.error(_("Your session has ended. Sign in again to go on."), icon=":material/lock:")
    st.html(f'<a class="monitor-link" href="/auth/login" target="_self">{_("Go to sign in")}</a>')
    st.stop()


def require(role: Role | None = None) -> Actor:
    """The signed-in person, read again from the server-side session, if they hold role; otherwise say why and stop."""
    try:
        actor = current_actor()
    except Exception as error:
        if database_failure(error) is None:
            raise
        # The first database read of every page is here: when the database is away, say so kindly, no traceback.
        st.error(translator(None)(UNAVAILABLE))
        st.stop()
    _ = translator(actor)
    if actor is None:
        _session_ended(_)
    assert actor is not None
    if role is not None and not actor.has_role(role):
        security_log.record_now(engine(), "access_refused", actor, client_ip(), f"page needs {role.value}")
        st.error(_("You do not have access to this page."))
        st.stop()
    return actor


def guarded_fragment(
    role: Role | None, run_every: int | float | timedelta | None = None
) -> Callable[[Callable[[Actor], Any]], Callable[[], Any]]:
    """st.fragment that checks the session again on each of its runs and hands the body the person read now.

    A fragment reruns without the page around it, so a person read at page load would outlive the session.
    """

    def decorate(body: Callable[[Actor], Any]) -> Callable[[], Any]:
        def run() -> Any:
            return body(require(role))

        run.__name__ = body.__name__
        run.__qualname__ = body.__qualname__
        return st.fragment(run_every=run_every)(run)

    return decorate
