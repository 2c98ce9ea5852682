"""Plotly figures for the team overview, readable at phone width: load per person with their limit, outside share."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from monitor.alerts.team_load import MemberLoad
from monitor.ui.charts import INSIDE, OUTSIDE, _layout

LIMIT = "#555555"


def team_load_chart(
    members: list[MemberLoad], weeks: list[date], hours: dict[int, list[float]], _: Callable[[str], str]
) -> go.Figure:
    """One small bar chart per coproducer, hours per week, with their agreed hours as a dashed line.

    Small multiples rather than one stacked chart: on a phone, who is over their own limit must show at a glance.
    """
    rows = max(1, len(members))
    fig = make_subplots(
        rows=rows, cols=1, shared_xaxes=True, vertical_spacing=0.35 / rows, subplot_titles=[m.name for m in members]
    )
    for index, member in enumerate(members, start=1):
        limit = member.agreement.hours_per_week
        values = hours.get(member.person_id, [0.0] * len(weeks))
        fig.add_bar(
            x=weeks,
            y=values,
            marker_color=[OUTSIDE if v > limit else INSIDE for v in values],
            name=member.name,
            showlegend=False,
            hovertemplate="%{x|%d-%m}: %{y:.1f} h<extra></extra>",
            row=index,
            col=1,
        )
        fig.add_hline(y=limit, line_dash="dash", line_color=LIMIT, line_width=1.5, row=index, col=1)
        fig.update_yaxes(rangemode="tozero", nticks=3, row=index, col=1)
    fig.update_xaxes(tickformat="%d-%m", dtick=14 * 24 * 3600 * 1000)
    fig.update_annotations(font_size=13, xanchor="left", x=0)
    _layout(fig, 40 + 130 * rows)
    fig.update_layout(margin={"l": 8, "r": 8, "t": 24, "b": 8})
    return fig


def outside_share_chart(shares: list[tuple[str, float]], _: Callable[[str], str]) -> go.Figure:
    """Per coproducer, the share of requests that came outside their hours (0-100 %)."""
    items = sorted(shares, key=lambda item: item[1])
    fig = go.Figure(
        go.Bar(
            x=[share for _name, share in items],
            y=[name for name, _share in items],
            orientation="h",
            marker_color=OUTSIDE,
            text=[f"{share:.0f}%" for _name, share in items],
            textposition="auto",
            hovertemplate="%{y}: %{x:.0f}%<extra></extra>",
        )
    )
    fig.update_xaxes(range=[0, 100], ticksuffix="%")
    return _layout(fig, 60 + 36 * max(1, len(items)))
