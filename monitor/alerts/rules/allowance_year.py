"""For the leader: this year's allowance, paid plus what the agreement will still pay, exceeds the yearly maximum."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy.orm import Session

from monitor.alerts.rules.allowance_month import ALONE_LABEL, WITH_EXPENSES_LABEL, hourly_minutes
from monitor.alerts.rules.base import Context, Finding
from monitor.i18n import N_
from monitor.money.amounts import to_cents
from monitor.money.checks import year_breaches
from monitor.money.tax_limits import ALONE

name = "allowance_year"
audience = "leader"
title = N_("Allowance going over the yearly maximum")
description = N_(
    "What was paid this year plus what the allowance agreement will still pay this year is more than the tax-free "
    "maximum per year."
)
message = N_(
    "This year {amount_cents} ({scope_label}): {paid_cents} paid and {expected_cents} still to pay, "
    "over the tax-free {maximum_cents} a year."
)


def find(session: Session, ctx: Context) -> Iterator[Finding]:
    minutes = hourly_minutes(session, ctx)
    for person_id, found in year_breaches(session, ctx.settings, list(ctx.people), ctx.today, minutes).items():
        breach = found.breach
        params = {
            "amount_cents": to_cents(breach.amount),
            "paid_cents": found.paid_cents,
            "expected_cents": found.expected_cents,
            "maximum_cents": to_cents(breach.maximum),
            "scope_label": ALONE_LABEL if breach.scope == ALONE else WITH_EXPENSES_LABEL,
        }
        yield Finding(name, person_id, ctx.severity(name), float(breach.amount), float(breach.maximum), params)
