"""Counsellor home: the coproducers they support. Check-in prompts and scheduling come next."""

import streamlit as st

from db.models import Role
from monitor.teams import my_teams
from monitor.ui.context import engine, translator
from monitor.ui.guard import require

actor = require(Role.COUNSELLOR)
_ = translator(actor)

st.title(_("Check-ins"))
st.write(_("You are the confidential counsellor for these coproducers. What they tell you stays with you."))
for team in my_teams(engine(), actor):
    if not actor.has_role(Role.COUNSELLOR, team.id):
        continue
    st.subheader(team.name)
    for member in team.members:
        if Role.COPRODUCER in member.roles:
            st.write(f"- {member.display_name}")
