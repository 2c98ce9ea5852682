"""Allowances, for project leaders: the payments ledger (filters, record, reverse, export), the monthly run, and each
coproducer's allowance agreement, checked against the tax-free maxima of config.toml."""

from datetime import date

import streamlit as st

from monitor.config import TOPICS
from monitor.errors import UserError
from monitor.i18n import format_date, ngettext_for
from monitor.i18n.numbers import format_hours
from monitor.money import allowances, ledger, ledger_export, monthly_run, tax_limits
from monitor.money.amounts import add_months, month_start
from monitor.people.access import Role
from monitor.requests import log as requests
from monitor.ui import amount_input, notices
from monitor.ui.context import current_settings, engine, translator
from monitor.ui.downloads import logged
from monitor.ui.failure import show_error
from monitor.ui.guard import require
from monitor.ui.labels import TOPIC_LABELS_WITH_OTHER
from monitor.ui.team_picker import choose_team
from monitor.ui.text import inline, plain
from monitor.ui.training_labels import ALLOWANCE_KIND_LABELS, PAYMENT_KIND_LABELS, money

actor = require(Role.LEADER)
_ = translator(actor)
ngettext = ngettext_for(actor.language)
settings = current_settings()
lang = actor.language
today = requests.local_now(settings).date()
state = st.session_state

st.title(_("Allowances"))
notice = state.pop("allowances_notice", None)
if notice:
    st.success(notice, icon=":material/check_circle:")

limits = tax_limits.for_year(settings.allowances, today.year)
for notice in notices.for_leader(settings, today.year, _):  # what to change in config.toml is told to the admin
    st.info(notice.text, icon=notice.icon)

team = choose_team(actor, _)
coproducers = {m.person_id: m.display_name for m in team.members if Role.COPRODUCER in m.roles}
if not coproducers:
    st.write(_("This team has no coproducers yet."))
    st.stop()


def done(message: str) -> None:
    state.allowances_notice = message
    state.pop("reverse", None)
    st.rerun()


def month_text(day: date) -> str:
    return format_date(day, lang, "MMMM yyyy")


def breach_text(breach: tax_limits.Breach) -> str:
    what = _("the allowance alone") if breach.scope == tax_limits.ALONE else _("allowance and expenses together")
    per = {"hour": _("per hour"), "month": _("per month"), "year": _("per year")}[breach.limit]
    return _("Over the tax-free maximum {per}: {amount} ({what}), maximum {maximum}.").format(
        per=per, amount=money(int(breach.amount * 100), lang), what=what, maximum=money(int(breach.maximum * 100), lang)
    )


ledger_tab, run_tab, agreements_tab = st.tabs([_("Payments"), _("Monthly run"), _("Agreements")])

