"""Training, for project leaders: who is trained for what (heatmap), records to confirm, and the team's catalogue."""

from datetime import timedelta

import streamlit as st

from monitor.config import TOPICS
from monitor.errors import UserError
from monitor.i18n import format_date
from monitor.people.access import Role
from monitor.requests import log as requests
from monitor.training import qualifications
from monitor.training import records as training
from monitor.ui import charts
from monitor.ui.context import current_settings, engine, translator
from monitor.ui.failure import show_error
from monitor.ui.guard import require
from monitor.ui.labels import TOPIC_LABELS
from monitor.ui.team_picker import choose_team
from monitor.ui.text import inline, plain
from monitor.ui.training import training_charts
from monitor.ui.training.training_labels import QUALIFICATION_ICONS, QUALIFICATION_LABELS, QUALIFICATION_MARKS

actor = require(Role.LEADER)
_ = translator(actor)
settings = current_settings()
lang = actor.language
today = requests.local_now(settings).date()
state = st.session_state

st.title(_("Training"))
notice = state.pop("training_notice", None)
if notice:
    st.success(notice, icon=":material/check_circle:")

team = choose_team(actor, _)
coproducers = {m.person_id: m.display_name for m in team.members if Role.COPRODUCER in m.roles}


def done(message: str) -> None:
    state.training_notice = message
    st.rerun()


def until_text(until) -> str:  # type: ignore[no-untyped-def]
    return _("for ever") if until is None else format_date(until, lang, "d MMM yyyy")


overview_tab, records_tab, catalogue_tab = st.tabs([_("Who is trained"), _("Records"), _("Catalogue")])

with overview_tab:
    rows = qualifications.team_overview(engine(), actor, team.id, today, settings.training.expiring_days)
    if not rows:
        st.write(_("This team has no coproducers yet."))
    else:
        st.markdown(
            " · ".join(
                f"{QUALIFICATION_ICONS[s]} {QUALIFICATION_MARKS[s]} {_(QUALIFICATION_LABELS[s])}"
                for s in qualifications.STATUSES
            )
            + " "
            + _("(expires soon: within {days} days)").format(days=settings.training.expiring_days)
        )
        figure = training_charts.qualification_heatmap(rows, _)
        st.plotly_chart(figure, config=charts.PHONE, width="stretch", key="qualification-heatmap")
        expiring = [(r.name, t, c) for r in rows for t, c in r.cells.items() if c.status == qualifications.EXPIRING]
        for name, topic, cell in expiring:
            st.warning(
                _("{name}: {training} ({topic}) is valid until {date}.").format(
                    name=name, training=cell.training, topic=_(TOPIC_LABELS[topic]), date=until_text(cell.valid_until)
                ),
                icon=":material/hourglass_bottom:",
            )

with records_tab:
    waiting = training.team_records(engine(), actor, team.id, unconfirmed_only=True)
    st.header(_("To confirm"))
    if not waiting:
        st.write(_("Nothing to confirm."))
    for record in waiting:
        with st.container(border=True, key=f"confirm-{record.id}"):
            st.markdown(f"**{plain(record.person_name)}** · {plain(record.training_name)}")
            st.caption(
                _("Completed {date}").format(date=format_date(record.completed_on, lang, "d MMM yyyy"))
                + (f" · {plain(record.note)}" if record.note else "")
            )
            buttons = st.container(horizontal=True)
            if buttons.button(_("Confirm"), type="primary", icon=":material/verified:", key=f"ok-{record.id}"):
                training.confirm_record(engine(), actor, record.id)
                done(
                    _("Confirmed: {training} for {name}.").format(
                        training=record.training_name, name=record.person_name
                    )
                )
            if buttons.button(_("Not right"), icon=":material/close:", key=f"no-{record.id}"):
                training.withdraw_record(engine(), actor, record.id)
                done(_("The record was taken back."))

    st.header(_("Record a training"))
    entries = training.catalogue(engine(), actor, team.id)
    if not coproducers or not entries:
        st.write(_("Add trainings to the catalogue first."))
    else:
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
                    done(
                        _("Saved: {training} for {name}.").format(
                            training=inline(which.name), name=inline(coproducers[who])
                        )
                    )

    st.header(_("All records"))
    for record in training.team_records(engine(), actor, team.id):
        state_text = _("valid until {date}").format(date=until_text(record.valid_until))
        if not record.confirmed:
            state_text = _("waiting for confirmation")
        elif record.valid_until is not None and record.valid_until < today:
            state_text = _("expired on {date}").format(date=until_text(record.valid_until))
        st.markdown(f"**{plain(record.person_name)}** · {plain(record.training_name)} · {state_text}")

with catalogue_tab:
    for entry in training.catalogue(engine(), actor, team.id, include_retired=True):
        with st.container(border=True, key=f"training-{entry.id}"):
            valid = (
                _("valid for ever")
                if entry.valid_months is None
                else _("valid {months} months").format(months=entry.valid_months)
            )
            retired = "" if entry.active else " · " + _("no longer offered")
            st.markdown(f"**{plain(entry.name)}**{retired}")
            st.caption(
                " · ".join(
                    part
                    for part in (
                        entry.provider,
                        _("{hours} hours").format(hours=f"{entry.hours:g}"),
                        valid,
                        ", ".join(_(TOPIC_LABELS[t]) for t in entry.topics),
                    )
                    if part
                )
            )
            label = _("No longer offer it") if entry.active else _("Offer it again")
            if st.button(label, key=f"active-{entry.id}"):
                training.set_active(engine(), actor, entry.id, not entry.active)
                done(_("The catalogue was updated."))
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
                    engine(), actor, team.id, name, provider, float(hours), int(months) or None, tuple(topics or ())
                )
            except UserError as error:
                show_error(error, _)
            else:
                done(_("{name} was added to the catalogue.").format(name=inline(name.strip())))
