"""The check at the top of every page: refuse anyone without the page's role."""

from __future__ import annotations

import streamlit as st

from db.models import Role
from monitor.people.access import Actor
from monitor.ui.context import current_actor, translator


def require(role: Role | None = None) -> Actor:
    """The signed-in person if they hold role; otherwise show why not and stop the page."""
    actor = current_actor()
    _ = translator(actor)
    if actor is None:
        st.error(_("You are not signed in."))
        st.stop()
    if role is not None and not actor.has_role(role):
        st.error(_("You do not have access to this page."))
        st.stop()
    return actor
