"""Plotly figures for training and allowances: the qualification heatmap, the year's allowance and its maximum."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import plotly.graph_objects as go

from monitor.config import TOPICS
from monitor.training.qualifications import STATUSES, Row
from monitor.ui.charts import INSIDE, OUTSIDE, _layout
from monitor.ui.labels import TOPIC_LABELS
from monitor.ui.training_labels import QUALIFICATION_LABELS, QUALIFICATION_MARKS

COLOURS = {"trained": INSIDE, "expiring": "#f0a202", "expired": OUTSIDE, "none": "#e4e4e4"}


def qualification_heatmap(rows: list[Row], _: Callable[[str], str]) -> go.Figure:
    """Coproducer by kind of problem; the colour, a mark in the cell (readable without colour) and the word on hover
    say trained, expiring, expired or not."""
    index = {status: i for i, status in enumerate(STATUSES)}
    z = [[index[r.cells[t].status] for t in TOPICS] for r in rows]
    text = [[_(QUALIFICATION_LABELS[r.cells[t].status]) for t in TOPICS] for r in rows]
    marks = [[QUALIFICATION_MARKS[r.cells[t].status] for t in TOPICS] for r in rows]
    n = len(STATUSES) - 1
    scale = []
    for status in STATUSES:
        i = index[status]
        scale.append([max(0.0, (i - 0.5) / n), COLOURS[status]])
        scale.append([min(1.0, (i + 0.5) / n), COLOURS[status]])
    topics = [_(TOPIC_LABELS[t]) for t in TOPICS]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=topics,
            y=[r.name for r in rows],
            text=marks,
            customdata=text,
            texttemplate="%{text}",
            textfont={"size": 16},
            zmin=0,
            zmax=n,
            colorscale=scale,
            showscale=False,
            hovertemplate="%{y} · %{x}: %{customdata}<extra></extra>",
            xgap=2,
            ygap=2,
        )
    )
    fig.update_yaxes(autorange="reversed")
    # Slanted names fit six columns on a phone
    fig.update_xaxes(side="top", tickangle=-50, tickfont={"size": 11})
    return _layout(fig, 150 + 44 * max(1, len(rows)))


def year_chart(
    by_month: dict[int, int],
    maximum: Decimal | None,
    month_names: list[str],
    _: Callable[[str], str],
    upto: int = 12,
) -> go.Figure:
    """The allowance paid per month, its running total, and the tax-free maximum per year as a line."""
    paid = [by_month.get(m, 0) / 100 for m in range(1, 13)]
    running, total = [], 0.0
    for value in paid[:upto]:  # the running total up to this month, not into the future
        total += value
        running.append(total)
    fig = go.Figure()
    fig.add_bar(x=month_names, y=paid, name=_("Paid in the month"), marker_color=INSIDE)
    fig.add_scatter(
        x=month_names[:upto], y=running, name=_("Total this year"), mode="lines+markers", line={"color": "#1f4e79"}
    )
    if maximum is not None:
        fig.add_hline(y=float(maximum), line_dash="dash", line_color=OUTSIDE, annotation_text=_("Maximum per year"))
    fig.update_yaxes(title="€", rangemode="tozero")
    return _layout(fig, 300)
