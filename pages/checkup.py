"""Collaboration check-up: coproducers and leaders answer the 26 statements anonymously; the team sees the results of a
closed round with enough answers; the leader opens and closes rounds and makes one-time links for partners."""

import streamlit as st

from monitor.checkup.statements import SOURCE, wording
from monitor.config import Settings
from monitor.i18n import format_datetime
from monitor.people.access import Role
from monitor.ui.checkup.answer_form import answer_form
from monitor.ui.checkup.results_view import results_view
from monitor.ui.checkup.round_panel import round_panel
from monitor.ui.context import current_settings, translator
from monitor.ui.guard import require
from monitor.ui.team_picker import choose_team

actor = require()
_ = translator(actor)
settings: Settings = current_settings()
if not (actor.has_role(Role.COPRODUCER) or actor.has_role(Role.LEADER)):
    st.error(_("You do not have access to this page."))
    st.stop()


try:
    STATEMENTS = wording(settings.checkup.statements_file, actor.language, _)  # an organisation may word them itself
except ValueError as problem:  # the organisation's file is wrong: say which and what, for whoever keeps config.toml
    st.error(_("The statements file in config.toml cannot be used: {problem}").format(problem=problem))
    st.stop()


def when(moment) -> str:  # type: ignore[no-untyped-def]
    return format_datetime(moment, actor.language, settings.tz, "d MMM y")


st.title(_("Collaboration check-up"))
st.caption(_("How does our teamwork go? 26 statements in six parts. Source: {source}.").format(source=SOURCE))
is_leader = actor.has_role(Role.LEADER)
tab_names = [_("Answer"), _("Results")] + ([_("Rounds")] if is_leader else [])
tabs = st.tabs(tab_names)

with tabs[0]:
    if answer_form(actor, STATEMENTS, bool(st.session_state.get("checkup-saved")), _):
        st.session_state["checkup-saved"] = True
        st.rerun()

with tabs[1]:
    results_view(actor, STATEMENTS, when, _)

if is_leader:
    with tabs[2]:
        team = choose_team(actor, _)
        if round_panel(actor, settings, team.id, when, _):
            st.rerun()
