"""The administrator's team forms: give or take away a person's role in a team, and add a team. Each returns True
when the page should run again to show the change."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from monitor.people import accounts as people
from monitor.people.access import Actor, Role
from monitor.people.accounts import TeamRow
from monitor.ui.context import engine
from monitor.ui.failure import attempt
from monitor.ui.labels import ROLE_LABELS


def role_form(actor: Actor, person_names: dict[int, str], team_names: dict[int, str], _: Callable[[str], str]) -> bool:
    if not team_names or not person_names:
        st.info(_("Add a team and a person first."))
        return False
    db = engine()
    roles = [r.value for r in Role]
    person_id = st.selectbox(_("Person"), list(person_names), format_func=person_names.get, key="role_person")
    team_id = st.selectbox(_("Team"), list(team_names), format_func=team_names.get, key="role_team")
    role = st.selectbox(_("Role"), roles, format_func=lambda r: _(ROLE_LABELS[r]), key="role_role")
    give, take = st.columns(2)
    if give.button(_("Give role"), type="primary", width="stretch") and attempt(
        lambda: people.grant_role(db, actor, person_id, team_id, Role(role)), _("Role given."), _, "roles"
    ):
        return True
    return take.button(_("Take role away"), width="stretch") and attempt(
        lambda: people.revoke_role(db, actor, person_id, team_id, Role(role)), _("Role taken away."), _, "roles"
    )


def team_form(actor: Actor, teams: list[TeamRow], _: Callable[[str], str]) -> bool:
    st.dataframe([{_("Team"): t.name, _("People"): t.members} for t in teams], hide_index=True, width="stretch")
    with st.form("add_team", clear_on_submit=True):
        name = st.text_input(_("Name of the new team"), placeholder="Moerwijk")
        return st.form_submit_button(_("Add team"), type="primary") and attempt(
            lambda: people.create_team(engine(), actor, name), _("Team added."), _, "teams"
        )
