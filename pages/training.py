"""Training, for project leaders: who is trained for what (heatmap), records to confirm, and the team's catalogue."""

import streamlit as st

from monitor.i18n import format_date
from monitor.people.access import Role
from monitor.requests import log as requests
from monitor.ui.context import current_settings, translator
from monitor.ui.guard import require
from monitor.ui.team_picker import choose_team
from monitor.ui.training.catalogue_panel import add_training_form, catalogue_list
from monitor.ui.training.qualification_overview import qualification_overview
from monitor.ui.training.record_panel import all_records, record_form, records_to_confirm

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


def done(message: str | None) -> None:
    """Say what changed at the top of the page, after running it again; nothing when nothing changed."""
    if message:
        state.training_notice = message
        st.rerun()


def until_text(until) -> str:  # type: ignore[no-untyped-def]
    return _("for ever") if until is None else format_date(until, lang, "d MMM yyyy")


overview_tab, records_tab, catalogue_tab = st.tabs([_("Who is trained"), _("Records"), _("Catalogue")])

with overview_tab:
    qualification_overview(actor, settings, team.id, today, until_text, _)

with records_tab:
    done(records_to_confirm(actor, team.id, _))
    done(record_form(actor, team.id, coproducers, today, _))
    all_records(actor, team.id, today, until_text, _)

with catalogue_tab:
    done(catalogue_list(actor, team.id, _))
    done(add_training_form(actor, team.id, _))
