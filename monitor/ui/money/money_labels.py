"""Words for payments, allowances and the emergency fund: their kinds, money and months formatted for the reader, and
an amount over a tax-free maximum."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from monitor.i18n import N_, format_date, format_money
from monitor.money import tax_limits
from monitor.money.amounts import euros

PAYMENT_KIND_LABELS = {
    "allowance": N_("Volunteer allowance"),
    "expense": N_("Expenses (with receipt)"),
    "emergency": N_("Emergency-fund payout"),
}

ALLOWANCE_KIND_LABELS = {
    "none": N_("No allowance"),
    "monthly": N_("Fixed amount per month"),
    "hourly": N_("Amount per hour"),
}

FUND_KIND_LABELS = {"topup": N_("Top-up"), "payout": N_("Payout")}


def money(cents: int, language: str) -> str:
    """An amount in cents as the reader writes euros, e.g. "€ 12,50" in Dutch."""
    return format_money(euros(cents), language)


def month_text(day: date, language: str) -> str:
    """The month a payment or an agreement is for, e.g. "maart 2026"."""
    return format_date(day, language, "MMMM yyyy")


_RUN_REFERENCE = re.compile(r"^allowance (\d{4})-(\d{2})$")


def reference_text(reference: str, language: str, _: Callable[[str], str]) -> str:
    """A payment's reference as the reader reads it: the monthly run's "allowance 2026-11" (stored the same in every
    language) becomes "Allowance run of November 2026" in their words; a reference someone typed stays as typed."""
    found = _RUN_REFERENCE.match(reference)
    if found is None:
        return reference
    month = month_text(date(int(found.group(1)), int(found.group(2)), 1), language)
    return _("Allowance run of {month}").format(month=month)


def breach_text(breach: tax_limits.Breach, language: str, _: Callable[[str], str]) -> str:
    """Which tax-free maximum an amount is over, by how much, in the reader's words."""
    what = _("the allowance alone") if breach.scope == tax_limits.ALONE else _("allowance and expenses together")
    per = {"hour": _("per hour"), "month": _("per month"), "year": _("per year")}[breach.limit]
    return _("Over the tax-free maximum {per}: {amount} ({what}), maximum {maximum}.").format(
        per=per,
        amount=money(int(breach.amount * 100), language),
        what=what,
        maximum=money(int(breach.maximum * 100), language),
    )
