"""Alerts, for project leaders: each burden alert in plain words; acknowledge, resolve or snooze it; export."""

from datetime import timedelta

import streamlit as st

from monitor.alerts import lifecycle as alerts
from monitor.alerts import team_export
from monitor.alerts.lifecycle import AlertRow, AlertStatus
from monitor.alerts.rules import ALL
from monitor.errors import UserError
from monitor.i18n import format_datetime
from monitor.people.access import Role
from monitor.requests import log as requests
from monitor.ui import alert_text
from monitor.ui.context import current_settings, engine, translator
from monitor.ui.downloads import logged
from monitor.ui.guard import require
from monitor.ui.labels import ALERT_EVENT_LABELS, ALERT_STATUS_LABELS, SEVERITY_LABELS
from monitor.ui.team_picker import choose_team
from monitor.ui.text import plain

actor = require(Role.LEADER)
_ = translator(actor)
settings = current_settings()
lang = actor.language
today = requests.local_now(settings).date()
state = st.session_state
STATUSES = [AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED, AlertStatus.RESOLVED]

st.title(_("Alerts"))
notice = state.pop("alerts_notice", None)
if notice:
    st.success(notice, icon=":material/check_circle:")

team = choose_team(actor, _)
coproducers = {m.person_id: m.display_name for m in team.members if Role.COPRODUCER in m.roles}


def when(moment) -> str:  # type: ignore[no-untyped-def]
    return format_datetime(moment, lang, settings.tz, "EEE d MMM HH:mm") if moment else ""


def finish(message: str | None) -> None:
    state.pop("alerts_action", None)
    if message:
        state.alerts_notice = message
    st.rerun()


def note_form(row: AlertRow, kind: str) -> None:
    """Acknowledge or resolve, with a note of what the leader did."""
    label = _("What did you do?") if kind == "acknowledge" else _("Why is it resolved?")
    note = st.text_area(label, key=f"{kind}-note-{row.id}", max_chars=alerts.NOTE_MAX, height=90)
    left, right = st.columns(2)
    save = _("Acknowledge") if kind == "acknowledge" else _("Resolve")
    if left.button(save, type="primary", width="stretch", key=f"{kind}-save-{row.id}"):
        action = alerts.acknowledge if kind == "acknowledge" else alerts.resolve
        try:
            action(engine(), actor, row.id, note)
        except UserError as error:
            st.error(error.render(_))
            return
        finish(_("The alert was acknowledged.") if kind == "acknowledge" else _("The alert was resolved."))
    if right.button(_("Cancel"), width="stretch", key=f"{kind}-cancel-{row.id}"):
        finish(None)


def snooze_form(row: AlertRow) -> None:
    st.caption(
        _("Snooze '{rule}' for {name}: no new alerts of this kind for them until the date.").format(
            rule=alert_text.title(row, _), name=row.person_name
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
            alerts.snooze(engine(), settings, actor, row.person_id, row.rule, until, reason)
        except UserError as error:
            st.error(error.render(_))
            return
        finish(_("Snoozed until {date}.").format(date=until.strftime("%d-%m-%Y")))
    if right.button(_("Cancel"), width="stretch", key=f"snooze-cancel-{row.id}"):
        finish(None)


def show_history(row: AlertRow) -> None:
    for at, action, who, note in alerts.history(engine(), actor, row.id):
        line = f"**{when(at)}** · {_(ALERT_EVENT_LABELS.get(action, action))}"
        if who:
            line += f" · {plain(who)}"
            if note:
                line += f": {plain(note)}"
        st.markdown(line)
    if st.button(_("Close"), key=f"history-close-{row.id}"):
        finish(None)


def show(row: AlertRow) -> None:
    severity = _(SEVERITY_LABELS.get(row.severity, row.severity))
    color = "red" if row.severity == "critical" else "orange"
    status = _(ALERT_STATUS_LABELS.get(row.status, row.status))
    st.markdown(f"**{plain(row.person_name)}** · {alert_text.title(row, _)}")
    st.markdown(f":{color}-badge[{severity}] :gray-badge[{status}]")
    st.write(alert_text.message(row, _, lang, for_leader=True))
    st.caption(_("Since {when}").format(when=when(row.opened_at or row.first_seen_at)))
    if row.note:
        st.caption(_("Note: {note}").format(note=plain(row.note)))
    action = state.get("alerts_action")
    if action == ("acknowledge", row.id):
        note_form(row, "acknowledge")
    elif action == ("resolve", row.id):
        note_form(row, "resolve")
    elif action == ("snooze", row.id):
        snooze_form(row)
    elif action == ("history", row.id):
        show_history(row)
    else:
        buttons = st.container(horizontal=True)
        choices = [("history", _("History"), ":material/history:")]
        if row.status != AlertStatus.RESOLVED:
            choices = [
                ("acknowledge", _("Acknowledge"), ":material/task_alt:"),
                ("resolve", _("Resolve"), ":material/done_all:"),
                ("snooze", _("Snooze"), ":material/snooze:"),
                *choices,
            ]
        for kind, label, icon in choices:
            if buttons.button(label, icon=icon, key=f"{kind}-{row.id}"):
                state.alerts_action = (kind, row.id)
                st.rerun()


with st.expander(_("Filter"), icon=":material/filter_list:"):
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

rows = alerts.team_alerts(engine(), actor, team.id, statuses or STATUSES, rule, person)
if not rows:
    st.info(_("No alerts with these filters."), icon=":material/check_circle:")
for row in rows:
    with st.container(border=True, key=f"alert-{row.id}"):
        show(row)

st.subheader(_("Export"))
fmt = st.segmented_control(_("Format"), ["xlsx", "csv"], default="xlsx", format_func=str.upper, key="alerts-fmt")
fmt = fmt or "xlsx"
buttons = st.container(horizontal=True)
buttons.download_button(
    _("Alerts"),
    # A callable: the file is made when someone downloads it, not on every rerun of the page.
    data=logged(
        actor,
        "team alerts",
        lambda rows=rows, fmt=fmt: team_export.to_file(
            team_export.alert_rows(rows, settings), team_export.ALERT_COLUMNS, fmt, "alerts"
        ),
    ),
    file_name=f"alerts-{today:%Y%m%d}.{fmt}",
    icon=":material/download:",
    on_click="ignore",
)
buttons.download_button(
    _("Weekly load, 12 weeks"),
    data=logged(
        actor,
        "team weekly load",
        lambda team_id=team.id, fmt=fmt: team_export.to_file(
            team_export.load_rows(engine(), actor, team_id, today), team_export.LOAD_COLUMNS, fmt, "load"
        ),
    ),
    file_name=f"load-{today:%Y%m%d}.{fmt}",
    icon=":material/download:",
    on_click="ignore",
)
