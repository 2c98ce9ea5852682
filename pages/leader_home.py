"""My team, for project leaders: who is carrying too much and why, refreshed every minute."""

import streamlit as st

from monitor.alerts import team_load
from monitor.checkins import views as checkins
from monitor.people.access import Actor, Role
from monitor.requests import log as requests
from monitor.ui.alerts.team_history import team_history
from monitor.ui.alerts.team_table import team_table
from monitor.ui.context import current_settings, engine, translator
from monitor.ui.guard import guarded_fragment, require
from monitor.ui.team_picker import choose_team
from monitor.ui.text import plain

REFRESH_SECONDS = 60

actor = require(Role.LEADER)
_ = translator(actor)
settings = current_settings()
lang = actor.language

st.title(_("My team"))
team = choose_team(actor, _)


@guarded_fragment(Role.LEADER, run_every=REFRESH_SECONDS)
def overview(actor: Actor) -> None:
    today = requests.local_now(settings).date()
    members = team_load.overview(engine(), settings, actor, team.id, today)
    if not members:
        st.write(_("This team has no coproducers yet."))
        return
    over = [plain(m.name) for m in members if m.over_hours or m.over_outside]
    alerts = sum(m.open_alerts for m in members)
    numbers = st.container(horizontal=True)
    numbers.metric(_("Over their agreement"), len(over), border=True)
    numbers.metric(_("Open alerts"), alerts, border=True)
    if over:
        st.warning(_("Beyond what they agreed: {names}.").format(names=", ".join(over)), icon=":material/warning:")
    else:
        st.success(_("Everyone is within what they agreed."), icon=":material/check_circle:")
    if alerts:
        st.page_link("pages/alerts.py", label=_("Go to the alerts"), icon=":material/notifications_active:")

    team_table(members, lang, _)
    st.caption(_("Updated every minute."))

    team_history(actor, team.id, members, today, lang, _)


overview()

# Check-ins: only a team-level count of last month, and only when enough people had one that nobody is recognised.
held = checkins.team_checkins_held(engine(), settings, actor, team.id)
if held is not None:
    st.caption(_("Check-ins with the counsellor last month: {count}").format(count=held))
