"""Agreements, for project leaders: what each coproducer agreed (the demarcation), its versions, and a new version."""

from datetime import time

import streamlit as st

from monitor.config import TOPICS, WEEKDAYS
from monitor.errors import UserError
from monitor.i18n import format_date, format_datetime, format_number
from monitor.people.access import Role
from monitor.requests import log as requests
from monitor.requests.agreements import Agreement, agreement_history, current_agreement, record_agreement
from monitor.requests.hours import Availability
from monitor.ui.birth_month import birth_month_form
from monitor.ui.context import current_settings, engine, translator
from monitor.ui.failure import show_error
from monitor.ui.guard import require
from monitor.ui.labels import TOPIC_LABELS, WEEKDAY_LABELS
from monitor.ui.team_picker import led_teams
from monitor.ui.text import inline, plain

actor = require(Role.LEADER)
_ = translator(actor)
settings = current_settings()
lang = actor.language
today = requests.local_now(settings).date()
state = st.session_state

st.title(_("Agreements"))
notice = state.pop("agreements_notice", None)
if notice:
    st.success(notice, icon=":material/check_circle:")

teams = led_teams(actor)
members = [m for t in teams for m in t.members if Role.COPRODUCER in m.roles]
if not members:
    st.write(_("Your team has no coproducers yet."))
    st.stop()
member = st.selectbox(_("Coproducer"), members, format_func=lambda m: m.display_name)
pid = member.person_id


def windows_text(windows: tuple[tuple[time, time], ...]) -> str:
    return ", ".join(f"{a:%H:%M}-{b:%H:%M}" for a, b in windows) if windows else _("day off")


def describe(agreement: Agreement) -> None:
    st.write(
        _("{hours} hours a week; at most {outside} requests outside hours and {night} at night in 7 days.").format(
            hours=format_number(agreement.hours_per_week, lang),
            outside=agreement.max_outside_requests_per_week,
            night=agreement.max_night_requests_per_week,
        )
    )
    st.write(_("Helps with: {topics}").format(topics=", ".join(_(TOPIC_LABELS[t]) for t in agreement.topics) or "-"))
    st.write(
        " · ".join(
            f"**{_(WEEKDAY_LABELS[day])[:2]}** {windows_text(agreement.availability.get(day, ()))}" for day in WEEKDAYS
        )
    )


current = current_agreement(engine(), actor, pid, today, settings.demarcation)
st.header(_("In force today"))
if current.valid_from is None:
    st.caption(
        _("The standard agreement: nothing has been recorded for {name} yet.").format(name=plain(member.display_name))
    )
else:
    st.caption(_("Since {date}").format(date=format_date(current.valid_from, lang, "d MMMM yyyy")))
describe(current)
birth_month_form(actor, pid, member.display_name, today)


def window(key: str, start: tuple[time, time]) -> tuple[time, time]:
    """From and to side by side, also on a phone."""
    row = st.container(horizontal=True)
    a = row.time_input(_("Start"), value=start[0], step=900, width=140, key=f"{key}-from")
    b = row.time_input(_("End"), value=start[1], step=900, width=140, key=f"{key}-to")
    return a, b


def day_windows(day: str, start: tuple[tuple[time, time], ...]) -> tuple[tuple[time, time], ...]:
    """A toggle per weekday, its start and end times, and optionally a second window."""
    key = f"agr-{pid}-{day}"
    if not st.toggle(_(WEEKDAY_LABELS[day]), value=bool(start), key=f"{key}-on"):
        return ()
    result = [window(key, start[0] if start else (time(9, 0), time(17, 0)))]
    if st.checkbox(_("A second time window"), value=len(start) > 1, key=f"{key}-two"):
        result.append(window(f"{key}-2", start[1] if len(start) > 1 else (time(19, 0), time(21, 0))))
    return tuple(result)


st.header(_("Record a new version"))
st.caption(
    _(
        "The new version counts from the date you choose. Requests already logged keep how they were judged. "
        "A version with the same date is replaced."
    )
)
valid_from = st.date_input(_("Valid from"), value=today, format="DD-MM-YYYY", key=f"agr-{pid}-from")
hours = st.number_input(
    _("Hours per week"),
    min_value=0.0,
    max_value=168.0,
    value=float(current.hours_per_week),
    step=0.5,
    format="%.1f",
    key=f"agr-{pid}-hours",
)
limits = st.container(horizontal=True)
outside = limits.number_input(
    _("Outside hours, per 7 days"),
    min_value=0,
    max_value=100,
    value=current.max_outside_requests_per_week,
    width=170,
    key=f"agr-{pid}-outside",
)
night = limits.number_input(
    _("At night, per 7 days"),
    min_value=0,
    max_value=100,
    value=current.max_night_requests_per_week,
    width=170,
    key=f"agr-{pid}-night",
)
topics = st.pills(
    _("Kinds of problem they take on"),
    list(TOPICS),
    selection_mode="multi",
    default=list(current.topics),
    format_func=lambda t: _(TOPIC_LABELS[t]),
    key=f"agr-{pid}-topics",
)
st.markdown("**" + _("When they are available") + "**")
availability: Availability = {}
for day in WEEKDAYS:
    windows = day_windows(day, current.availability.get(day, ()))
    if windows:
        availability[day] = windows

if st.button(_("Save the new version"), type="primary", icon=":material/save:", key=f"agr-{pid}-save"):
    agreement = Agreement(
        valid_from=valid_from,
        hours_per_week=float(hours),
        max_outside_requests_per_week=int(outside),
        max_night_requests_per_week=int(night),
        topics=tuple(t for t in TOPICS if t in (topics or [])),
        availability=availability,
    )
    try:
        record_agreement(engine(), actor, pid, agreement)
    except UserError as error:
        show_error(error, _)
    else:
        state.agreements_notice = _("The agreement with {name} was saved.").format(name=inline(member.display_name))
        st.rerun()

st.header(_("Earlier versions"))
history = agreement_history(engine(), actor, pid)
if not history:
    st.write(_("No versions recorded yet."))
for version in history:
    with st.expander(
        _("From {date}").format(date=format_date(version.agreement.valid_from, lang, "d MMM yyyy")),  # type: ignore[arg-type]
        icon=":material/history:",
    ):
        describe(version.agreement)
        st.caption(
            _("Recorded {when} by {who}").format(
                when=format_datetime(version.recorded_at, lang, settings.tz, "d MMM yyyy HH:mm"),
                who=version.recorded_by or _("the system"),
            )
        )
