"""My team, for project leaders: who is carrying too much and why, refreshed every minute."""

from datetime import timedelta

import pandas as pd
import streamlit as st

from monitor.alerts import team_load
from monitor.checkins import views as checkins
from monitor.config import WEEKDAYS
from monitor.i18n import Np_, counted, format_number
from monitor.people.access import Actor, Role
from monitor.requests import log as requests
from monitor.ui import cards, charts, workload_cache
from monitor.ui.alerts import team_charts
from monitor.ui.context import current_settings, engine, translator
from monitor.ui.guard import guarded_fragment, require
from monitor.ui.labels import WEEKDAY_LABELS
from monitor.ui.team_picker import choose_team
from monitor.ui.text import plain

REFRESH_SECONDS = 60
CHART_WEEKS = 12

actor = require(Role.LEADER)
_ = translator(actor)
settings = current_settings()
lang = actor.language

st.title(_("My team"))
team = choose_team(actor, _)


def versus(value: float | int, limit: float | int) -> str:
    text = f"{format_number(round(value, 1), lang)} / {format_number(limit, lang)}"
    return f"⚠ {text}" if value > limit else text


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

    # Each column named with its window, the same as the rule's: hours this week, requests outside hours in 7 days.
    hours_col, outside_col = _("Hours this week"), _("Outside hours, 7 days")
    trend_col, alerts_col = _("8 weeks"), _("Alerts")
    narrow, wide = cards.narrow_and_wide("team")
    cards.show_cards(
        narrow,
        [
            cards.Card(
                m.name,
                [
                    (hours_col, versus(m.week_hours, m.agreement.hours_per_week)),
                    (outside_col, versus(m.outside_7_days, m.agreement.max_outside_requests_per_week)),
                    (alerts_col, format_number(m.open_alerts, lang)),
                ],
                over=m.over_hours or m.over_outside,
            )
            for m in members
        ],
        _("My team"),
    )
    table = pd.DataFrame(
        [
            {
                _("Name"): m.name,
                hours_col: versus(m.week_hours, m.agreement.hours_per_week),
                outside_col: versus(m.outside_7_days, m.agreement.max_outside_requests_per_week),
                alerts_col: m.open_alerts,
                trend_col: list(m.trend),
            }
            for m in members
        ]
    )
    wide.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            hours_col: st.column_config.TextColumn(
                hours_col, help=_("Hours this week against the hours agreed"), width="small"
            ),
            outside_col: st.column_config.TextColumn(
                outside_col,
                help=_("Requests outside their hours in the last 7 days against the most agreed"),
                width="small",
            ),
            trend_col: st.column_config.BarChartColumn(trend_col, help=_("Hours per week, this week last"), y_min=0),
            alerts_col: st.column_config.NumberColumn(
                alerts_col, help=_("Open and acknowledged alerts"), width="small"
            ),
        },
    )
    st.caption(_("Updated every minute."))

    monday = requests.week_start(today)
    first = monday - timedelta(weeks=CHART_WEEKS - 1)
    history = workload_cache.team_history(actor, team.id, first, today)  # cached until a member saves
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
        st.write(
            counted(
                _, Np_("No requests in the last {weeks} week.", "No requests in the last {weeks} weeks."), CHART_WEEKS
            ).format(weeks=CHART_WEEKS)
        )

    st.header(_("When people come to the team"))
    arrivals = history.arrivals
    if arrivals:
        short_days = [_(WEEKDAY_LABELS[day])[:2] for day in WEEKDAYS]
        charts.show(
            charts.arrivals_chart(arrivals, short_days, _),
            _("When requests came to the team, by day of the week and hour"),
        )
    else:
        st.write(
            counted(
                _, Np_("No requests in the last {weeks} week.", "No requests in the last {weeks} weeks."), CHART_WEEKS
            ).format(weeks=CHART_WEEKS)
        )


overview()

# Check-ins: only a team-level count of last month, and only when enough people had one that nobody is recognised.
held = checkins.team_checkins_held(engine(), settings, actor, team.id)
if held is not None:
    st.caption(_("Check-ins with the counsellor last month: {count}").format(count=held))
