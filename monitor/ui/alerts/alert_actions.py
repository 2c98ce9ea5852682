"""One alert's own actions on the Alerts page: acknowledge or resolve it with a note, snooze it, read its history.

The page remembers which action is open; these draw it and return what the leader did (a Step, opened: an Action), so
the page decides what to remember and when to run again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import streamlit as st

from monitor.alerts import actions as alerts
from monitor.alerts.actions import AlertRow, AlertStatus
from monitor.config import Settings
from monitor.errors import UserError
from monitor.i18n import format_datetime
from monitor.people.access import Actor
from monitor.ui.alerts import alert_text
from monitor.ui.context import engine
from monitor.ui.failure import show_error
from monitor.ui.labels import ALERT_EVENT_LABELS, ALERT_STATUS_LABELS, SEVERITY_LABELS
from monitor.ui.steps import Step
from monitor.ui.text import plain

# An open action: its kind ("acknowledge", "resolve", "snooze", "history") and the alert's id.
Action = tuple[str, int]


@dataclass(frozen=True)
class Leader:
    """The leader reading the page: who they are, the settings, today's date and their translator."""

    actor: Actor
    settings: Settings
    today: date
    translate: Callable[[str], str]

    def when(self, moment: datetime | None) -> str:
        return format_datetime(moment, self.actor.language, self.settings.tz, "EEE d MMM HH:mm") if moment else ""


def _note_form(leader: Leader, row: AlertRow, kind: str) -> Step | None:
    """Acknowledge or resolve, with a note of what the leader did."""
    _ = leader.translate
    label = _("What did you do?") if kind == "acknowledge" else _("Why is it resolved?")
    note = st.text_area(label, key=f"{kind}-note-{row.id}", max_chars=alerts.NOTE_MAX, height=90)
    left, right = st.columns(2)
    save = _("Acknowledge") if kind == "acknowledge" else _("Resolve")
    if left.button(save, type="primary", width="stretch", key=f"{kind}-save-{row.id}"):
        action = alerts.acknowledge if kind == "acknowledge" else alerts.resolve
        try:
            action(engine(), leader.actor, row.id, note)
        except UserError as error:
            show_error(error, _)
            return None
        return Step(notice=_("The alert was acknowledged.") if kind == "acknowledge" else _("The alert was resolved."))
    if right.button(_("Cancel"), width="stretch", key=f"{kind}-cancel-{row.id}"):
        return Step()
    return None


def _snooze_form(leader: Leader, row: AlertRow) -> Step | None:
    _ = leader.translate
    today = leader.today
    st.caption(
        _("Snooze '{rule}' for {name}: no new alerts of this kind for them until the date.").format(
            rule=alert_text.title(row, _), name=plain(row.person_name)
        )
    )
    until = st.date_input(
        _("Until"),
        value=today + timedelta(days=14),
        min_value=today,
        max_value=today + timedelta(days=90),
        format="DD-MM-YYYY",
        key=f"snooze-until-{row.id}",
    )
    reason = st.text_area(_("Reason"), key=f"snooze-reason-{row.id}", max_chars=alerts.NOTE_MAX, height=90)
    left, right = st.columns(2)
    if left.button(_("Snooze"), type="primary", width="stretch", key=f"snooze-save-{row.id}"):
        try:
            alerts.snooze(engine(), leader.settings, leader.actor, row.person_id, row.rule, until, reason)
        except UserError as error:
            show_error(error, _)
            return None
        return Step(notice=_("Snoozed until {date}.").format(date=until.strftime("%d-%m-%Y")))
    if right.button(_("Cancel"), width="stretch", key=f"snooze-cancel-{row.id}"):
        return Step()
    return None


def _history(leader: Leader, row: AlertRow) -> Step | None:
    _ = leader.translate
    for at, action, who, note in alerts.history(engine(), leader.actor, row.id):
        line = f"**{leader.when(at)}** · {_(ALERT_EVENT_LABELS.get(action, action))}"
        if who:
            line += f" · {plain(who)}"
            if note:
                line += f": {plain(note)}"
        st.markdown(line)
    if st.button(_("Close"), key=f"history-close-{row.id}"):
        return Step()
    return None


def alert_actions(leader: Leader, row: AlertRow, open_action: Action | None) -> Step | None:
    """The alert's title, severity, status and note; then the open action, or the buttons that open one."""
    _ = leader.translate
    severity = _(SEVERITY_LABELS.get(row.severity, row.severity))
    color = "red" if row.severity == "critical" else "orange"
    status = _(ALERT_STATUS_LABELS.get(row.status, row.status))
    st.markdown(f"**{alert_text.title(row, _)}** :{color}-badge[{severity}] :gray-badge[{status}]")
    st.caption(_("Since {when}").format(when=leader.when(row.opened_at or row.first_seen_at)))
    if row.note:
        st.caption(_("Note: {note}").format(note=plain(row.note)))
    if open_action == ("acknowledge", row.id):
        return _note_form(leader, row, "acknowledge")
    if open_action == ("resolve", row.id):
        return _note_form(leader, row, "resolve")
    if open_action == ("snooze", row.id):
        return _snooze_form(leader, row)
    if open_action == ("history", row.id):
        return _history(leader, row)
    buttons = st.container(horizontal=True)
    choices = [("history", _("History"), ":material/history:")]
    if row.status != AlertStatus.RESOLVED:
        choices = [
            ("resolve", _("Resolve"), ":material/done_all:"),
            ("snooze", _("Snooze"), ":material/snooze:"),
            *choices,
        ]
    if row.status == AlertStatus.OPEN:  # an alert already seen offers no second "acknowledge"
        choices.insert(0, ("acknowledge", _("Acknowledge"), ":material/task_alt:"))
    for kind, label, icon in choices:
        if buttons.button(label, icon=icon, key=f"{kind}-{row.id}"):
            return Step(opened=(kind, row.id))
    return None
