"""A new version of a coproducer's agreement: from which date, hours a week, the limits outside hours and at night,
the kinds of problem, and per weekday one or two time windows. Starts from the agreement in force."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time

import streamlit as st

from monitor.config import TOPICS, WEEKDAYS
from monitor.errors import UserError
from monitor.people.access import Actor
from monitor.requests.agreements import Agreement, record_agreement
from monitor.requests.hours import Availability
from monitor.ui.context import engine
from monitor.ui.failure import show_error
from monitor.ui.labels import TOPIC_LABELS, WEEKDAY_LABELS

Window = tuple[time, time]


def _window(key: str, start: Window, _: Callable[[str], str]) -> Window:
    """From and to side by side, also on a phone."""
    row = st.container(horizontal=True)
    a = row.time_input(_("Start"), value=start[0], step=900, width=140, key=f"{key}-from")
    b = row.time_input(_("End"), value=start[1], step=900, width=140, key=f"{key}-to")
    return a, b


def _day_windows(key: str, day: str, start: tuple[Window, ...], _: Callable[[str], str]) -> tuple[Window, ...]:
    """A toggle per weekday, its start and end times, and optionally a second window."""
    if not st.toggle(_(WEEKDAY_LABELS[day]), value=bool(start), key=f"{key}-on"):
        return ()
    result = [_window(key, start[0] if start else (time(9, 0), time(17, 0)), _)]
    if st.checkbox(_("A second time window"), value=len(start) > 1, key=f"{key}-two"):
        result.append(_window(f"{key}-2", start[1] if len(start) > 1 else (time(19, 0), time(21, 0)), _))
    return tuple(result)


def agreement_form(actor: Actor, person_id: int, current: Agreement, today: date, _: Callable[[str], str]) -> bool:
    """True when the new version was saved."""
    pid = person_id
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
        windows = _day_windows(f"agr-{pid}-{day}", day, current.availability.get(day, ()), _)
        if windows:
            availability[day] = windows

    if not st.button(_("Save the new version"), type="primary", icon=":material/save:", key=f"agr-{pid}-save"):
        return False
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
        return False
    return True
