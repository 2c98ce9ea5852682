"""A card per coproducer on the Alerts page: what is over, since when, their weekly load, one "I have talked with them"
for all their open alerts, and each alert's own actions folded away."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from monitor.alerts import actions as alerts
from monitor.alerts import by_person
from monitor.alerts.actions import AlertStatus
from monitor.alerts.by_person import PersonAlerts
from monitor.errors import UserError
from monitor.i18n import Np_, counted, format_number
from monitor.ui.alerts import alert_text
from monitor.ui.alerts.alert_actions import Action, Leader, alert_actions
from monitor.ui.context import engine
from monitor.ui.failure import show_error
from monitor.ui.labels import ALERT_STATUS_LABELS, SEVERITY_LABELS
from monitor.ui.steps import Step
from monitor.ui.text import plain

SPARK = "▁▂▃▄▅▆▇█"


def sparkline(hours: tuple[float, ...]) -> str:
    """Weekly hours as a row of bars, oldest first: readable on a phone and without colour."""
    top = max(hours, default=0) or 1
    return "".join(SPARK[min(len(SPARK) - 1, int(h / top * (len(SPARK) - 1)))] for h in hours)


def _talked_form(leader: Leader, team_id: int, group: PersonAlerts) -> Step | None:
    """One note and one action for all of the person's open alerts."""
    _ = leader.translate
    note = st.text_area(
        _("What did you agree with {name}?").format(name=plain(group.name)),
        key=f"person-note-{group.key}",
        max_chars=alerts.NOTE_MAX,
        height=80,
        placeholder=_("For example: a case went to the social worker."),
    )
    if st.button(
        _("I have talked with them"),
        icon=":material/forum:",
        type="primary",
        width="stretch",
        key=f"person-talked-{group.key}",
    ):
        try:
            count = by_person.acknowledge_person(
                engine(), leader.actor, team_id, group.person_id, note, rules=group.rules
            )
        except UserError as error:
            show_error(error, _)
            return None
        return Step(
            notice=_(
                "{name}: open alerts acknowledged ({count}), with your note. You find them under Acknowledged."
            ).format(count=count, name=plain(group.name))
        )
    return None


def person_card(
    leader: Leader,
    team_id: int,
    group: PersonAlerts,
    trend: tuple[float, ...],
    looked: datetime | None,
    open_action: Action | None,
) -> Step | None:
    """The coproducer's card; looked is the leader's previous visit (what came after it is marked new)."""
    _ = leader.translate
    lang = leader.actor.language
    critical = group.severity == "critical"
    badge = (
        f":red-badge[{_(SEVERITY_LABELS['critical'])}]"
        if critical
        else f":orange-badge[{_(SEVERITY_LABELS['warning'])}]"
    )
    if not group.open:
        badge += f" :green-badge[:material/check: {_(ALERT_STATUS_LABELS[AlertStatus.ACKNOWLEDGED])}]"
    if looked is not None and group.new_since(looked):
        badge += f" :blue-badge[{_('New')}]"
    st.header(plain(group.name), anchor=False)
    st.markdown(badge)
    for row in group.alerts:
        st.markdown(f"- **{alert_text.title(row, _)}**: {alert_text.message(row, _, lang, for_leader=True)}")
    st.caption(_("Since {when}").format(when=leader.when(group.since)))
    if trend:
        st.caption(
            counted(
                _,
                Np_(
                    "Hours per week, last {n} week: {bars} (this week {hours})",
                    "Hours per week, last {n} weeks: {bars} (this week {hours})",
                ),
                len(trend),
            ).format(n=len(trend), bars=sparkline(trend), hours=format_number(trend[-1], lang))
        )
    if group.open:
        step = _talked_form(leader, team_id, group)
        if step is not None:
            return step
    else:
        notes = sorted({row.note for row in group.alerts if row.note})
        if notes:
            st.caption(_("Note: {note}").format(note=" · ".join(plain(note, one_line=True) for note in notes)))
    with st.expander(_("Each alert: acknowledge, resolve, snooze, history"), icon=":material/tune:"):
        for row in group.alerts:
            with st.container(border=True, key=f"alert-{row.id}"):
                step = alert_actions(leader, row, open_action)
            if step is not None:
                return step
    return None
