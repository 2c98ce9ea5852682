"""A coproducer's own WHO-5 scores over time, with each date written the reader's way ("27 okt", "27 Oct")."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import plotly.graph_objects as go

from monitor.i18n import format_date
from monitor.ui.charts import INSIDE, phone_layout


def who5_chart(days: list[date], scores: list[int], language: str, _: Callable[[str], str]) -> go.Figure:
    """Scores 0-100 by the day they were given. The days are Babel's (the browser's chart library names months only
    in English, and st.line_chart wrote "Tue 27" without a month); a category axis keeps them in order."""
    labels = [format_date(day, language, "d MMM yyyy") for day in days]
    line = {"type": "scatter", "mode": "lines+markers", "x": labels, "y": scores, "name": _("Score")}
    line["line"] = {"color": INSIDE}
    layout = phone_layout(
        220,
        showlegend=False,
        xaxis={"type": "category"},
        yaxis={"title": {"text": _("Score")}, "range": [0, 100]},
    )
    return go.Figure({"data": [line], "layout": layout})
