"""The leader's My team table: a card per coproducer on a phone, a table on a desktop, each figure against what
they agreed and each column named with its window (the same as the rule's)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from monitor.alerts.team_load import MemberLoad
from monitor.i18n import format_number
from monitor.ui import cards


def versus(value: float | int, limit: float | int, lang: str) -> str:
    """ "12,5 / 8", with a warning sign when over."""
    text = f"{format_number(round(value, 1), lang)} / {format_number(limit, lang)}"
    return f"⚠ {text}" if value > limit else text


def team_table(members: list[MemberLoad], lang: str, _: Callable[[str], str]) -> None:
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
                    (hours_col, versus(m.week_hours, m.agreement.hours_per_week, lang)),
                    (outside_col, versus(m.outside_7_days, m.agreement.max_outside_requests_per_week, lang)),
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
                hours_col: versus(m.week_hours, m.agreement.hours_per_week, lang),
                outside_col: versus(m.outside_7_days, m.agreement.max_outside_requests_per_week, lang),
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
