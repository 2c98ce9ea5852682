"""Plotly figures for the workload pages, sized to read on a phone, and show(): every chart with its text
alternative."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

import plotly.graph_objects as go
import streamlit as st
from babel.numbers import get_decimal_symbol, get_group_symbol

from monitor.i18n import babel_locale, format_money
from monitor.requests import workload

INSIDE = "#2f7d5b"
OUTSIDE = "#d1495b"
PHONE = {"displayModeBar": False, "responsive": True}  # no toolbar: its buttons are 24 px, and nobody needs them


def in_words(pairs: Iterable[tuple[str, object]]) -> str:
    """A chart's figures as a line of text: "Money and debts: 12; Housing: 5"."""
    return "; ".join(f"{label}: {value}" for label, value in pairs)


def show(figure: go.Figure, name: str, figures: str = "", key: str | None = None, width: Any = "stretch") -> None:
    """A chart and its text alternative: what it shows and its figures in words, as the chart's accessible name
    (alt, for a screen reader); a page writes the same figures beside it for whoever cannot read a chart."""
    alt = f"{name}. {figures}" if figures else name
    st.plotly_chart(figure, config=PHONE, width=width, key=key, alt=alt)


def phone_layout(height: int, **more: Any) -> dict[str, Any]:
    """The layout every figure shares, as a plain description: a whole figure written out at once is checked by
    Plotly once, where each update_* call checks again (most of a page's time went there)."""
    return {
        "height": height,
        "margin": {"l": 8, "r": 8, "t": 8, "b": 8},
        "legend": {"orientation": "h", "y": -0.2},
        "bargap": 0.15,
        "plot_bgcolor": "white",
        "font": {"size": 14},  # readable on a phone
        **more,
    }


def separators(language: str) -> str:
    """Plotly's decimal and thousands marks as the reader writes them ("1.500,50" in Dutch, "1,500.50" in English)."""
    locale = babel_locale(language)
    return get_decimal_symbol(locale) + get_group_symbol(locale)


def money_axis(language: str) -> dict[str, Any]:
    """An axis of euros as the reader writes money: "€ 1.500" in Dutch, "€1,500" in English, no lone "€" title."""
    sample = format_money(Decimal(1), language)  # "€ 1,00" or "€1.00": where the sign goes and whether a space follows
    prefix = sample[: sample.index("1")] if sample.index("1") > 0 else ""
    return {"tickprefix": prefix, "tickformat": ",.0f", "title": {"text": ""}, "rangemode": "tozero"}


def _layout(fig: go.Figure, height: int) -> go.Figure:
    fig.update_layout(phone_layout(height))
    return fig


def days_chart(days: list[workload.DayLoad], _: Callable[[str], str]) -> go.Figure:
    x = [d.day for d in days]
    bars = [
        {"type": "bar", "x": x, "y": [d.inside_minutes / 60 for d in days], "name": _("Inside your hours")},
        {"type": "bar", "x": x, "y": [d.outside_minutes / 60 for d in days], "name": _("Outside your hours")},
    ]
    bars[0]["marker"], bars[1]["marker"] = {"color": INSIDE}, {"color": OUTSIDE}
    layout = phone_layout(
        280,
        barmode="stack",
        yaxis={"title": {"text": _("hours")}},
        xaxis={"tickformat": "%d-%m", "dtick": 7 * 24 * 3600 * 1000},
    )
    return go.Figure({"data": bars, "layout": layout})


def arrivals_chart(
    arrivals: dict[tuple[int, int], int], weekday_names: list[str], _: Callable[[str], str]
) -> go.Figure:
    z = [[arrivals.get((day, hour), 0) for hour in range(24)] for day in range(7)]
    heatmap = {
        "type": "heatmap",
        "z": z,
        "x": [f"{hour:02d}" for hour in range(24)],
        "y": weekday_names,
        "colorscale": [[0, "#f4f4f4"], [1, OUTSIDE]],
        "showscale": False,
        "hovertemplate": "%{y} %{x}:00 · %{z}<extra></extra>",
        "xgap": 1,
        "ygap": 1,
    }
    layout = phone_layout(
        260, yaxis={"autorange": "reversed"}, xaxis={"dtick": 3, "title": {"text": _("hour of the day")}}
    )
    return go.Figure({"data": [heatmap], "layout": layout})


def topics_chart(counts: dict[str, int], label: Callable[[str], str]) -> go.Figure:
    items = sorted(counts.items(), key=lambda kv: kv[1])
    bar = {
        "type": "bar",
        "x": [n for _t, n in items],
        "y": [label(t) for t, _n in items],
        "orientation": "h",
        "marker": {"color": INSIDE},
        "text": [n for _t, n in items],
        "textposition": "auto",
    }
    return go.Figure({"data": [bar], "layout": phone_layout(60 + 36 * max(1, len(items)))})
