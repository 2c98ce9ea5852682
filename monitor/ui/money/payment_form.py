"""Record a payment on the Allowances page: an allowance, expenses with a receipt, or an emergency-fund payout."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import streamlit as st

from monitor.config import TOPICS
from monitor.errors import UserError
from monitor.money import ledger
from monitor.money.amounts import month_start
from monitor.people.access import Actor
from monitor.ui import saved
from monitor.ui.context import engine
from monitor.ui.failure import show_error
from monitor.ui.labels import TOPIC_LABELS_WITH_OTHER
from monitor.ui.money import amount_input
from monitor.ui.money.money_labels import PAYMENT_KIND_LABELS
from monitor.ui.text import plain


def payment_form(actor: Actor, coproducers: dict[int, str], today: date, _: Callable[[str], str]) -> str | None:
    """The form, folded away; the notice to show when a payment was saved, else None."""
    lang = actor.language
    with st.expander(_("Record a payment"), icon=":material/add:"):
        kind = st.segmented_control(
            _("Kind"), list(ledger.KINDS), default=ledger.ALLOWANCE, format_func=lambda k: _(PAYMENT_KIND_LABELS[k])
        )
        with st.form(form := saved.fresh("payments"), border=False):  # empty again after a save
            who = st.selectbox(_("Coproducer"), list(coproducers), format_func=lambda p: coproducers[p])
            row = st.container(horizontal=True)
            amount_text = amount_input.amount_input(_("Amount (€)"), f"{form}-amount", lang, where=row, width=150)
            period = row.date_input(_("For the month of"), value=month_start(today), format="DD-MM-YYYY", width=170)
            paid_on = st.date_input(_("Paid on"), value=today, max_value=today, format="DD-MM-YYYY")
            reference = st.text_input(_("Reference (e.g. bank transfer)"), max_chars=ledger.TEXT_MAX)
            receipt, topic = None, None
            if kind == ledger.EXPENSE:
                receipt = st.text_input(_("Receipt reference"), max_chars=ledger.TEXT_MAX)
            if kind == ledger.EMERGENCY:
                topic = st.selectbox(
                    _("Kind of problem"), [*TOPICS, "other"], format_func=lambda t: _(TOPIC_LABELS_WITH_OTHER[t])
                )
                st.caption(_("Never write a resident's name."))
            note = st.text_input(_("Note (optional)"), max_chars=ledger.NOTE_MAX)
            if st.form_submit_button(_("Save the payment"), type="primary", icon=":material/save:") and (
                (amount := amount_input.read(amount_text, f"{form}-amount", lang, _)) is not None
            ):
                data = ledger.PaymentInput(
                    person_id=who,
                    kind=kind or ledger.ALLOWANCE,
                    period=period,
                    amount=amount,
                    paid_on=paid_on,
                    reference=reference,
                    receipt_reference=receipt,
                    topic=topic,
                    note=note,
                )
                try:
                    ledger.record_payment(engine(), actor, data, today)
                except UserError as error:
                    show_error(error, _)
                else:
                    return _("The payment to {name} was saved.").format(name=plain(coproducers[who], one_line=True))
    return None