with ledger_tab:
    with st.expander(_("Record a payment"), icon=":material/add:"):
        kind = st.segmented_control(
            _("Kind"), list(ledger.KINDS), default=ledger.ALLOWANCE, format_func=lambda k: _(PAYMENT_KIND_LABELS[k])
        )
        with st.form("payment", clear_on_submit=True, border=False):
            who = st.selectbox(_("Coproducer"), list(coproducers), format_func=lambda p: coproducers[p])
            row = st.container(horizontal=True)
            amount_text = amount_input.amount_input(_("Amount (€)"), "payment-amount", lang, where=row, width=150)
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
                (amount := amount_input.read(amount_text, "payment-amount", lang, _)) is not None
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
                    done(_("The payment to {name} was saved.").format(name=inline(coproducers[who])))

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
    rows = ledger.team_payments(engine(), actor, team.id, person, kind_filter, date(year, 1, 1), date(year, 12, 31))
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
                month_text(row.period),
                _("paid {date}").format(date=format_date(row.paid_on, lang, "d MMM yyyy")),
            ]
            details += [plain(t) for t in (row.reference, row.receipt_reference, row.note) if t]
            if row.topic:
                details.append(_(TOPIC_LABELS_WITH_OTHER[row.topic]))
            st.caption(" · ".join(details))
            if row.reverses_id:
                st.caption(_("Reverses payment #{id}").format(id=row.reverses_id))
            elif row.reversed_by:
                st.caption(_("Reversed"))
            elif state.get("reverse") == row.id:
                reason = st.text_input(_("Why is it reversed?"), key=f"reason-{row.id}", max_chars=ledger.NOTE_MAX)
                buttons = st.container(horizontal=True)
                if buttons.button(_("Reverse"), type="primary", key=f"reverse-save-{row.id}"):
                    try:
                        ledger.reverse_payment(engine(), actor, row.id, reason, today)
                    except UserError as error:
                        show_error(error, _)
                    else:
                        done(_("The payment was reversed."))
                if buttons.button(_("Cancel"), key=f"reverse-cancel-{row.id}"):
                    state.pop("reverse", None)
                    st.rerun()
            elif st.button(_("Reverse"), icon=":material/undo:", key=f"reverse-{row.id}"):
                state.reverse = row.id
                st.rerun()
    st.download_button(
        _("Excel for the bookkeeper"),
        # made on download, not on every rerun
        data=logged(actor, "payments", lambda rows=rows: ledger_export.to_file(rows, "xlsx")),
        file_name=f"payments-{year}.xlsx",
        icon=":material/download:",
        on_click="ignore",
    )

with run_tab:
    months = [add_months(month_start(today), -i) for i in range(0, 13)]
    period = st.selectbox(_("Month"), months, index=1, format_func=month_text, key="run-month")
    proposals = monthly_run.propose(engine(), settings, actor, team.id, period)
    if not proposals:
        st.success(_("Nothing is due for {month}: everything agreed has been paid.").format(month=month_text(period)))
    else:
        st.caption(_("Due under the agreements and not paid yet. Untick what you do not want to pay now."))
        chosen = []
        for proposal in proposals:
            with st.container(border=True, key=f"proposal-{proposal.person_id}"):
                label = f"{proposal.name} · {money(proposal.amount_cents, lang)}"
                if st.checkbox(label, value=proposal.breach is None, key=f"pay-{proposal.person_id}-{period}"):
                    chosen.append(proposal.person_id)
                detail = _(ALLOWANCE_KIND_LABELS[proposal.kind])
                if proposal.kind == allowances.HOURLY:
                    detail += " · " + _("{hours} hours logged").format(hours=format_hours(proposal.minutes / 60, lang))
                if proposal.paid_cents:
                    detail += " · " + _("{paid} paid already").format(paid=money(proposal.paid_cents, lang))
                st.caption(detail)
                if proposal.breach:
                    st.warning(breach_text(proposal.breach), icon=":material/warning:")
        paid_on = st.date_input(_("Paid on"), value=today, max_value=today, format="DD-MM-YYYY", key="run-paid-on")
        if st.button(
            ngettext("Confirm {count} payment", "Confirm {count} payments", len(chosen)).format(count=len(chosen)),
            type="primary",
            icon=":material/done_all:",
        ):
            try:
                ids = monthly_run.confirm(engine(), settings, actor, team.id, period, chosen, paid_on, today)
            except UserError as error:
                show_error(error, _)
            else:
                recorded = ngettext(
                    "{count} payment recorded for {month}.", "{count} payments recorded for {month}.", len(ids)
                )
                done(recorded.format(count=len(ids), month=month_text(period)))

with agreements_tab:
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
            st.warning(breach_text(breach), icon=":material/warning:")
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
                done(_("The allowance of {name} was saved.").format(name=plain(coproducers[pid])))
    for terms, who in allowances.terms_history(engine(), actor, pid):
        assert terms.valid_from is not None
        parts = [month_text(terms.valid_from), _(ALLOWANCE_KIND_LABELS[terms.kind]), money(terms.amount_cents, lang)]
        st.caption(" · ".join(parts + ([plain(who)] if who else [])))
