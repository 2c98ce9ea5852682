"""My training, for coproducers: what they are trained for, their records, and what each training would open up."""

from datetime import timedelta

import streamlit as st

from monitor.errors import UserError
from monitor.i18n import format_date
from monitor.people.access import Role
from monitor.requests import log as requests
from monitor.training import qualifications
from monitor.training import records as training
from monitor.ui import saved
from monitor.ui.context import current_settings, engine, translator
from monitor.ui.failure import show_error
from monitor.ui.guard import require
from monitor.ui.labels import TOPIC_ICONS, TOPIC_LABELS
from monitor.ui.text import plain
from monitor.ui.training.training_labels import QUALIFICATION_ICONS, QUALIFICATION_LABELS

actor = require(Role.COPRODUCER)
_ = translator(actor)
settings = current_settings()
lang = actor.language
today = requests.local_now(settings).date()
pid = actor.person_id
assert pid is not None
team_id = next(iter(sorted(actor.teams_with(Role.COPRODUCER))))

st.title(_("My training"))


def until_text(until) -> str:  # type: ignore[no-untyped-def]
    return _("for ever") if until is None else format_date(until, lang, "d MMM yyyy")


mine = qualifications.person_overview(engine(), actor, pid, actor.display_name, today, settings.training.expiring_days)
st.header(_("What I am trained for"))
for topic, cell in mine.cells.items():
    line = f"{QUALIFICATION_ICONS[cell.status]} **{_(TOPIC_LABELS[topic])}** · {_(QUALIFICATION_LABELS[cell.status])}"
    if cell.status in (qualifications.TRAINED, qualifications.EXPIRING):
        line += " · " + _("until {date}").format(date=until_text(cell.valid_until))
    st.markdown(line)

catalogue = training.catalogue(engine(), actor, team_id)
st.header(_("What a training would open up"))
useful = [o for o in qualifications.openings(catalogue, mine) if o.opens or o.renews]
if not useful:
    st.write(_("You are trained for everything the catalogue offers."))
for opening in useful:
    with st.container(border=True):
        st.markdown(f"**{plain(opening.training.name)}**")
        if opening.opens:
            st.markdown(
                _("Opens up: {topics}").format(
                    topics=", ".join(f"{TOPIC_ICONS[t]} {_(TOPIC_LABELS[t])}" for t in opening.opens)
                )
            )
        if opening.renews:
            st.markdown(_("Renews: {topics}").format(topics=", ".join(_(TOPIC_LABELS[t]) for t in opening.renews)))

st.header(_("My records"))
records = training.person_records(engine(), actor, pid)
if not records:
    st.write(_("No trainings recorded yet."))
for record in records:
    if not record.confirmed:
        status = _("waiting for your leader to confirm")
    elif record.valid_until is not None and record.valid_until < today:
        status = _("expired on {date}").format(date=until_text(record.valid_until))
    else:
        status = _("valid until {date}").format(date=until_text(record.valid_until))
    st.markdown(
        f"**{plain(record.training_name)}** · {format_date(record.completed_on, lang, 'd MMM yyyy')} · {status}"
    )

st.header(_("I completed a training"))
saved.show("my-training")
if catalogue:
    with st.form("my-training", clear_on_submit=True, border=True):
        which = st.selectbox(_("Training"), catalogue, format_func=lambda e: e.name)
        completed = st.date_input(
            _("Completed on"),
            value=today,
            max_value=today,
            min_value=today - timedelta(days=3650),
            format="DD-MM-YYYY",
        )
        note = st.text_input(_("Note (optional)"), max_chars=training.NOTE_MAX)
        st.caption(_("It counts once your project leader has confirmed it."))
        if st.form_submit_button(_("Save"), type="primary", icon=":material/save:"):
            try:
                training.record_training(engine(), actor, pid, which.id, completed, note, today=today)
            except UserError as error:
                show_error(error, _)
            else:
                saved.confirm("my-training", _("Saved. Your project leader will confirm it."))
else:
    st.write(_("Your team has no training catalogue yet."))
