"""Leader home: the leader's team(s) and who is in them. Burden alerts come next."""

import streamlit as st

from db.models import Role
from monitor.teams import my_teams
from monitor.ui.context import engine, translator
from monitor.ui.guard import require
from monitor.ui.labels import ROLE_LABELS

actor = require(Role.LEADER)
_ = translator(actor)

st.title(_("My team"))
for team in my_teams(engine(), actor):
    coproducers = [m for m in team.members if Role.COPRODUCER in m.roles]
    st.subheader(team.name)
    st.metric(_("Coproducers"), len(coproducers))
    st.dataframe(
        [{_("Name"): m.display_name, _("Roles"): ", ".join(_(ROLE_LABELS[r]) for r in m.roles)} for m in team.members],
        hide_index=True,
        width="stretch",
    )
