"""The team's training records: those a coproducer recorded, to confirm or take back; a form to record one; and all
records with how long they are valid. Each part returns the notice to show when something changed, else None."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import streamlit as st

from monitor.errors import UserError
from monitor.i18n import format_date
from monitor.people.access import Actor
from monitor.training import records as training
from monitor.ui.context import engine
from monitor.ui.failure import show_error
from monitor.ui.text import plain


def records_to_confirm(actor: Actor, team_id: int, _: Callable[[str], str]) -> str | None:
    waiting = training.team_records(engine(), actor, team_id, unconfirmed_only=True)
    st.header(_("To confirm"))
    if not waiting:
        st.write(_("Nothing to confirm."))
    for record in waiting:
        with st.container(border=True, key=f"confirm-{record.id}"):
            st.markdown(f"**{plain(record.person_name)}** · {plain(record.training_name)}")
            st.caption(
                _("Completed {date}").format(date=format_date(record.completed_on, actor.language, "d MMM yyyy"))
                + (f" · {plain(record.note)}" if record.note else "")
            )
            buttons = st.container(horizontal=True)
            if buttons.button(_("Confirm"), type="primary", icon=":material/verified:", key=f"ok-{record.id}"):
                training.confirm_record(engine(), actor, record.id)
                return _("Confirmed: {training} for {name}.").format(
                    training=record.training_name, name=record.person_name
                )
            if buttons.button(_("Not right"), icon=":material/close:", key=f"no-{record.id}"):
                training.withdraw_record(engine(), actor, record.id)
                return _("The record was taken back.")
    return None


def record_form(
    actor: Actor, team_id: int, coproducers: dict[int, str], today: date, _: Callable[[str], str]
) -> str | None:
    st.header(_("Record a training"))
    entries = training.catalogue(engine(), actor, team_id)
    if not coproducers or not entries:
        st.write(_("Add trainings to the catalogue first."))
        return None
    with st.form("record-training", clear_on_submit=True, border=True):
        who = st.selectbox(_("Coproducer"), list(coproducers), format_func=lambda p: coproducers[p])
        which = st.selectbox(_("Training"), entries, format_func=lambda e: e.name)
        completed = st.date_input(
            _("Completed on"),
            value=today,
            max_value=today,
            min_value=today - timedelta(days=3650),
            format="DD-MM-YYYY",
        )
        note = st.text_input(_("Note (optional)"), max_chars=training.NOTE_MAX)
        if st.form_submit_button(_("Save"), type="primary", icon=":material/save:"):
            try:
                training.record_training(engine(), actor, who, which.id, completed, note, today=today)
            except UserError as error:
                show_error(error, _)
            else:
                return _("Saved: {training} for {name}.").format(
                    training=plain(which.name, one_line=True), name=plain(coproducers[who], one_line=True)
                )
    return None


def all_records(
    actor: Actor, team_id: int, today: date, until_text: Callable[[date | None], str], _: Callable[[str], str]
) -> None:
    st.header(_("All records"))
    for record in training.team_records(engine(), actor, team_id):
        state_text = _("valid until {date}").format(date=until_text(record.valid_until))
        if not record.confirmed:
            state_text = _("waiting for confirmation")
        elif record.valid_until is not None and record.valid_until < today:
            state_text = _("expired on {date}").format(date=until_text(record.valid_until))
        st.markdown(f"**{plain(record.person_name)}** · {plain(record.training_name)} · {state_text}")
