"""Administrator: teams, people and their roles."""

import streamlit as st

from monitor.people import accounts as people
from monitor.people.access import Role
from monitor.requests import log as requests
from monitor.ui import notices, saved
from monitor.ui.context import current_settings, engine, translator
from monitor.ui.guard import require
from monitor.ui.messages.failed_mail_list import failed_mail_list
from monitor.ui.people.account_forms import add_person_form, change_account
from monitor.ui.people.people_table import people_table
from monitor.ui.people.team_forms import role_form, team_form

actor = require(Role.ADMIN)
_ = translator(actor)
db = engine()

st.title(_("Teams and people"))
settings = current_settings()
for notice in notices.for_admin(settings, requests.local_now(settings).year, _):
    st.warning(notice.text, icon=notice.icon)
teams = people.list_teams(db, actor)
persons = people.list_people(db, actor)
team_names = {t.id: t.name for t in teams}
person_names = {p.id: f"{p.display_name} ({p.username})" for p in persons}

tab_people, tab_roles, tab_teams = saved.tabs([_("People"), _("Roles"), _("Teams")], "admin-tab")

with tab_people:
    people_table(persons, _)
    if add_person_form(actor, team_names, _):
        st.rerun()
    saved.show("add-person")
    if st.session_state.get("chosen") not in person_names:  # e.g. just removed
        st.session_state.pop("chosen", None)
    saved.show("account")
    if change_account(actor, persons, person_names, _):
        st.rerun()

with tab_roles:
    saved.show("roles")
    if role_form(actor, person_names, team_names, _):
        st.rerun()

with tab_teams:
    saved.show("teams")
    if team_form(actor, teams, _):
        st.rerun()

if failed_mail_list(actor, settings, _):
    st.rerun()
