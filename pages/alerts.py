"""Alerts, for project leaders: one card per coproducer (what is over, since when, their weekly load), one "I have
talked with them" for all their open alerts; each alert's own actions folded away; export."""

import streamlit as st

from monitor.alerts import actions as alerts
from monitor.alerts import by_person, team_load
from monitor.people.access import Role
from monitor.requests import log as requests
from monitor.ui import saved
from monitor.ui.alerts.alert_actions import Leader
from monitor.ui.alerts.alert_export import alert_export
from monitor.ui.alerts.alert_filter import alert_filter
from monitor.ui.alerts.person_cards import person_card
from monitor.ui.context import current_settings, engine, translator
from monitor.ui.guard import require
from monitor.ui.steps import Step
from monitor.ui.team_picker import choose_team

actor = require(Role.LEADER)
_ = translator(actor)
settings = current_settings()
today = requests.local_now(settings).date()
state = st.session_state
leader = Leader(actor, settings, today, _)

st.title(_("Alerts"))

team = choose_team(actor, _)
# The moment of the previous visit, read once per session so that "new" stays put while the leader works through it.
looked_key = f"alerts-looked-{team.id}"
if looked_key not in state:
    state[looked_key] = by_person.last_looked(engine(), actor)
    by_person.record_look(engine(), actor)
looked = state[looked_key]
coproducers = {m.person_id: m.display_name for m in team.members if Role.COPRODUCER in m.roles}


def follow(step: Step) -> None:
    """Remember the action the leader opened, or forget the one they closed and say what was done."""
    if step.opened:
        state.alerts_action = step.opened
    else:
        state.pop("alerts_action", None)
        if step.notice:
            saved.remember("alerts", step.notice)  # above the cards, scrolled into view: the card may be gone
    st.rerun()


chosen = alert_filter(coproducers, looked is not None, _)
saved.show("alerts")
rows = alerts.team_alerts(engine(), actor, team.id, chosen.statuses, chosen.rule, chosen.person)
groups = by_person.group(rows)
if chosen.new_only:
    groups = [g for g in groups if g.new_since(looked)]
if not groups:
    st.info(_("No alerts with these filters."), icon=":material/check_circle:")
else:
    waiting = len({g.person_id for g in groups if g.open})
    st.markdown(_("People who need your attention: {n}").format(n=waiting) if waiting else _("Everyone is seen to."))
trends = {m.person_id: m.trend for m in team_load.overview(engine(), settings, actor, team.id, today)} if groups else {}
administration = [g for g in groups if g.administration]
for group in groups:
    if administration and group is administration[0]:  # after every person's wellbeing: paying them correctly
        st.header(_("Administration: allowances"), anchor=False)
    with st.container(border=True, key=f"person-{group.key}"):
        step = person_card(leader, team.id, group, trends.get(group.person_id, ()), looked, state.get("alerts_action"))
    if step is not None:
        follow(step)

alert_export(
    actor,
    settings,
    lambda now: alerts.team_alerts(engine(), now, team.id, chosen.statuses, chosen.rule, chosen.person),
    team.id,
    today,
    _,
)
