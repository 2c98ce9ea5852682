"""My week: this week against the agreement in plain words, the last 8 weeks, when requests come, and about what."""

from datetime import timedelta

import streamlit as st

from monitor.alerts.actions import my_alerts
from monitor.config import WEEKDAYS
from monitor.i18n import Np_, counted, format_date, format_number, ngettext_for, weekday_name
from monitor.people.access import Role
from monitor.requests import log as requests
from monitor.requests.agreements import current_agreement
from monitor.ui import bars, charts
from monitor.ui.alerts import alert_text
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
view = load(actor, actor.person_id, monday, sunday, history_start, today)
week = view.week
recent = view.recent  # the last 7 days: the window of the rules on requests outside hours and at night

st.title(_("My week"))
st.caption(
    _("{start} to {end}").format(start=format_date(monday, lang, "d MMMM"), end=format_date(sunday, lang, "d MMMM"))
)

# One plain sentence first, then at most one box: what is over and what to do, in kind words. Her own alerts say what
# her leader is told.
hours = format_number(round(week.hours, 1), lang)
agreed = format_number(agreement.hours_per_week, lang)
limit = agreement.max_outside_requests_per_week
agreed_sentence = counted(
    _, Np_("You agreed to {agreed} hour a week.", "You agreed to {agreed} hours a week."), agreement.hours_per_week
).format(agreed=agreed)
if week.requests == 0:
    st.write(_("You have not logged any requests this week yet.") + " " + agreed_sentence)
else:
    ngettext = ngettext_for(lang)
    helped = ngettext(
        "This week you helped once, for {hours} hours.",
        "This week you helped {count} times, for {hours} hours.",
        week.requests,
    )
    st.write(helped.format(count=week.requests, hours=hours) + " " + agreed_sentence)

own_alerts = my_alerts(engine(), actor)
# Her alerts name what is over in detail; without one, a plain sentence names it.
over = [alert_text.message(row, _, lang) for row in own_alerts]
if not over and week.hours > agreement.hours_per_week:
    over.append(_("You helped more hours than you agreed."))
if not own_alerts and recent.outside_requests > limit:
    over.append(_("In the last 7 days more requests came outside your hours than you agreed."))
if over:
    seen = _("Your project leader has seen this and will talk it over with you. You may always say no to a request.")
    talk = _("This is more than you agreed. You may say no, and it is good to talk about it with your project leader.")
    advice = seen if any(row.status == "acknowledged" for row in own_alerts) else talk
    st.warning("\n\n".join([*dict.fromkeys(over), advice]), icon=":material/favorite:")
else:
    st.info(_("You are within what you agreed. Well done, and take care of yourself."), icon=":material/favorite:")

# Bars: green up to the agreement, red past it, with a line where the agreement is.
st.write(_("Hours this week: {hours} of {agreed}").format(hours=hours, agreed=agreed))
bars.agreement_bar(week.hours, agreement.hours_per_week)
outside_line = _("Outside your hours in the last 7 days: {count} of at most {limit}")
st.write(outside_line.format(count=recent.outside_requests, limit=limit))
bars.agreement_bar(recent.outside_requests, limit)
if recent.night_requests:
    st.write(_("At night (00:00-06:00) in the last 7 days: {count}").format(count=recent.night_requests))

st.header(_("The last 8 weeks"))
charts.show(charts.days_chart(view.days, _), _("Hours per day in the last 8 weeks, inside and outside your hours"))
# One line in words beside each chart, for whoever cannot read the chart.
total = sum(d.inside_minutes + d.outside_minutes for d in view.days) / 60
outside = sum(d.outside_minutes for d in view.days) / 60
st.caption(
    counted(
        _,
        Np_(
            "In the last 8 weeks: {hours} hour, {outside} of them outside your hours.",
            "In the last 8 weeks: {hours} hours, {outside} of them outside your hours.",
        ),
        round(total, 1),
    ).format(hours=format_number(round(total, 1), lang), outside=format_number(round(outside, 1), lang))
)

st.header(_("When people come to you"))
short_days = [_(WEEKDAY_LABELS[day])[:2] for day in WEEKDAYS]
if view.arrivals:
    charts.show(
        charts.arrivals_chart(view.arrivals, short_days, _),
        _("When requests came in the last 8 weeks, by day of the week and hour"),
    )
    day, hour = max(view.arrivals, key=lambda slot: view.arrivals[slot])
    st.caption(_("Most requests come on {day} around {hour}:00.").format(day=weekday_name(day, lang), hour=hour))
else:
    st.write(_("No requests in the last 8 weeks."))

st.header(_("What it was about"))
if view.topics:
    by_count = sorted(view.topics.items(), key=lambda kv: -kv[1])
    charts.show(
        charts.topics_chart(view.topics, lambda t: _(TOPIC_LABELS_WITH_OTHER[t])),
        _("Requests per kind of problem in the last 8 weeks"),
        charts.in_words((_(TOPIC_LABELS_WITH_OTHER[t]), n) for t, n in by_count),
    )
    top = max(view.topics, key=lambda topic: view.topics[topic])
    st.caption(_("Most requests were about: {topic}.").format(topic=_(TOPIC_LABELS_WITH_OTHER[top])))
else:
    st.write(_("No requests in the last 8 weeks."))

with st.expander(_("What you agreed"), icon=":material/handshake:"):
    for day in WEEKDAYS:
        windows = agreement.availability.get(day, ())
        text = ", ".join(f"{a:%H:%M}-{b:%H:%M}" for a, b in windows) if windows else _("day off")
        st.write(f"**{_(WEEKDAY_LABELS[day])}**: {text}")
    st.markdown(_("You help with:") + "\n" + "\n".join(f"- {_(TOPIC_LABELS[t])}" for t in agreement.topics))
    st.write(
        counted(
            _,
            Np_("At most {count} request at night a week", "At most {count} requests at night a week"),
            agreement.max_night_requests_per_week,
        ).format(count=agreement.max_night_requests_per_week)
    )
