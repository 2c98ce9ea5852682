"""Names and Plotly bars for the contribution report and the check-up, shared by their pages."""

from __future__ import annotations

from collections.abc import Callable

import plotly.graph_objects as go

from monitor.i18n import N_
from monitor.ui.labels import CHANNEL_LABELS, LEVEL_LABELS, REFERRAL_LABELS, TOPIC_LABELS

BAR = "#2f7d5b"
LOW = "#d1495b"
PREVIOUS = "#9bb0a7"
_NAMES = {"topic": TOPIC_LABELS, "level": LEVEL_LABELS, "channel": CHANNEL_LABELS, "referral": REFERRAL_LABELS}
_SPECIAL = {"other": N_("Other"), "not_recorded": N_("Not recorded")}


def report_label(_: Callable[[str], str]) -> Callable[[str, str], str]:
    """(breakdown, key) -> the key's name; "other" is always the merged group, so it reads "Other" everywhere."""

    def label(breakdown: str, key: str) -> str:
        msgid = _SPECIAL.get(key) or _NAMES[breakdown].get(key)
        return _(msgid) if msgid else key

    return label


def bars(
    names: list[str], values: list[float], colours: list[str] | None = None, height: int | None = None
) -> go.Figure:
    """Horizontal bars, largest on top, readable at 390 px."""
    fig = go.Figure(
        go.Bar(
            x=values[::-1],
            y=names[::-1],
            orientation="h",
            marker_color=(colours or [BAR] * len(values))[::-1],
            text=[f"{v:g}" for v in values[::-1]],
            textposition="auto",
            hovertemplate="%{y}: %{x}<extra></extra>",
        )
    )
    fig.update_layout(
        height=height or 60 + 34 * len(names),
        margin={"l": 8, "r": 8, "t": 8, "b": 8},
        plot_bgcolor="white",
        yaxis={"automargin": True},
    )
    return fig
