"""The Streamlit script: who is signed in, which pages their roles open, and the frame around every page."""

from __future__ import annotations

import streamlit as st

from monitor.i18n import LANGUAGE_NAMES
from monitor.messages import inbox
from monitor.ui.context import current_actor, current_settings, engine, translator
from monitor.ui.navigation import menu_title, pages_for
from monitor.ui.style import page_frame

actor = current_actor()
_ = translator(actor)
st.set_page_config(page_title=_("Coproducer monitor"), page_icon=":material/volunteer_activism:", layout="centered")
page_frame(_("Menu"))

if actor is None:
    st.title(_("Coproducer monitor"))
    st.warning(_("You are not signed in, or your session has ended."))
    st.html(f'<a class="monitor-link" href="/auth/login" target="_self">{_("Go to sign in")}</a>')
    if current_settings().auth.oidc_enabled:
        st.button(_("Sign in with your organisation"), on_click=st.login, type="primary")
    st.stop()

unread = inbox.unread_count(engine(), actor)
pages = [
    st.Page(spec.path, title=menu_title(spec, _, unread), icon=spec.icon, url_path=spec.url_path, default=index == 0)
    for index, spec in enumerate(pages_for(actor))
]
current = st.navigation(pages, position="sidebar")

with st.sidebar:
    st.caption(_("Signed in as {name}").format(name=actor.display_name))
    st.caption(LANGUAGE_NAMES.get(actor.language, actor.language))
    st.html(f'<a class="monitor-link" href="/auth/logout" target="_self">{_("Sign out")}</a>')

current.run()
