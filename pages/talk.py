"""Talk to someone: ask the confidential counsellor for a check-in with one tap, see when it is, and the WHO-5 pulse."""

import streamlit as st

from monitor.checkins import asking as checkins
from monitor.checkins import calendar_feed, wellbeing
from monitor.errors import UserError
from monitor.i18n import Np_, counted, format_date, format_number
from monitor.people.access import Role
from monitor.ui import charts, saved
from monitor.ui.checkins import checkin_forms, who5_steps
from monitor.ui.checkins.who5_chart import who5_chart
from monitor.ui.context import current_settings, engine, translator
from monitor.ui.downloads import logged
from monitor.ui.failure import show_error
from monitor.ui.guard import require
from monitor.ui.text import plain

actor = require(Role.COPRODUCER)
_ = translator(actor)
settings = current_settings()
lang = actor.language
db = engine()

st.title(_("Talk to someone"))
st.write(
    _(
        "The confidential counsellor is there for you. What you say stays between you two: "
        "your project leader does not see it."
    )
)

mine = checkins.my_checkins(db, actor)
current = next((row for row in mine if row.status in checkins.OPEN), None)
if current is not None and current.status == "scheduled":
    when = checkin_forms.when_text(current, settings, lang)
    st.success(
        _("Your check-in with {name}: {when}").format(name=plain(current.counsellor_name, one_line=True), when=when),
        icon=":material/event:",
    )
    how = _(checkin_forms.MODE_LABELS.get(current.mode or "", current.mode or ""))
    details = counted(_, Np_("{how}, {minutes} minute", "{how}, {minutes} minutes"), current.minutes or 0).format(
        how=how, minutes=current.minutes or ""
    )
    st.write(f"{details}. {plain(current.place)}" if current.place else details)
    st.download_button(
        _("Add to my calendar"),
        logged(actor, "check-in calendar", lambda now, checkin=current.id: calendar_feed.checkin_ics(db, now, checkin)),
        file_name="check-in.ics",
        mime="text/calendar",
        icon=":material/calendar_add_on:",
    )
elif current is not None and current.status == "requested":
    st.info(_("You asked to talk. The counsellor will contact you soon."), icon=":material/forum:")
    if st.button(_("I no longer need to talk"), icon=":material/undo:"):
        checkins.withdraw_request(db, settings, actor)
        st.rerun()
elif st.button(_("I would like to talk"), type="primary", icon=":material/forum:", width="stretch"):
    checkins.request_talk(db, settings, actor)
    st.rerun()

st.header(_("How are you?"))
if wellbeing.pulse_due(db, settings, actor):
    st.caption(
        _(
            "Five short questions, every two weeks. Answering is your choice; skipping has no consequences. "
            "A low score asks the counsellor to contact you. Your score stays yours, unless you share it."
        )
    )
    answers = who5_steps.questions(_)
    if answers is not None:
        try:
            result = wellbeing.submit(db, settings, actor, answers)
        except UserError as error:
            show_error(error, _)
        else:
            who5_steps.reset()
            saved.confirm("who5", _("Thank you. Your score: {score} of 100.").format(score=result.score))
    if st.button(_("Not now"), icon=":material/schedule:"):
        wellbeing.skip_pulse(db, actor)
        who5_steps.reset()
        st.rerun()
else:
    saved.show("who5")

try:
    scores = wellbeing.my_scores(db, actor)
except UserError as error:  # the answers are encrypted: no key is set, or not the one they were written with
    show_error(error, _)
    scores = []
if scores:
    days = [s.answered_at.astimezone(settings.tz).date() for s in scores]
    last = scores[-1]
    charts.show(
        who5_chart(days, [s.score for s in scores], lang, _),
        _("My WHO-5 scores (0-100)"),
        charts.in_words((format_date(day, lang, "d MMM yyyy"), s.score) for day, s in zip(days, scores, strict=True)),
        key="who5-chart",
    )
    st.caption(
        _("Last score: {score} of 100, on {day}.").format(
            score=format_number(last.score, lang),
            day=format_date(last.answered_at.astimezone(settings.tz).date(), lang),
        )
    )

shared = wellbeing.sharing(db, actor)
wanted = st.toggle(_("Let the counsellor see my scores"), value=shared)
if wanted != shared:
    wellbeing.set_sharing(db, actor, wanted)
    st.rerun()
st.caption(_("Your project leader never sees your scores."))
