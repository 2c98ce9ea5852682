"""The check at the top of every page: refuse anyone without the page's role."""

from __future__ import annotations

import streamlit as st

from db.models import Role
from monitor.errors import database_failure
from monitor.people.access import Actor
from monitor.ui.context import current_actor, translator
from monitor.web.routes import UNAVAILABLE


def require(role: Role | None = None) -> Actor:
    """The signed-in person if they hold role; otherwise show why not and stop the page."""
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
        st.error(_("You are not signed in."))
        st.stop()
    if role is not None and not actor.has_role(role):
        st.error(_("You do not have access to this page."))
        st.stop()
    return actor
