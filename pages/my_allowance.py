"""My allowance, for coproducers: this year's allowance against the tax-free maximum per year, and their payments."""

import streamlit as st

from monitor.i18n import format_date
from monitor.money import allowances, ledger, tax_limits
from monitor.money.amounts import to_cents
from monitor.people.access import Role
from monitor.requests import log as requests
from monitor.ui import charts
from monitor.ui.context import current_settings, engine, translator
from monitor.ui.guard import require
from monitor.ui.money import allowance_chart
from monitor.ui.money.money_labels import PAYMENT_KIND_LABELS, money

actor = require(Role.COPRODUCER)
_ = translator(actor)
settings = current_settings()
lang = actor.language
today = requests.local_now(settings).date()
pid = actor.person_id
assert pid is not None

st.title(_("My allowance"))
terms = allowances.current_terms(engine(), actor, pid, today)
amount = money(terms.amount_cents, lang)
st.write(
    {
        allowances.NONE: _("You have no allowance agreed. Ask your project leader if you think you should."),
        allowances.MONTHLY: _("You get {amount} a month.").format(amount=amount),
        allowances.HOURLY: _("You get {amount} for each hour you log.").format(amount=amount),
    }[terms.kind]
)

totals = ledger.year_totals(engine(), actor, pid, today.year)
limits = tax_limits.for_year(settings.allowances, today.year)
numbers = st.container(horizontal=True)
numbers.metric(_("Allowance {year}").format(year=today.year), money(totals.allowance_cents, lang), border=True)
if limits is not None:
    numbers.metric(_("Tax-free maximum"), money(to_cents(limits.limits.per_year), lang), border=True)
if totals.expense_cents:
    numbers.metric(_("Expenses paid back"), money(totals.expense_cents, lang), border=True)
months = [format_date(today.replace(month=m, day=1), lang, "MMM") for m in range(1, 13)]
maximum = limits.limits.per_year if limits else None
charts.show(
    allowance_chart.year_chart(totals.allowance_by_month, maximum, months, _, upto=today.month, language=lang),
    _("Allowance per month in {year}, with the tax-free maximum").format(year=today.year),
    charts.in_words(
        (months[m - 1], money(cents, lang)) for m, cents in sorted(totals.allowance_by_month.items()) if cents
    ),
    key="year-chart",
)
st.caption(_("Below the dashed line the allowance is free of tax. Your project leader keeps an eye on it."))

st.header(_("My payments"))
payments = ledger.person_payments(engine(), actor, pid)
if not payments:
    st.write(_("No payments yet."))
for payment in payments:
    with st.container(border=True):
        st.markdown(f"**{money(payment.amount_cents, lang)}** · {_(PAYMENT_KIND_LABELS[payment.kind])}")
        parts = [
            format_date(payment.period, lang, "MMMM yyyy"),
            _("paid {date}").format(date=format_date(payment.paid_on, lang, "d MMM yyyy")),
        ]
        if payment.reverses_id:
            parts.append(_("correction"))
        elif payment.reversed_by:
            parts.append(_("corrected"))
        st.caption(" · ".join(parts))
