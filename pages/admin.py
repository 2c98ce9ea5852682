"""Administrator: teams, people and their roles."""

import streamlit as st

from monitor.errors import UserError
from monitor.i18n import LANGUAGE_NAMES, format_datetime
from monitor.messages import failed_mail
from monitor.people import accounts as people
from monitor.people.access import Role
from monitor.requests import log as requests
from monitor.ui import cards, notices
from monitor.ui.context import current_settings, engine, translator
from monitor.ui.failure import show_error
from monitor.ui.guard import require
from monitor.ui.labels import ROLE_LABELS
from monitor.ui.privacy.privacy_panels import remove_person
from monitor.ui.text import plain

actor = require(Role.ADMIN)
_ = translator(actor)
db = engine()


def attempt(action, success: str) -> bool:  # type: ignore[no-untyped-def]
    """Run a service call; show its error in the person's language, or the success message."""
    try:
        action()
    except UserError as error:
        show_error(error, _)
        return False
    st.success(success)
    return True


st.title(_("Teams and people"))
settings = current_settings()
for notice in notices.for_admin(settings, requests.local_now(settings).year, _):
    st.warning(notice.text, icon=notice.icon)
teams = people.list_teams(db, actor)
persons = people.list_people(db, actor)
team_names = {t.id: t.name for t in teams}
person_names = {p.id: f"{p.display_name} ({p.username})" for p in persons}
roles = [r.value for r in Role]

tab_people, tab_roles, tab_teams = st.tabs([_("People"), _("Roles"), _("Teams")])

with tab_people:
    role_text = {p.id: "; ".join(f"{_(ROLE_LABELS[r])} ({team})" for team, r in p.roles) for p in persons}
    narrow, wide = cards.narrow_and_wide("people")
    cards.show_cards(
        narrow,
        [
            cards.Card(
                p.display_name,
                [
                    (_("Username"), p.username),
                    (_("Roles"), role_text[p.id]),
                    (_("Active"), _("Yes") if p.active else _("No")),
                ],
                over=not p.active,
            )
            for p in persons
        ],
        _("People"),
    )
    wide.dataframe(
        [
            {
                _("Name"): p.display_name,
                _("Username"): p.username,
                _("Roles"): role_text[p.id],
                _("Active"): p.active,
            }
            for p in persons
        ],
        hide_index=True,
        width="stretch",
    )
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

            if attempt(add, _("{name} can now sign in.").format(name=plain(display_name))):
                st.rerun()

    st.header(_("Change an account"))
    if st.session_state.get("chosen") not in person_names:  # e.g. just removed
        st.session_state.pop("chosen", None)
    chosen = st.selectbox(
        _("Person"),
        list(person_names),
        format_func=person_names.get,
        index=None,
        key="chosen",
        placeholder=_("Choose a person"),
    )
    if chosen is not None:
        row = next(p for p in persons if p.id == chosen)
        with st.form("set_password", clear_on_submit=True):
            new_password = st.text_input(_("New password"), type="password", help=_("At least 10 characters."))
            if st.form_submit_button(_("Set password")):
                attempt(
                    lambda: people.set_password(db, actor, chosen, new_password),
                    _("Password set. The person was signed out everywhere."),
                )
        if row.active:
            confirm = st.checkbox(
                _("Yes, disable {name}: they can no longer sign in.").format(name=plain(row.display_name))
            )
            if st.button(_("Disable account"), disabled=not confirm) and attempt(
                lambda: people.set_active(db, actor, chosen, False), _("Account disabled.")
            ):
                st.rerun()
        elif st.button(_("Enable account again")) and attempt(
            lambda: people.set_active(db, actor, chosen, True), _("Account enabled.")
        ):
            st.rerun()
        with st.expander(_("Remove this person (when they leave)")):
            if remove_person(actor, chosen, _):
                st.rerun()

with tab_roles:
    if not teams or not persons:
        st.info(_("Add a team and a person first."))
    else:
        person_id = st.selectbox(_("Person"), list(person_names), format_func=person_names.get, key="role_person")
        team_id = st.selectbox(_("Team"), list(team_names), format_func=team_names.get, key="role_team")
        role = st.selectbox(_("Role"), roles, format_func=lambda r: _(ROLE_LABELS[r]), key="role_role")
        give, take = st.columns(2)
        if give.button(_("Give role"), type="primary", width="stretch") and attempt(
            lambda: people.grant_role(db, actor, person_id, team_id, Role(role)), _("Role given.")
        ):
            st.rerun()
        if take.button(_("Take role away"), width="stretch") and attempt(
            lambda: people.revoke_role(db, actor, person_id, team_id, Role(role)), _("Role taken away.")
        ):
            st.rerun()

with tab_teams:
    st.dataframe([{_("Team"): t.name, _("People"): t.members} for t in teams], hide_index=True, width="stretch")
    with st.form("add_team", clear_on_submit=True):
        name = st.text_input(_("Name of the new team"), placeholder="Moerwijk")
        if st.form_submit_button(_("Add team"), type="primary") and attempt(
            lambda: people.create_team(db, actor, name), _("Team added.")
        ):
            st.rerun()

# E-mails that were marked failed (the mail server refused them, or a worker stopped while sending): the inbox copy
# exists, but the e-mail may be gone. "Send again" puts one back in the queue; it may then arrive twice.
failed = failed_mail.failed_emails(db, actor)
tz = current_settings().tz
st.header(_("E-mails not sent ({count})").format(count=failed_mail.count_failed(db, actor)))
if not failed:
    st.caption(_("Every e-mail was sent."))
else:
    st.dataframe(
        [
            {
                _("To"): f"{f.display_name} ({f.username})",
                _("What"): f.kind,
                _("When"): format_datetime(f.created_at, actor.language, tz, "short"),
                _("Why"): f.error,
            }
            for f in failed
        ],
        hide_index=True,
        width="stretch",
    )
    labels = {
        f.id: f"{f.display_name} · {f.kind} · {format_datetime(f.created_at, actor.language, tz)}" for f in failed
    }
    again = st.selectbox(_("E-mail"), list(labels), format_func=labels.get, key="failed_email")
    st.warning(_("The e-mail may already have arrived: sending it again may deliver it twice."))
    if st.button(_("Send again"), key="send_again") and attempt(
        lambda: failed_mail.send_again(db, actor, again), _("The e-mail goes out within a minute.")
    ):
        st.rerun()
