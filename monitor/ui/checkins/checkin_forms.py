"""The counsellor's forms for one check-in: plan or move it, record how it went, and the private notes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta

import streamlit as st

from monitor.checkins import calendar_feed
from monitor.checkins import counselling as checkins
from monitor.checkins import notes as checkin_notes
from monitor.checkins.views import CheckinView
from monitor.config import Settings
from monitor.errors import UserError
from monitor.i18n import N_, format_date, format_datetime
from monitor.people.access import Actor
from monitor.ui import saved
from monitor.ui.context import engine
from monitor.ui.failure import show_error
from monitor.ui.text import plain

MODE_LABELS = calendar_feed.MODE_LABELS
OUTCOME_LABELS = {"done": N_("Held"), "no_show": N_("Did not come"), "cancelled": N_("Cancelled")}
# Shown at the top of the counsellor's page after an action: what happened and where to find it.
NOTICE = "checkin"
CONFIRM_FORMAT = "EEEE d MMMM HH:mm"


def _confirm(text: str) -> None:
    saved.confirm(NOTICE, text)


def show_notice() -> None:
    """The confirmation of the last action, once, scrolled into view where the counsellor is."""
    saved.show(NOTICE)


def when_text(row: CheckinView, settings: Settings, language: str) -> str:
    if row.scheduled_at is None:
        return ""
    return format_datetime(row.scheduled_at, language, settings.tz, checkins.WHEN_FORMAT)


def _error(error: UserError, _: Callable[[str], str]) -> None:
    show_error(error, _)


def plan_form(actor: Actor, settings: Settings, row: CheckinView, _: Callable[[str], str]) -> None:
    """Date, time, how, where and how long; saving plans the check-in (or moves it) and tells the coproducer."""
    now = datetime.now(settings.tz)
    current = row.scheduled_at.astimezone(settings.tz) if row.scheduled_at else None
    default_day = current.date() if current else now.date() + timedelta(days=1)
    default_time = current.time() if current else time(10, 0)
    with st.form(f"plan-{row.id}", border=False):
        left, right = st.columns(2)
        day = left.date_input(_("Date"), value=default_day, min_value=now.date(), format="DD-MM-YYYY")
        clock = right.time_input(_("Time"), value=default_time, step=timedelta(minutes=15))
        modes = list(checkins.MODES)
        mode = st.radio(
            _("How"),
            modes,
            index=modes.index(row.mode) if row.mode in modes else 0,
            format_func=lambda m: _(MODE_LABELS[m]),
            horizontal=True,
        )
        place = st.text_input(_("Place or phone number (optional)"), value=row.place or "", max_chars=200)
        minutes = st.number_input(
            _("Minutes"),
            min_value=checkins.MIN_MINUTES,
            max_value=checkins.MAX_MINUTES,
            value=row.minutes or settings.checkins.default_minutes,
            step=15,
        )
        moving = row.status == "scheduled"
        label = _("Move the check-in") if moving else _("Plan the check-in")
        if st.form_submit_button(label, type="primary", icon=":material/event:"):
            when = datetime.combine(day, clock, tzinfo=settings.tz)
            try:
                checkins.schedule(engine(), settings, actor, row.id, when, int(minutes), mode, place)
            except UserError as error:
                _error(error, _)
            else:
                _confirm(planned_text(when, row.person_name, place.strip(), moving, settings, actor.language, _))


def planned_text(
    when: datetime, name: str, place: str, moved: bool, settings: Settings, language: str, _: Callable[[str], str]
) -> str:
    """ "Planned: Monday 30 November 10:00 with Fatima, at the neighbourhood room. It is in the Week tab." """
    moment = format_datetime(when, language, settings.tz, CONFIRM_FORMAT)
    if place:
        text = _("Moved: {when} with {name}, at {place}.") if moved else _("Planned: {when} with {name}, at {place}.")
    else:
        text = _("Moved: {when} with {name}.") if moved else _("Planned: {when} with {name}.")
    where = _("You find it in the Week tab, and {name} has been told.")
    name, place = plain(name, one_line=True), plain(place, one_line=True)
    return text.format(when=moment, name=name, place=place) + " " + where.format(name=name)


def outcome_form(actor: Actor, settings: Settings, row: CheckinView, _: Callable[[str], str]) -> None:
    """How it went (held, did not come, cancelled) and, optionally, a date to follow up."""
    choices = list(OUTCOME_LABELS) if row.status == "scheduled" else ["cancelled"]
    with st.form(f"outcome-{row.id}", border=False):
        outcome = st.radio(_("How did it go?"), choices, format_func=lambda o: _(OUTCOME_LABELS[o]), horizontal=True)
        follow_up = st.date_input(_("Follow-up date (optional)"), value=None, format="DD-MM-YYYY")
        if st.form_submit_button(_("Save"), icon=":material/check:"):
            try:
                checkins.record_outcome(engine(), settings, actor, row.id, outcome, follow_up)
            except UserError as error:
                _error(error, _)
            else:
                text = _('Saved: the check-in with {name} is marked "{outcome}". You find it in the Week tab.')
                text = text.format(name=plain(row.person_name, one_line=True), outcome=_(OUTCOME_LABELS[outcome]))
                if follow_up:
                    day = format_date(follow_up, actor.language, "EEEE d MMMM")
                    text += " " + _("Follow-up on {day}.").format(day=day)
                _confirm(text)


def notes_panel(actor: Actor, settings: Settings, row: CheckinView, _: Callable[[str], str]) -> None:
    """Private notes: writing one encrypts it; reading needs a tap and is written to the audit trail."""
    db = engine()
    st.caption(_("Only you can read your notes. They are stored encrypted, and each opening is recorded."))
    with st.form(f"note-{row.id}", clear_on_submit=True, border=False):
        text = st.text_area(_("New note"), max_chars=checkin_notes.NOTE_MAX, height=100)
        if st.form_submit_button(_("Save note"), icon=":material/lock:"):
            try:
                checkin_notes.add_note(db, actor, row.id, text)
            except UserError as error:
                _error(error, _)
            else:
                st.success(_("Note saved."))
    count = checkin_notes.note_count(db, actor, row.id)
    opened = f"notes-open-{row.id}"
    if count and st.button(_("Open my notes ({count})").format(count=count), key=f"open-notes-{row.id}"):
        st.session_state[opened] = True
    if count and st.session_state.get(opened):
        try:
            for note in checkin_notes.open_notes(db, actor, row.id):
                st.caption(format_datetime(note.created_at, actor.language, settings.tz, "short"))
                st.text(note.text)
                _release_button(actor, settings, note, _)
        except UserError as error:
            _error(error, _)


def _release_button(actor: Actor, settings: Settings, note: checkin_notes.Note, _: Callable[[str], str]) -> None:
    """Releasing a note to the person it is about is deliberate: one note at a time, and recorded."""
    if note.released_at is not None:
        when = format_datetime(note.released_at, actor.language, settings.tz, "short")
        st.caption(_("Released to the person on {date}.").format(date=when))
    elif st.button(
        _("Release this note to the person"),
        key=f"release-note-{note.id}",
        help=_("The person can then read this note in their data download. This cannot be undone."),
    ):
        checkin_notes.release_note(engine(), actor, note.id)
        st.rerun()
