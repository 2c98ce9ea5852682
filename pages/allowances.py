"""Allowances, for project leaders: the payments ledger (filters, record, reverse, export), the monthly run, and each
coproducer's allowance agreement, checked against the tax-free maxima of config.toml."""

import streamlit as st

from monitor.money import tax_limits
from monitor.people.access import Role
from monitor.requests import log as requests
from monitor.ui import notices, saved
from monitor.ui.context import current_settings, translator
from monitor.ui.guard import require
from monitor.ui.money.payment_form import payment_form
from monitor.ui.money.payment_list import payment_list
from monitor.ui.money.run_form import run_form
from monitor.ui.money.terms_form import terms_form
from monitor.ui.team_picker import choose_team

actor = require(Role.LEADER)
_ = translator(actor)
settings = current_settings()
today = requests.local_now(settings).date()
state = st.session_state

st.title(_("Allowances"))

limits = tax_limits.for_year(settings.allowances, today.year)
for notice in notices.for_leader(settings, today.year, _):  # what to change in config.toml is told to the admin
    st.info(notice.text, icon=notice.icon)

team = choose_team(actor, _)
coproducers = {m.person_id: m.display_name for m in team.members if Role.COPRODUCER in m.roles}
if not coproducers:
    st.write(_("This team has no coproducers yet."))
    st.stop()


def done(where: str, message: str) -> None:
    """Say what was saved below the form that saved it, in the same tab."""
    state.pop("reverse", None)
    saved.confirm(where, message)


ledger_tab, run_tab, agreements_tab = saved.tabs([_("Payments"), _("Monthly run"), _("Agreements")], "allowances-tab")

with ledger_tab:
    if notice := payment_form(actor, coproducers, today, _):
        done("payments", notice)
    saved.show("payments")
    step = payment_list(actor, team.id, coproducers, state.get("reverse"), today, _)
    if step is not None and step.notice:
        done("payments", step.notice)
    elif step is not None:  # a reversal opened, or cancelled
        if step.opened:
            state.reverse = step.opened
        else:
            state.pop("reverse", None)
        st.rerun()

with run_tab:
    saved.show("run")
    if recorded := run_form(actor, settings, team.id, today, _):
        done("run", recorded)

with agreements_tab:
    if notice := terms_form(actor, coproducers, limits, today, _):
        done("terms", notice)
    saved.show("terms")
