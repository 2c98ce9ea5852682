"""Check-ins, for the confidential counsellor: today's check-ins first, whom to reach and why, the next 7 days (with
previous and next), and the calendar feed. Every action confirms what happened and where to find it."""

from datetime import datetime, time, timedelta

import streamlit as st

from monitor.checkins import calendar_feed, wellbeing
from monitor.checkins import counselling as checkins
from monitor.checkins.views import CheckinView
from monitor.errors import UserError
from monitor.i18n import N_, format_date, format_datetime, format_number
from monitor.people.access import Role
from monitor.ui import saved
from monitor.ui.checkins import checkin_forms
from monitor.ui.context import current_settings, engine, translator
from monitor.ui.downloads import logged
from monitor.ui.failure import show_error
from monitor.ui.guard import require
from monitor.ui.text import plain

STATUS_LABELS = {"prompted": N_("Prompted"), "requested": N_("Asked to talk")}

actor = require(Role.COUNSELLOR)
_ = translator(actor)
settings = current_settings()
lang = actor.language
db = engine()

st.title(_("Check-ins"))
st.caption(_("What a coproducer tells you stays with you. Leaders do not see who asked, or why."))
checkin_forms.show_notice()
today = datetime.now(settings.tz).date()


def line(row: CheckinView) -> str:
    """ "10:00 Fatima · In person · the neighbourhood room" """
    clock = format_datetime(row.scheduled_at, lang, settings.tz, "HH:mm") if row.scheduled_at else ""
    how = _(checkin_forms.MODE_LABELS.get(row.mode or "", row.mode or ""))
    text = f"**{clock}** {plain(row.person_name)} · {how}"
    return text + (f" · {plain(row.place)}" if row.place else "")


midnight = datetime.combine(today, time(0), tzinfo=settings.tz)
todays = [r for r in checkins.calendar(db, actor, midnight, midnight + timedelta(days=1)) if r.status == "scheduled"]
with st.container(border=True, key="today"):
    st.markdown(f"**{_('Today')}** · {format_date(today, lang, 'EEEE d MMMM')}")
    for row in todays:
        st.markdown(line(row))
    if not todays:
        st.caption(_("No check-ins today."))

to_plan, week_tab, feed_tab = saved.tabs([_("To plan"), _("Week"), _("Calendar")], "checkins-tab")


def scores_line(person_id: int) -> None:
    try:
        scores = wellbeing.shared_scores(db, actor, person_id, limit=4)
    except UserError as error:  # the answers are encrypted: no key is set, or not the one they were written with
        show_error(error, _, st.caption)
        return
    if scores:
        values = ", ".join(format_number(s.score, lang) for s in scores)
        st.caption(_("Wellbeing (WHO-5, shared by them): {scores}").format(scores=values))


with to_plan:
    waiting = checkins.queue(db, actor)
    if not waiting:
        st.info(_("Nobody is waiting for a check-in."), icon=":material/check_circle:")
    for row in waiting:
        with st.container(border=True):
            st.markdown(f"**{plain(row.person_name)}** · {_(STATUS_LABELS.get(row.status, row.status))}")
            for reason in row.reasons:
                st.markdown(f"- {reason.text(lang)}")
            since = format_datetime(row.created_at, lang, settings.tz, "d MMMM")
            st.caption(_("Waiting since {day}").format(day=since))
            scores_line(row.person_id)
            with st.expander(_("Plan"), icon=":material/event:"):
                checkin_forms.plan_form(actor, settings, row, _)
            with st.expander(_("Close without a check-in"), icon=":material/close:"):
                checkin_forms.outcome_form(actor, settings, row, _)

with week_tab:
    # The next 7 days from today; previous and next move a week at a time.
    offset = st.session_state.setdefault("week_offset", 0)
    first = today + timedelta(days=7 * offset)
    last = first + timedelta(days=6)
    back, label, forward = st.columns([1, 3, 1], vertical_alignment="center")
    if back.button(_("Previous"), icon=":material/chevron_left:", key="week-back", width="stretch"):
        st.session_state.week_offset = offset - 1
        st.rerun()
    label.markdown(
        _("**{first}** to **{last}**").format(
            first=format_date(first, lang, "EEE d MMM"), last=format_date(last, lang, "EEE d MMM")
        )
    )
    if forward.button(_("Next"), icon=":material/chevron_right:", key="week-forward", width="stretch"):
        st.session_state.week_offset = offset + 1
        st.rerun()
    start = datetime.combine(first, time(0), tzinfo=settings.tz)
    rows = checkins.calendar(db, actor, start, start + timedelta(days=7))
    if not rows:
        st.info(_("No check-ins planned in these 7 days."))
    for days in range(7):
        day = first + timedelta(days=days)
        on_day = [r for r in rows if r.scheduled_at and r.scheduled_at.astimezone(settings.tz).date() == day]
        if not on_day:
            continue
        st.header(format_date(day, lang, "EEEE d MMMM"))
        for row in on_day:
            with st.container(border=True):
                done = "" if row.status == "scheduled" else f" · {_(checkin_forms.OUTCOME_LABELS[row.status])}"
                st.markdown(line(row) + done)
                if row.status == "scheduled":
                    st.download_button(
                        _("Add to my calendar"),
                        logged(
                            actor,
                            "check-in calendar",
                            lambda now, checkin=row.id: calendar_feed.checkin_ics(db, now, checkin),
                        ),
                        file_name=f"check-in-{row.id}.ics",
                        mime="text/calendar",
                        icon=":material/calendar_add_on:",
                        key=f"ics-{row.id}",
                    )
                    with st.expander(_("Move")):
                        checkin_forms.plan_form(actor, settings, row, _)
                    with st.expander(_("How did it go?")):
                        checkin_forms.outcome_form(actor, settings, row, _)
                with st.expander(_("Notes"), icon=":material/lock:"):
                    checkin_forms.notes_panel(actor, settings, row, _)

with feed_tab:
    st.write(_("Subscribe to your check-ins in your phone's calendar with a private address. Keep it to yourself."))
    if st.button(_("Make a new private address"), icon=":material/link:"):
        st.session_state["feed_token"] = calendar_feed.new_feed(db, actor)
    token = st.session_state.get("feed_token")
    if token:
        base = settings.email.app_url.rstrip("/")
        st.code(base + calendar_feed.FEED_PATH.format(token=token), language=None)
        st.caption(_("This address is shown once. Making a new one stops the old one."))
    if calendar_feed.has_feed(db, actor) and st.button(_("Stop my private address"), icon=":material/link_off:"):
        calendar_feed.revoke_feed(db, actor)
        st.session_state.pop("feed_token", None)
        st.rerun()
