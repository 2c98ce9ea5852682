"""For the leader: a month of the last year whose allowance (alone, or with expenses) crossed the monthly maximum."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy.orm import Session

from monitor.alerts.rules.base import Context, Finding
from monitor.i18n import N_
from monitor.money.amounts import to_cents
from monitor.money.checks import MonthlyMinutes, month_breaches, monthly_minutes
from monitor.money.tax_limits import ALONE

name = "allowance_month"
audience = "leader"  # about paying correctly, not about the coproducer's load: only the leaders are told
title = N_("Allowance over the monthly maximum")
description = N_(
    "The volunteer allowance for a month, alone or together with reimbursed expenses, is more than the tax-free "
    "maximum per month. Then the whole allowance is taxed."
)
message = N_("Allowance for {period_month}: {amount_cents} ({scope_label}), over the tax-free {maximum_cents} a month.")
ALONE_LABEL = N_("the allowance alone")
WITH_EXPENSES_LABEL = N_("allowance and expenses together")


def hourly_minutes(session: Session, ctx: Context) -> MonthlyMinutes:
    """The minutes per month that allowance_year and allowance_overdue both read, read once per evaluation."""
    if "monthly_minutes" not in ctx.shared:
        ctx.shared["monthly_minutes"] = monthly_minutes(session, ctx.settings, list(ctx.people), ctx.today)
    return ctx.shared["monthly_minutes"]


def find(session: Session, ctx: Context) -> Iterator[Finding]:
    for person_id, found in month_breaches(session, ctx.settings, list(ctx.people), ctx.today).items():
        breach = found.breach
        params = {
            "period_month": found.period.isoformat()[:7],
            "amount_cents": to_cents(breach.amount),
            "maximum_cents": to_cents(breach.maximum),
            "scope_label": ALONE_LABEL if breach.scope == ALONE else WITH_EXPENSES_LABEL,
        }
        yield Finding(name, person_id, ctx.severity(name), float(breach.amount), float(breach.maximum), params)
