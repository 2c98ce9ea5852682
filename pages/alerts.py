"""Alerts, for project leaders: one card per coproducer (what is over, since when, their weekly load), one "I have
talked with them" for all their open alerts; each alert's own actions folded away; export."""

from datetime import timedelta

import streamlit as st

from monitor.alerts import by_person, team_export, team_load
from monitor.alerts import lifecycle as alerts
from monitor.alerts.by_person import PersonAlerts
from monitor.alerts.lifecycle import AlertRow, AlertStatus
from monitor.alerts.rules import ALL
from monitor.errors import UserError
from monitor.i18n import format_datetime, format_number
from monitor.people.access import Role
from monitor.requests import log as requests
from monitor.ui.alerts import alert_text
from monitor.ui.context import current_settings, engine, translator
from monitor.ui.downloads import logged
from monitor.ui.failure import show_error
from monitor.ui.guard import require
from monitor.ui.labels import ALERT_EVENT_LABELS, ALERT_STATUS_LABELS, SEVERITY_LABELS
from monitor.ui.team_picker import choose_team
from monitor.ui.text import inline, plain

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
    st.toast(notice, icon=":material/check_circle:")  # seen where the leader is, even scrolled down

team = choose_team(actor, _)
# The moment of the previous visit, read once per session so that "new" stays put while the leader works through it.
looked_key = f"alerts-looked-{team.id}"
if looked_key not in state:
    state[looked_key] = by_person.last_looked(engine(), actor)
    by_person.record_look(engine(), actor)
looked = state[looked_key]
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
            show_error(error, _)
            return
        finish(_("The alert was acknowledged.") if kind == "acknowledge" else _("The alert was resolved."))
    if right.button(_("Cancel"), width="stretch", key=f"{kind}-cancel-{row.id}"):
        finish(None)


def snooze_form(row: AlertRow) -> None:
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
            alerts.snooze(engine(), settings, actor, row.person_id, row.rule, until, reason)
        except UserError as error:
            show_error(error, _)
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
    st.markdown(f"**{alert_text.title(row, _)}** :{color}-badge[{severity}] :gray-badge[{status}]")
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
                ("resolve", _("Resolve"), ":material/done_all:"),
                ("snooze", _("Snooze"), ":material/snooze:"),
                *choices,
            ]
        if row.status == AlertStatus.OPEN:  # an alert already seen offers no second "acknowledge"
            choices.insert(0, ("acknowledge", _("Acknowledge"), ":material/task_alt:"))
        for kind, label, icon in choices:
            if buttons.button(label, icon=icon, key=f"{kind}-{row.id}"):
                state.alerts_action = (kind, row.id)
                st.rerun()


SPARK = "▁▂▃▄▅▆▇█"


def sparkline(hours: tuple[float, ...]) -> str:
    """Weekly hours as a row of bars, oldest first: readable on a phone and without colour."""
    top = max(hours, default=0) or 1
    return "".join(SPARK[min(len(SPARK) - 1, int(h / top * (len(SPARK) - 1)))] for h in hours)


def talked_form(group: PersonAlerts) -> None:
    """One note and one action for all of the person's open alerts."""
    note = st.text_area(
        _("What did you agree with {name}?").format(name=plain(group.name)),
        key=f"person-note-{group.person_id}",
        max_chars=alerts.NOTE_MAX,
        height=80,
        placeholder=_("For example: a case went to the social worker."),
    )
    if st.button(
        _("I have talked with them"),
        icon=":material/forum:",
        type="primary",
        width="stretch",
        key=f"person-talked-{group.person_id}",
    ):
        try:
            count = by_person.acknowledge_person(engine(), actor, team.id, group.person_id, note)
        except UserError as error:
            show_error(error, _)
            return
        finish(
            _("{name}: open alerts acknowledged ({count}), with your note. You find them under Acknowledged.").format(
                count=count, name=plain(group.name)
            )
        )


def person_card(group: PersonAlerts, trend: tuple[float, ...]) -> None:
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
    st.caption(_("Since {when}").format(when=when(group.since)))
    if trend:
        st.caption(
            _("Hours per week, last {n} weeks: {bars} (this week {hours})").format(
                n=len(trend), bars=sparkline(trend), hours=format_number(trend[-1], lang)
            )
        )
    if group.open:
        talked_form(group)
    else:
        notes = sorted({row.note for row in group.alerts if row.note})
        if notes:
            st.caption(_("Note: {note}").format(note=" · ".join(inline(note) for note in notes)))
    with st.expander(_("Each alert: acknowledge, resolve, snooze, history"), icon=":material/tune:"):
        for row in group.alerts:
            with st.container(border=True, key=f"alert-{row.id}"):
                show(row)


with st.expander(_("Filter"), icon=":material/filter_list:"):
    new_only = st.toggle(_("New since I last looked"), key="alerts-new-only", disabled=looked is None)
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
groups = by_person.group(rows)
if new_only:
    groups = [g for g in groups if g.new_since(looked)]
if not groups:
    st.info(_("No alerts with these filters."), icon=":material/check_circle:")
else:
    waiting = sum(1 for g in groups if g.open)
    st.markdown(_("People who need your attention: {n}").format(n=waiting) if waiting else _("Everyone is seen to."))
trends = {m.person_id: m.trend for m in team_load.overview(engine(), settings, actor, team.id, today)} if groups else {}
for group in groups:
    with st.container(border=True, key=f"person-{group.person_id}"):
        person_card(group, trends.get(group.person_id, ()))

st.header(_("Export"))
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
