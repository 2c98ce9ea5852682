"""The filter of the Alerts page, folded away: new since the last visit, status, kind of alert, coproducer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from monitor.alerts.actions import AlertStatus
from monitor.alerts.rules import ALL
from monitor.ui.alerts import alert_text
from monitor.ui.labels import ALERT_STATUS_LABELS

STATUSES = [AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED, AlertStatus.RESOLVED]


@dataclass(frozen=True)
class AlertFilter:
    new_only: bool
    statuses: list[str]  # every status when none is chosen
    rule: str | None
    person: int | None


def alert_filter(coproducers: dict[int, str], can_mark_new: bool, _: Callable[[str], str]) -> AlertFilter:
    """coproducers by id, with their names; "new" needs a previous visit (can_mark_new)."""
    with st.expander(_("Filter"), icon=":material/filter_list:"):
        new_only = st.toggle(_("New since I last looked"), key="alerts-new-only", disabled=not can_mark_new)
        statuses = st.pills(
            _("Status"),
            STATUSES,
            selection_mode="multi",
            default=[AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED],
            format_func=lambda s: _(ALERT_STATUS_LABELS[s]),
            key="alerts-status",
        )
        rule = st.selectbox(
            _("Kind of alert"),
            [None, *(r.name for r in ALL)],
            format_func=lambda name: _("All kinds") if name is None else alert_text.rule_title(name, _),
            key="alerts-rule",
        )
        person = st.selectbox(
            _("Coproducer"),
            [None, *coproducers],
            format_func=lambda pid: _("Everyone") if pid is None else coproducers[pid],
            key="alerts-person",
        )
    return AlertFilter(new_only, statuses or STATUSES, rule, person)
