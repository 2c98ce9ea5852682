"""My week: this week against the agreement in plain words, the last 8 weeks, when requests come, and about what."""

from datetime import timedelta

import streamlit as st

from monitor.alerts.lifecycle import my_alerts
from monitor.config import WEEKDAYS
from monitor.i18n import format_date, format_number, ngettext_for
from monitor.people.access import Role
from monitor.requests import log as requests
from monitor.requests.agreements import current_agreement
from monitor.ui import alert_text, charts
from monitor.ui.context import current_settings, engine, translator
from monitor.ui.guard import require
from monitor.ui.labels import TOPIC_LABELS, TOPIC_LABELS_WITH_OTHER, WEEKDAY_LABELS
from monitor.ui.workload_cache import load

actor = require(Role.COPRODUCER)
_ = translator(actor)
settings = current_settings()
lang = actor.language

today = requests.local_now(settings).date()
monday = requests.week_start(today)
sunday = monday + timedelta(days=6)
history_start = monday - timedelta(weeks=7)
agreement = current_agreement(engine(), actor, actor.person_id, today, settings.demarcation)
view = load(actor, actor.person_id, monday, sunday, history_start)
week = view.week

st.title(_("My week"))
st.caption(
    _("{start} to {end}").format(start=format_date(monday, lang, "d MMMM"), end=format_date(sunday, lang, "d MMMM"))
)

# The coproducer's own alerts first, in kind words: they are told what their leader is told.
own_alerts = my_alerts(engine(), actor)
for row in own_alerts:
    st.warning(alert_text.message(row, _, lang), icon=":material/favorite:")
if own_alerts:
    seen = any(row.status == "acknowledged" for row in own_alerts)
    st.caption(
        _("Your project leader has seen this and will talk it over with you. You may always say no to a request.")
        if seen
        else _("Your project leader sees this too. Take care of yourself: you may always say no to a request.")
    )

hours = format_number(round(week.hours, 1), lang)
agreed = format_number(agreement.hours_per_week, lang)
if week.requests == 0:
    st.write(_("You have not logged any requests this week yet."))
else:
    ngettext = ngettext_for(lang)
    helped = ngettext(
        "This week you helped once, for {hours} hours.",
        "This week you helped {count} times, for {hours} hours.",
        week.requests,
    )
    st.write(
        helped.format(count=week.requests, hours=hours)
        + " "
        + _("You agreed to {agreed} hours a week.").format(agreed=agreed)
    )
st.progress(
    min(1.0, week.hours / agreement.hours_per_week),
    text=_("Hours: {hours} of {agreed}").format(hours=hours, agreed=agreed),
)
limit = agreement.max_outside_requests_per_week
st.progress(
    min(1.0, week.outside_requests / limit) if limit else (1.0 if week.outside_requests else 0.0),
    text=_("Requests outside your hours: {count} of at most {limit}").format(count=week.outside_requests, limit=limit),
)
if week.night_requests:
    st.write(_("At night (00:00-06:00): {count}").format(count=week.night_requests))
over = week.hours > agreement.hours_per_week or week.outside_requests > limit
if over:
    st.warning(
        _("This is more than you agreed. You may say no, and it is good to talk about it with your project leader."),
        icon=":material/favorite:",
    )
else:
    st.info(_("You are within what you agreed. Well done, and take care of yourself."), icon=":material/favorite:")

st.subheader(_("The last 8 weeks"))
st.plotly_chart(charts.days_chart(view.days, _), config=charts.PHONE, width="stretch")

st.subheader(_("When people come to you"))
short_days = [_(WEEKDAY_LABELS[day])[:2] for day in WEEKDAYS]
if view.arrivals:
    st.plotly_chart(charts.arrivals_chart(view.arrivals, short_days, _), config=charts.PHONE, width="stretch")
else:
    st.write(_("No requests in the last 8 weeks."))

st.subheader(_("What it was about"))
if view.topics:
    st.plotly_chart(
        charts.topics_chart(view.topics, lambda t: _(TOPIC_LABELS_WITH_OTHER[t])), config=charts.PHONE, width="stretch"
    )
else:
    st.write(_("No requests in the last 8 weeks."))

with st.expander(_("What you agreed"), icon=":material/handshake:"):
    for day in WEEKDAYS:
        windows = agreement.availability.get(day, ())
        text = ", ".join(f"{a:%H:%M}-{b:%H:%M}" for a, b in windows) if windows else _("day off")
        st.write(f"**{_(WEEKDAY_LABELS[day])}**: {text}")
    st.write(_("You help with: {topics}").format(topics=", ".join(_(TOPIC_LABELS[t]) for t in agreement.topics)))
    st.write(_("Night requests at most: {count} a week").format(count=agreement.max_night_requests_per_week))
