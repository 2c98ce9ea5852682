"""Plotly figures for the team overview, readable at phone width: load per person with their limit, outside share."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import plotly.graph_objects as go

from monitor.alerts.team_load import MemberLoad
from monitor.ui.charts import INSIDE, OUTSIDE, phone_layout

LIMIT = "#555555"
TWO_WEEKS = 14 * 24 * 3600 * 1000  # Plotly counts date ticks in milliseconds


def team_load_chart(
    members: list[MemberLoad], weeks: list[date], hours: dict[int, list[float]], _: Callable[[str], str]
) -> go.Figure:
    """One small bar chart per coproducer, hours per week, with their agreed hours as a dashed line.

    Small multiples rather than one stacked chart: on a phone, who is over their own limit must show at a glance.
    Written as one figure description (the layout make_subplots would give), checked by Plotly once: building it
    with make_subplots and add_hline per person took about 250 ms for a team of ten, this about 10.
    """
    rows = max(1, len(members))
    gap = 0.35 / rows
    height = (1 - gap * (rows - 1)) / rows
    bottom = "x" if rows == 1 else f"x{rows}"
    data: list[dict[str, Any]] = []
    shapes: list[dict[str, Any]] = []
    titles: list[dict[str, Any]] = []
    layout = phone_layout(40 + 130 * rows, shapes=shapes, annotations=titles)
    layout["margin"] = {"l": 8, "r": 8, "t": 24, "b": 8}
    for index, member in enumerate(members, start=1):
        limit = member.agreement.hours_per_week
        values = hours.get(member.person_id, [0.0] * len(weeks))
        suffix = "" if index == 1 else str(index)
        x, y = f"x{suffix}", f"y{suffix}"
        top = 1 - (index - 1) * (height + gap)
        data.append(
            {
                "type": "bar",
                "x": weeks,
                "y": values,
                "xaxis": x,
                "yaxis": y,
                "marker": {"color": [OUTSIDE if v > limit else INSIDE for v in values]},
                "name": member.name,
                "showlegend": False,
                "hovertemplate": "%{x|%d-%m}: %{y:.1f} h<extra></extra>",
            }
        )
        # The x axes are shared: one range for all, dates only under the last.
        shared = {} if x == bottom else {"matches": bottom, "showticklabels": False}
        layout[f"xaxis{suffix}"] = {"anchor": y, "domain": [0, 1], "tickformat": "%d-%m", "dtick": TWO_WEEKS, **shared}
        domain = [max(0.0, round(top - height, 6)), min(1.0, round(top, 6))]
        layout[f"yaxis{suffix}"] = {"anchor": x, "domain": domain, "rangemode": "tozero", "nticks": 3}
        line = {"dash": "dash", "color": LIMIT, "width": 1.5}
        shapes.append({"type": "line", "xref": f"{x} domain", "x0": 0, "x1": 1, "yref": y, "y0": limit, "y1": limit})
        shapes[-1]["line"] = line
        titles.append(
            {
                "text": member.name,
                "showarrow": False,
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": domain[1],
                "xanchor": "left",
                "yanchor": "bottom",
                "font": {"size": 13},
            }
        )
    return go.Figure({"data": data, "layout": layout})


def outside_share_chart(shares: list[tuple[str, float]], _: Callable[[str], str]) -> go.Figure:
    """Per coproducer, the share of requests that came outside their hours (0-100 %)."""
    items = sorted(shares, key=lambda item: item[1])
    bar = {
        "type": "bar",
        "x": [share for _name, share in items],
        "y": [name for name, _share in items],
        "orientation": "h",
        "marker": {"color": OUTSIDE},
        "text": [f"{share:.0f}%" for _name, share in items],
        "textposition": "auto",
        "hovertemplate": "%{y}: %{x:.0f}%<extra></extra>",
    }
    layout = phone_layout(60 + 36 * max(1, len(items)), xaxis={"range": [0, 100], "ticksuffix": "%"})
    return go.Figure({"data": [bar], "layout": layout})
