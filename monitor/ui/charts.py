"""Plotly figures for the workload pages, sized to read on a phone."""

from __future__ import annotations

from collections.abc import Callable

import plotly.graph_objects as go

from monitor.requests import workload

INSIDE = "#2f7d5b"
OUTSIDE = "#d1495b"
PHONE = {"displayModeBar": False, "responsive": True}


def _layout(fig: go.Figure, height: int) -> go.Figure:
    fig.update_layout(
        height=height,
        margin={"l": 8, "r": 8, "t": 8, "b": 8},
        legend={"orientation": "h", "y": -0.2},
        bargap=0.15,
        plot_bgcolor="white",
        font={"size": 14},  # readable on a phone
    )
    return fig


def days_chart(days: list[workload.DayLoad], _: Callable[[str], str]) -> go.Figure:
    x = [d.day for d in days]
    fig = go.Figure()
    fig.add_bar(x=x, y=[d.inside_minutes / 60 for d in days], name=_("Inside your hours"), marker_color=INSIDE)
    fig.add_bar(x=x, y=[d.outside_minutes / 60 for d in days], name=_("Outside your hours"), marker_color=OUTSIDE)
    fig.update_layout(barmode="stack", yaxis_title=_("hours"))
    fig.update_xaxes(tickformat="%d-%m", dtick=7 * 24 * 3600 * 1000)
    return _layout(fig, 280)


def arrivals_chart(
    arrivals: dict[tuple[int, int], int], weekday_names: list[str], _: Callable[[str], str]
) -> go.Figure:
    z = [[arrivals.get((day, hour), 0) for hour in range(24)] for day in range(7)]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[f"{hour:02d}" for hour in range(24)],
            y=weekday_names,
            colorscale=[[0, "#f4f4f4"], [1, OUTSIDE]],
            showscale=False,
            hovertemplate="%{y} %{x}:00 · %{z}<extra></extra>",
            xgap=1,
            ygap=1,
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(dtick=3, title=_("hour of the day"))
    return _layout(fig, 260)


def topics_chart(counts: dict[str, int], label: Callable[[str], str]) -> go.Figure:
    items = sorted(counts.items(), key=lambda kv: kv[1])
    fig = go.Figure(
        go.Bar(
            x=[n for _t, n in items],
            y=[label(t) for t, _n in items],
            orientation="h",
            marker_color=INSIDE,
            text=[n for _t, n in items],
            textposition="auto",
        )
    )
    return _layout(fig, 60 + 36 * max(1, len(items)))
