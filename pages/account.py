"""My account: language, password and signing out, for everyone who is signed in."""

import streamlit as st

from monitor.errors import UserError
from monitor.i18n import LANGUAGE_NAMES
from monitor.people import accounts as people
from monitor.people import auth
from monitor.ui.context import client_ip, current_settings, engine, session_token, translator
from monitor.ui.failure import show_error
from monitor.ui.guard import require
from monitor.ui.privacy.privacy_panels import my_data
from monitor.ui.text import plain

actor = require()
_ = translator(actor)

st.title(_("My account"))
st.write(_("Signed in as {name} ({username})").format(name=plain(actor.display_name), username=plain(actor.username)))

codes = list(LANGUAGE_NAMES)
choice = st.radio(
    _("Language"),
    codes,
    index=codes.index(actor.language) if actor.language in codes else 0,
    format_func=LANGUAGE_NAMES.get,
    horizontal=True,
)
if choice != actor.language:
    people.set_language(engine(), actor, actor.person_id, choice)
    st.rerun()

st.header(_("Change password"))
must_change = auth.must_change_password(engine(), actor.person_id)
if must_change:
    st.warning(_("Your password was chosen by someone else. Choose your own password before you go on."))
with st.form("password", clear_on_submit=True):
    current = st.text_input(_("Current password"), type="password")
    new = st.text_input(
        _("New password"),
        type="password",
        help=_("At least 10 characters, not a common password, and not your name. A short sentence works well."),
    )
    again = st.text_input(_("New password again"), type="password")
    submitted = st.form_submit_button(_("Change password"), type="primary")
if submitted:
    if new != again:
        st.error(_("The two new passwords are not the same. Nothing was changed."))
    else:
        try:
            people.change_own_password(
                engine(),
                actor,
                current,
                new,
                keep_token=session_token(),
                cfg=current_settings().auth,
                address=client_ip(),
            )
        except UserError as error:
            show_error(error, _)
        else:
            st.success(_("Your password is changed. You were signed out everywhere else."))
            if must_change:
                st.button(_("Go on"), type="primary")

st.divider()
my_data(actor, _)

st.divider()
st.html(f'<a class="monitor-link" href="/auth/logout" target="_self">{_("Sign out")}</a>')
