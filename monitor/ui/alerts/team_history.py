"""The leader's My team charts over the last weeks: load against what each agreed, the share outside their hours,
and when people come to the team. Read from the cached team history (monitor.ui.workload_cache)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import streamlit as st

from monitor.alerts.team_load import MemberLoad
from monitor.config import WEEKDAYS
from monitor.i18n import Np_, counted, format_number
from monitor.people.access import Actor
from monitor.requests import log as requests
from monitor.ui import charts, workload_cache
from monitor.ui.alerts import team_charts
from monitor.ui.labels import WEEKDAY_LABELS

CHART_WEEKS = 12


def _no_requests(_: Callable[[str], str]) -> None:
    st.write(
        counted(
            _, Np_("No requests in the last {weeks} week.", "No requests in the last {weeks} weeks."), CHART_WEEKS
        ).format(weeks=CHART_WEEKS)
    )


def team_history(
    actor: Actor, team_id: int, members: list[MemberLoad], today: date, lang: str, _: Callable[[str], str]
) -> None:
    monday = requests.week_start(today)
    first = monday - timedelta(weeks=CHART_WEEKS - 1)
    history = workload_cache.team_history(actor, team_id, first, today)  # cached until a member saves
    loads = history.weekly
    weeks = [first + timedelta(weeks=i) for i in range(CHART_WEEKS)]
    hours: dict[int, list[float]] = {m.person_id: [0.0] * CHART_WEEKS for m in members}
    totals: dict[int, list[int]] = {m.person_id: [0, 0] for m in members}
    for load in loads:
        if load.person_id in hours:
            hours[load.person_id][(load.week - first).days // 7] = round(load.hours, 1)
            totals[load.person_id][0] += load.requests
            totals[load.person_id][1] += load.outside_requests

    def loaded(week: float, agreed: float) -> str:
        return f"{format_number(week, lang)} / {format_number(agreed, lang)}"

    st.header(
        counted(_, Np_("Load over {weeks} week", "Load over {weeks} weeks"), CHART_WEEKS).format(weeks=CHART_WEEKS)
    )
    st.caption(_("Hours per week; the dashed line is what they agreed. Red bars are over it."))
    charts.show(
        team_charts.team_load_chart(members, weeks, hours, _),
        counted(
            _,
            Np_(
                "Hours per week per coproducer over {weeks} week, with what they agreed",
                "Hours per week per coproducer over {weeks} weeks, with what they agreed",
            ),
            CHART_WEEKS,
        ).format(weeks=CHART_WEEKS),
        charts.in_words((m.name, loaded(hours[m.person_id][-1], m.agreement.hours_per_week)) for m in members),
    )

    st.header(_("Share outside their hours"))
    shares = [
        (m.name, 100 * totals[m.person_id][1] / totals[m.person_id][0]) for m in members if totals[m.person_id][0]
    ]
    if shares:
        charts.show(
            team_charts.outside_share_chart(shares, _),
            _("Share of requests outside their hours, per coproducer"),
            charts.in_words((name, f"{format_number(round(share), lang)}%") for name, share in shares),
        )
    else:
        _no_requests(_)

    st.header(_("When people come to the team"))
    arrivals = history.arrivals
    if arrivals:
        short_days = [_(WEEKDAY_LABELS[day])[:2] for day in WEEKDAYS]
        charts.show(
            charts.arrivals_chart(arrivals, short_days, _),
            _("When requests came to the team, by day of the week and hour"),
        )
    else:
        _no_requests(_)
