"""The qualification heatmap: who in the team is trained for which kind of problem."""

from __future__ import annotations

from collections.abc import Callable

import plotly.graph_objects as go

from monitor.config import TOPICS
from monitor.training.qualifications import STATUSES, Row
from monitor.ui.charts import INSIDE, OUTSIDE, _layout
from monitor.ui.labels import TOPIC_LABELS
from monitor.ui.training.training_labels import QUALIFICATION_LABELS, QUALIFICATION_MARKS

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
