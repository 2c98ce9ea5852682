"""Training, for project leaders: who is trained for what (heatmap), records to confirm, and the team's catalogue."""

import streamlit as st

from monitor.i18n import format_date
from monitor.people.access import Role
from monitor.requests import log as requests
from monitor.ui import saved
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

team = choose_team(actor, _)
coproducers = {m.person_id: m.display_name for m in team.members if Role.COPRODUCER in m.roles}


def done(where: str, message: str | None) -> None:
    """Say what changed at the top of the tab, after running it again, in the same tab; nothing when nothing changed."""
    if message:
        saved.confirm(where, message)


def until_text(until) -> str:  # type: ignore[no-untyped-def]
    return _("for ever") if until is None else format_date(until, lang, "d MMM yyyy")


overview_tab, records_tab, catalogue_tab = saved.tabs(
    [_("Who is trained"), _("Records"), _("Catalogue")], "training-tab"
)

with overview_tab:
    qualification_overview(actor, settings, team.id, today, until_text, _)

with records_tab:
    saved.show("records")
    done("records", records_to_confirm(actor, team.id, _))
    done("records", record_form(actor, team.id, coproducers, today, _))
    all_records(actor, team.id, today, until_text, _)

with catalogue_tab:
    saved.show("catalogue")
    done("catalogue", catalogue_list(actor, team.id, _))
    done("catalogue", add_training_form(actor, team.id, _))
