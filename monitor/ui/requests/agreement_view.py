"""A coproducer's agreement (the demarcation) in words: hours a week, the limits outside hours and at night, the
kinds of problem, when they are available; and the earlier versions, each with who recorded it and when."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time

import streamlit as st

from monitor.config import WEEKDAYS, Settings
from monitor.i18n import format_date, format_datetime, format_number
from monitor.people.access import Actor
from monitor.requests.agreements import Agreement, agreement_history
from monitor.ui.context import engine
from monitor.ui.labels import TOPIC_LABELS, WEEKDAY_LABELS


def _windows_text(windows: tuple[tuple[time, time], ...], _: Callable[[str], str]) -> str:
    return ", ".join(f"{a:%H:%M}-{b:%H:%M}" for a, b in windows) if windows else _("day off")


def describe(agreement: Agreement, language: str, _: Callable[[str], str]) -> None:
    st.write(
        _("Hours a week: {hours}. At most in 7 days: outside hours {outside}, at night {night}.").format(
            hours=format_number(agreement.hours_per_week, language),
            outside=agreement.max_outside_requests_per_week,
            night=agreement.max_night_requests_per_week,
        )
    )
    st.write(_("Helps with: {topics}").format(topics=", ".join(_(TOPIC_LABELS[t]) for t in agreement.topics) or "-"))
    st.write(
        " · ".join(
            f"**{_(WEEKDAY_LABELS[day])[:2]}** {_windows_text(agreement.availability.get(day, ()), _)}"
            for day in WEEKDAYS
        )
    )


def earlier_versions(actor: Actor, settings: Settings, person_id: int, _: Callable[[str], str]) -> None:
    lang = actor.language
    st.header(_("Earlier versions"))
    history = agreement_history(engine(), actor, person_id)
    if not history:
        st.write(_("No versions recorded yet."))
    for version in history:
        with st.expander(
            _("From {date}").format(date=format_date(version.agreement.valid_from, lang, "d MMM yyyy")),  # type: ignore[arg-type]
            icon=":material/history:",
        ):
            describe(version.agreement, lang, _)
            st.caption(
                _("Recorded {when} by {who}").format(
                    when=format_datetime(version.recorded_at, lang, settings.tz, "d MMM yyyy HH:mm"),
                    who=version.recorded_by or _("the system"),
                )
            )
