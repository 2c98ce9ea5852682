"""Coproducer home: a greeting and what they agreed to by default. Logging and "My week" come next."""

import streamlit as st

from db.models import Role
from monitor.config import WEEKDAYS
from monitor.ui.context import current_settings, translator
from monitor.ui.guard import require
from monitor.ui.labels import TOPIC_LABELS, WEEKDAY_LABELS

actor = require(Role.COPRODUCER)
_ = translator(actor)
agreement = current_settings().demarcation

st.title(_("Hello {name}").format(name=actor.display_name))
st.write(_("Thank you for helping your neighbours. Here is what you agreed to do."))

col1, col2 = st.columns(2)
col1.metric(_("Hours per week"), f"{agreement.hours_per_week:g}")
col2.metric(_("Requests outside your hours per week"), agreement.max_outside_requests_per_week)

st.subheader(_("When you are available"))
for day in WEEKDAYS:
    windows = agreement.availability.get(day, ())
    text = ", ".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in windows) if windows else _("day off")
    st.write(f"**{_(WEEKDAY_LABELS[day])}**: {text}")

st.subheader(_("What you help with"))
st.write(", ".join(_(TOPIC_LABELS[t]) for t in agreement.topics))
st.info(_("Outside these hours you may say no. Your wellbeing comes first."), icon=":material/favorite:")
