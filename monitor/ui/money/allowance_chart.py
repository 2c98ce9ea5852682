"""The year's allowance for a coproducer: paid per month, the running total, and the tax-free maximum."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import plotly.graph_objects as go

from monitor.ui.charts import INSIDE, OUTSIDE, _layout, money_axis, separators


def year_chart(
    by_month: dict[int, int],
    maximum: Decimal | None,
    month_names: list[str],
    _: Callable[[str], str],
    upto: int = 12,
    language: str = "nl",
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
    fig.update_yaxes(**money_axis(language))  # "€ 1.500", not "1500" under a lone "€"
    fig.update_layout(separators=separators(language))
    return _layout(fig, 300)
