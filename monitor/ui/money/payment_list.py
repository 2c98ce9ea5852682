"""The team's payments on the Allowances page: a filter, the year's total, each payment (reversed, or to reverse), and
the Excel for the bookkeeper."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import streamlit as st

from monitor.errors import UserError
from monitor.i18n import format_date
from monitor.money import ledger, ledger_export
from monitor.people.access import Actor
from monitor.ui.context import engine
from monitor.ui.downloads import logged
from monitor.ui.failure import show_error
from monitor.ui.labels import TOPIC_LABELS_WITH_OTHER
from monitor.ui.money.money_labels import PAYMENT_KIND_LABELS, money, month_text, reference_text
from monitor.ui.steps import Step
from monitor.ui.text import plain


def _reverse_form(actor: Actor, row: ledger.PaymentRow, today: date, _: Callable[[str], str]) -> Step | None:
    reason = st.text_input(_("Why is it reversed?"), key=f"reason-{row.id}", max_chars=ledger.NOTE_MAX)
    buttons = st.container(horizontal=True)
    if buttons.button(_("Reverse"), type="primary", key=f"reverse-save-{row.id}"):
        try:
            ledger.reverse_payment(engine(), actor, row.id, reason, today)
        except UserError as error:
            show_error(error, _)
        else:
            return Step(notice=_("The payment was reversed."))
    if buttons.button(_("Cancel"), key=f"reverse-cancel-{row.id}"):
        return Step()
    return None


def payment_list(
    actor: Actor,
    team_id: int,
    coproducers: dict[int, str],
    reversing: int | None,
    today: date,
    _: Callable[[str], str],
) -> Step | None:
    """reversing: the payment whose reversal is open. Returns Step(opened=payment id) to open one, a closing Step when
    one was reversed or cancelled, else None."""
    lang = actor.language
    with st.expander(_("Filter"), icon=":material/filter_list:"):
        person = st.selectbox(
            _("Coproducer"),
            [None, *coproducers],
            format_func=lambda p: _("Everyone") if p is None else coproducers[p],
            key="ledger-person",
        )
        kind_filter = st.selectbox(
            _("Kind"),
            [None, *ledger.KINDS],
            format_func=lambda k: _("All kinds") if k is None else _(PAYMENT_KIND_LABELS[k]),
            key="ledger-kind",
        )
        year = st.selectbox(_("Year"), [today.year - i for i in range(0, 8)], key="ledger-year")
    rows = ledger.team_payments(engine(), actor, team_id, person, kind_filter, date(year, 1, 1), date(year, 12, 31))
    total = sum(r.amount_cents for r in rows)
    st.metric(_("Total {year}").format(year=year), money(total, lang), border=True)
    if not rows:
        st.info(_("No payments with these filters."), icon=":material/info:")
    for row in rows:
        with st.container(border=True, key=f"payment-{row.id}"):
            st.markdown(
                f"**{plain(row.person_name)}** · {money(row.amount_cents, lang)} · {_(PAYMENT_KIND_LABELS[row.kind])}"
            )
            details = [
                month_text(row.period, lang),
                _("paid {date}").format(date=format_date(row.paid_on, lang, "d MMM yyyy")),
            ]
            reference = reference_text(row.reference, lang, _) if row.reference else ""
            details += [plain(t) for t in (reference, row.receipt_reference, row.note) if t]
            if row.topic:
                details.append(_(TOPIC_LABELS_WITH_OTHER[row.topic]))
            st.caption(" · ".join(details))
            if row.reverses_id:
                st.caption(_("Reverses payment #{id}").format(id=row.reverses_id))
            elif row.reversed_by:
                st.caption(_("Reversed"))
            elif reversing == row.id:
                step = _reverse_form(actor, row, today, _)
                if step is not None:
                    return step
            elif st.button(_("Reverse"), icon=":material/undo:", key=f"reverse-{row.id}"):
                return Step(opened=row.id)
    st.download_button(
        _("Excel for the bookkeeper"),
        # made on download, not on every rerun
        data=logged(
            actor,
            "payments",
            lambda now: ledger_export.to_file(
                ledger.team_payments(engine(), now, team_id, person, kind_filter, date(year, 1, 1), date(year, 12, 31)),
                "xlsx",
            ),
        ),
        file_name=f"payments-{year}.xlsx",
        icon=":material/download:",
        on_click="ignore",
    )
    return None
