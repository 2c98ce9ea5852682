"""The team's training catalogue: each training (offered or not any more) and a form to add one. Each part returns
the notice to show when the catalogue changed, else None."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from monitor.config import TOPICS
from monitor.errors import UserError
from monitor.i18n import Np_, counted
from monitor.people.access import Actor
from monitor.training import records as training
from monitor.ui.context import engine
from monitor.ui.failure import show_error
from monitor.ui.labels import TOPIC_LABELS
from monitor.ui.text import plain


def catalogue_list(actor: Actor, team_id: int, _: Callable[[str], str]) -> str | None:
    for entry in training.catalogue(engine(), actor, team_id, include_retired=True):
        with st.container(border=True, key=f"training-{entry.id}"):
            valid = (
                _("valid for ever")
                if entry.valid_months is None
                else counted(_, Np_("valid {months} month", "valid {months} months"), entry.valid_months).format(
                    months=entry.valid_months
                )
            )
            retired = "" if entry.active else " · " + _("no longer offered")
            st.markdown(f"**{plain(entry.name)}**{retired}")
            st.caption(
                " · ".join(
                    part
                    for part in (
                        plain(entry.provider, one_line=True),
                        _("Hours: {hours}").format(hours=f"{entry.hours:g}"),
                        valid,
                        ", ".join(_(TOPIC_LABELS[t]) for t in entry.topics),
                    )
                    if part
                )
            )
            label = _("No longer offer it") if entry.active else _("Offer it again")
            if st.button(label, key=f"active-{entry.id}"):
                training.set_active(engine(), actor, entry.id, not entry.active)
                return _("The catalogue was updated.")
    return None


def add_training_form(actor: Actor, team_id: int, _: Callable[[str], str]) -> str | None:
    st.header(_("Add a training"))
    with st.form("add-training", clear_on_submit=True, border=True):
        name = st.text_input(_("Name"), max_chars=training.NAME_MAX)
        provider = st.text_input(_("Given by"), max_chars=training.NAME_MAX)
        row = st.container(horizontal=True)
        hours = row.number_input(_("Hours"), min_value=0.0, max_value=1000.0, value=4.0, step=0.5, width=150)
        months = row.number_input(
            _("Valid for (months)"),
            min_value=0,
            max_value=training.MAX_VALID_MONTHS,
            value=24,
            width=170,
            help=_("0: valid for ever"),
        )
        topics = st.pills(
            _("Prepares for"), list(TOPICS), selection_mode="multi", format_func=lambda t: _(TOPIC_LABELS[t])
        )
        if st.form_submit_button(_("Add"), type="primary", icon=":material/add:"):
            try:
                training.add_training(
                    engine(), actor, team_id, name, provider, float(hours), int(months) or None, tuple(topics or ())
                )
            except UserError as error:
                show_error(error, _)
            else:
                return _("{name} was added to the catalogue.").format(name=plain(name.strip(), one_line=True))
    return None
