"""The Streamlit script: who is signed in, which pages their roles open, and the frame around every page."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from monitor.errors import PermissionDenied
from monitor.i18n import LANGUAGE_NAMES
from monitor.messages import inbox
from monitor.people import auth
from monitor.ui.context import checked_for_this_run, current_actor, current_settings, engine, translator
from monitor.ui.failure import show_error, show_unexpected
from monitor.ui.navigation import ACCOUNT, menu_title, pages_for
from monitor.ui.page_language import set_page_language
from monitor.ui.run_marks import marked_run
from monitor.ui.style import no_input_hints, page_frame
from monitor.ui.text import plain

actor = current_actor()
_ = translator(actor)
# The app's own icon, served by the app: a Material icon name would make every browser fetch the picture from
# fonts.gstatic.com (a request to Google on every page, refused by the Content-Security-Policy's img-src).
ICON = str(Path(__file__).parent / "monitor" / "web" / "quicklog_static" / "icon-192.png")
st.set_page_config(page_title=_("Coproducer monitor"), page_icon=ICON, layout="centered")
page_frame(_("Menu"))
set_page_language(actor.language if actor else current_settings().default_language)


def signed_out() -> None:
    st.title(_("Coproducer monitor"))
    st.warning(_("You are not signed in, or your session has ended."))
    st.html(f'<a class="monitor-link" href="/auth/login" target="_self">{_("Go to sign in")}</a>')
    if current_settings().auth.oidc_enabled:
        st.button(_("Sign in with your organisation"), on_click=st.login, type="primary")
    st.stop()


if actor is None:
    with marked_run():
        signed_out()

unread = inbox.unread_count(engine(), actor)
specs = pages_for(actor)
if auth.must_change_password(engine(), actor.person_id):
    # Someone else chose this password: the person picks their own before anything else opens.
    specs = [spec for spec in specs if spec.url_path == ACCOUNT]
pages = [
    st.Page(spec.path, title=menu_title(spec, _, unread), icon=spec.icon, url_path=spec.url_path, default=index == 0)
    for index, spec in enumerate(specs)
]
current = st.navigation(pages, position="sidebar")

with st.sidebar:
    st.caption(_("Signed in as {name}").format(name=plain(actor.display_name)))
    st.caption(LANGUAGE_NAMES.get(actor.language, actor.language))
    st.html(f'<a class="monitor-link" href="/auth/logout" target="_self">{_("Sign out")}</a>')

no_input_hints()
with marked_run():
    try:
        with checked_for_this_run(actor):  # the page's own check needs no second read of the session
            current.run()
    except PermissionDenied as refused:
        # A service refused and the page did not expect it: say so, and keep it in the security log.
        show_error(refused, _, actor=actor)
    except Exception as error:  # noqa: BLE001 - anything unexpected gets a reference instead of a traceback
        show_unexpected(error, _)
