"""The monthly run on the Allowances page: what is due under the agreements for a month and not paid yet, ticked to
pay, and one button that records the payments."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import streamlit as st

from monitor.config import Settings
from monitor.errors import UserError
from monitor.i18n import ngettext_for
from monitor.i18n.numbers import format_hours
from monitor.money import allowances, monthly_run
from monitor.money.amounts import add_months, month_start
from monitor.people.access import Actor
from monitor.ui.context import engine
from monitor.ui.failure import show_error
from monitor.ui.money.money_labels import ALLOWANCE_KIND_LABELS, breach_text, money, month_text


def run_form(actor: Actor, settings: Settings, team_id: int, today: date, _: Callable[[str], str]) -> str | None:
    """The notice to show when payments were recorded, else None."""
    lang = actor.language
    ngettext = ngettext_for(lang)
    months = [add_months(month_start(today), -i) for i in range(0, 13)]
    period = st.selectbox(_("Month"), months, index=1, format_func=lambda day: month_text(day, lang), key="run-month")
    proposals = monthly_run.propose(engine(), settings, actor, team_id, period)
    if not proposals:
        st.success(
            _("Nothing is due for {month}: everything agreed has been paid.").format(month=month_text(period, lang))
        )
        return None
    st.caption(_("Due under the agreements and not paid yet. Untick what you do not want to pay now."))
    chosen = []
    for proposal in proposals:
        with st.container(border=True, key=f"proposal-{proposal.person_id}"):
            label = f"{proposal.name} · {money(proposal.amount_cents, lang)}"
            if st.checkbox(label, value=proposal.breach is None, key=f"pay-{proposal.person_id}-{period}"):
                chosen.append(proposal.person_id)
            detail = _(ALLOWANCE_KIND_LABELS[proposal.kind])
            if proposal.kind == allowances.HOURLY:
                detail += " · " + _("Hours logged: {hours}").format(hours=format_hours(proposal.minutes / 60, lang))
            if proposal.paid_cents:
                detail += " · " + _("{paid} paid already").format(paid=money(proposal.paid_cents, lang))
            st.caption(detail)
            if proposal.breach:
                st.warning(breach_text(proposal.breach, lang, _), icon=":material/warning:")
    paid_on = st.date_input(_("Paid on"), value=today, max_value=today, format="DD-MM-YYYY", key="run-paid-on")
    if st.button(
        ngettext("Confirm {count} payment", "Confirm {count} payments", len(chosen)).format(count=len(chosen)),
        type="primary",
        icon=":material/done_all:",
    ):
        try:
            ids = monthly_run.confirm(engine(), settings, actor, team_id, period, chosen, paid_on, today)
        except UserError as error:
            show_error(error, _)
        else:
            recorded = ngettext(
                "{count} payment recorded for {month}.", "{count} payments recorded for {month}.", len(ids)
            )
            return recorded.format(count=len(ids), month=month_text(period, lang))
    return None
