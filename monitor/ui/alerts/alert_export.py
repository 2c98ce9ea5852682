"""The exports of the Alerts page: the alerts shown, and the team's weekly load of 12 weeks, as Excel or CSV."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import streamlit as st

from monitor.alerts import team_export
from monitor.alerts.actions import AlertRow
from monitor.config import Settings
from monitor.people.access import Actor
from monitor.ui.context import engine
from monitor.ui.downloads import logged


def alert_export(
    actor: Actor,
    settings: Settings,
    alert_rows: Callable[[Actor], list[AlertRow]],
    team_id: int,
    today: date,
    _: Callable[[str], str],
) -> None:
    """alert_rows: the alerts shown, read again for the person as they are at the click (monitor.ui.downloads)."""
    st.header(_("Export"))
    fmt = st.segmented_control(_("Format"), ["xlsx", "csv"], default="xlsx", format_func=str.upper, key="alerts-fmt")
    fmt = fmt or "xlsx"
    buttons = st.container(horizontal=True)

    def offer(label: str, what: str, make: Callable[[Actor], bytes], name: str) -> None:
        # A callable: the file is made when someone downloads it, not on every rerun of the page.
        buttons.download_button(
            label,
            data=logged(actor, what, make),
            file_name=f"{name}-{today:%Y%m%d}.{fmt}",
            icon=":material/download:",
            on_click="ignore",
        )

    offer(
        _("Alerts"),
        "team alerts",
        lambda now: team_export.to_file(
            team_export.alert_rows(alert_rows(now), settings), team_export.ALERT_COLUMNS, fmt, "alerts"
        ),
        "alerts",
    )
    offer(
        _("Weekly load, 12 weeks"),
        "team weekly load",
        lambda now: team_export.to_file(
            team_export.load_rows(engine(), now, team_id, today), team_export.LOAD_COLUMNS, fmt, "load"
        ),
        "load",
    )
