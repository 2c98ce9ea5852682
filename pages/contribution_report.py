"""Contribution report, for project leaders and administrators: a period's work in figures for funders and partners."""

import streamlit as st

from monitor.errors import UserError
from monitor.i18n import format_number
from monitor.people.access import Role
from monitor.reports import contribution, files, text
from monitor.reports.periods import KINDS, recent
from monitor.requests import log as requests
from monitor.ui import charts
from monitor.ui.context import current_settings, engine, translator
from monitor.ui.downloads import logged
from monitor.ui.failure import show_error
from monitor.ui.guard import require
from monitor.ui.reports.report_charts import bars, report_label

actor = require()
_ = translator(actor)
settings = current_settings()
language = actor.language
if not (actor.is_admin or actor.has_role(Role.LEADER)):
    st.error(_("You do not have access to this page."))
    st.stop()
st.title(_("Contribution report"))
teams = contribution.report_teams(engine(), actor)  # the service checks the role again

KIND_NAMES = {"month": _("Month"), "quarter": _("Quarter"), "year": _("Year")}
today = requests.local_now(settings).date()
kind = st.segmented_control(_("Period"), KINDS, default="quarter", format_func=KIND_NAMES.get) or "quarter"
period = st.selectbox(
    _("Which"),
    recent(kind, today, {"month": 12, "quarter": 8, "year": 3}[kind]),
    format_func=lambda p: text.period_name(p, language),
)
ALL = None
team_choices = ([ALL] if len(teams) > 1 else []) + [team_id for team_id, _name in teams]
names = dict(teams)
team_id = st.selectbox(_("Team"), team_choices, format_func=lambda t: _("All teams") if t is None else names[t])

try:
    report = contribution.contribution(engine(), settings, actor, period, team_id)
except UserError as error:
    show_error(error, _, st.info)
    st.stop()

label = report_label(_)
t, p = report.totals, report.previous
one, two, three = st.columns(3)
one.metric(_("Requests"), format_number(t.requests, language), delta=(t.requests - p.requests) if p else None)
two.metric(
    _("Hours"),
    text.hours(t.minutes, language),
    delta=text.hours(t.minutes - p.minutes, language) if p else None,
)
three.metric(_("Active coproducers"), t.coproducers, delta=(t.coproducers - p.coproducers) if p else None)
st.write(text.headline(report, language))
st.write(text.trend(report, language))
st.write(text.outside(report, language))

for breakdown, rows in report.breakdowns.items():
    st.header(_(text.BREAKDOWN_TITLES[breakdown]))
    if rows:
        charts.show(
            bars([label(breakdown, r.key) for r in rows], [r.requests for r in rows]),
            _(text.BREAKDOWN_TITLES[breakdown]),
            charts.in_words((label(breakdown, r.key), r.requests) for r in rows),
            key=f"chart-{breakdown}",
        )
    st.caption(text.breakdown_summary(report, breakdown, language, label))

st.caption(text.min_group_note(report, language))
if left_out := text.left_out_note(report, language):
    st.caption(left_out)
stem = f"contribution-{period.start:%Y%m%d}-{period.end:%Y%m%d}"
left, right = st.columns(2)
left.download_button(
    _("Excel"),
    data=logged(
        actor,
        "contribution report",
        lambda now: files.workbook(
            contribution.contribution(engine(), settings, now, period, team_id), language, label
        ),
    ),
    file_name=f"{stem}.xlsx",
    icon=":material/table:",
)
right.download_button(
    _("PDF for funders"),
    data=logged(
        actor,
        "contribution report",
        lambda now: files.pdf(contribution.contribution(engine(), settings, now, period, team_id), language, label),
    ),
    file_name=f"{stem}.pdf",
    mime="application/pdf",
    icon=":material/picture_as_pdf:",
)
