"""A coproducer's allowance agreement on the Allowances page: what is agreed now (checked against the tax-free
maximum per hour), a new version, and the earlier ones."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import streamlit as st

from monitor.errors import UserError
from monitor.money import allowances, tax_limits
from monitor.money.amounts import month_start
from monitor.people.access import Actor
from monitor.ui.context import engine
from monitor.ui.failure import show_error
from monitor.ui.money import amount_input
from monitor.ui.money.money_labels import ALLOWANCE_KIND_LABELS, breach_text, money, month_text
from monitor.ui.text import plain


def terms_form(
    actor: Actor,
    coproducers: dict[int, str],
    limits: tax_limits.YearLimits | None,
    today: date,
    _: Callable[[str], str],
) -> str | None:
    """limits: this year's tax-free maxima, None when config.toml has none. The notice when an agreement was saved."""
    lang = actor.language
    pid = st.selectbox(_("Coproducer"), list(coproducers), format_func=lambda p: coproducers[p], key="agr-person")
    current = allowances.current_terms(engine(), actor, pid, today)
    amount_text = money(current.amount_cents, lang)
    st.write(
        {
            allowances.NONE: _("No allowance agreed."),
            allowances.MONTHLY: _("{amount} per month.").format(amount=amount_text),
            allowances.HOURLY: _("{amount} per hour of logged requests.").format(amount=amount_text),
        }[current.kind]
    )
    if limits and current.kind == allowances.HOURLY:
        breach = tax_limits.check_hourly(limits, current.amount, current.under_21_on(today))
        if breach:
            st.warning(breach_text(breach, lang, _), icon=":material/warning:")
    with st.form(f"terms-{pid}", border=True):
        kind = st.radio(_("Allowance"), list(allowances.KINDS), format_func=lambda k: _(ALLOWANCE_KIND_LABELS[k]))
        amount_text = amount_input.amount_input(_("Amount (€ per month or per hour)"), f"terms-amount-{pid}", lang)
        valid_from = st.date_input(_("From the month of"), value=month_start(today), format="DD-MM-YYYY")
        st.caption(_("The lower maximum under 21 follows from the month of birth, under Agreements."))
        if st.form_submit_button(_("Save the agreement"), type="primary", icon=":material/save:") and (
            (amount := amount_input.read(amount_text or "0", f"terms-amount-{pid}", lang, _)) is not None
        ):
            try:
                allowances.record_terms(engine(), actor, pid, valid_from, kind, amount)
            except UserError as error:
                show_error(error, _)
            else:
                return _("The allowance of {name} was saved.").format(name=plain(coproducers[pid]))
    for terms, who in allowances.terms_history(engine(), actor, pid):
        assert terms.valid_from is not None
        parts = [
            month_text(terms.valid_from, lang),
            _(ALLOWANCE_KIND_LABELS[terms.kind]),
            money(terms.amount_cents, lang),
        ]
        st.caption(" · ".join(parts + ([plain(who)] if who else [])))
    return None
