"""The administrator's account forms: add a person (with a first role), and change one account (password, disable or
enable, remove when they leave). Each returns True when the page should run again to show the change."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from monitor.i18n import LANGUAGE_NAMES
from monitor.people import accounts as people
from monitor.people.access import Actor, Role
from monitor.people.accounts import PersonRow
from monitor.requests import log as requests
from monitor.ui.birth_month import birth_month_form
from monitor.ui.context import current_settings, engine
from monitor.ui.failure import attempt
from monitor.ui.labels import ROLE_LABELS
from monitor.ui.privacy.privacy_panels import remove_person
from monitor.ui.text import plain


def add_person_form(actor: Actor, team_names: dict[int, str], _: Callable[[str], str]) -> bool:
    db = engine()
    roles = [r.value for r in Role]
    with st.form("add_person", clear_on_submit=True):
        st.header(_("Add a person"))
        username = st.text_input(_("Username"), placeholder="fatima.b")
        display_name = st.text_input(_("Name to show"))
        email = st.text_input(_("E-mail (optional)"))
        language = st.selectbox(_("Language"), list(LANGUAGE_NAMES), format_func=LANGUAGE_NAMES.get)
        password = st.text_input(_("First password"), type="password", help=_("At least 10 characters."))
        team_id = st.selectbox(
            _("Team"), list(team_names), format_func=team_names.get, index=None, placeholder=_("Choose a team")
        )
        role = st.selectbox(
            _("Role"), roles, format_func=lambda r: _(ROLE_LABELS[r]), index=None, placeholder=_("No role yet")
        )
        if st.form_submit_button(_("Add person"), type="primary"):

            def add() -> None:
                person_id = people.create_person(db, actor, username, display_name, password, language, email)
                if team_id is not None and role is not None:
                    people.grant_role(db, actor, person_id, team_id, Role(role))

            return attempt(add, _("{name} can now sign in.").format(name=plain(display_name)), _, "add-person")
    return False


def change_account(
    actor: Actor, persons: list[PersonRow], person_names: dict[int, str], _: Callable[[str], str]
) -> bool:
    """Choose a person (the widget keeps the choice under the key "chosen"), then change their account."""
    db = engine()
    st.header(_("Change an account"))
    chosen = st.selectbox(
        _("Person"),
        list(person_names),
        format_func=person_names.get,
        index=None,
        key="chosen",
        placeholder=_("Choose a person"),
    )
    if chosen is None:
        return False
    row = next(p for p in persons if p.id == chosen)
    with st.form("set_password", clear_on_submit=True):
        new_password = st.text_input(_("New password"), type="password", help=_("At least 10 characters."))
        if st.form_submit_button(_("Set password")):
            attempt(
                lambda: people.set_password(db, actor, chosen, new_password),
                _("Password set. The person was signed out everywhere."),
                _,
            )
    if any(role == Role.COPRODUCER for _team, role in row.roles):  # the rules for minors, and the allowance under 21
        birth_month_form(actor, chosen, row.display_name, requests.local_now(current_settings()).date())
    if row.active:
        confirm = st.checkbox(
            _("Yes, disable {name}: they can no longer sign in.").format(name=plain(row.display_name))
        )
        if st.button(_("Disable account"), disabled=not confirm) and attempt(
            lambda: people.set_active(db, actor, chosen, False), _("Account disabled."), _, "account"
        ):
            return True
    elif st.button(_("Enable account again")) and attempt(
        lambda: people.set_active(db, actor, chosen, True), _("Account enabled."), _, "account"
    ):
        return True
    with st.expander(_("Remove this person (when they leave)")):
        return remove_person(actor, chosen, _)
