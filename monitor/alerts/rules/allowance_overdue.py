"""For the leader: an allowance due under the agreement and still not paid some days after its month ended."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy.orm import Session

from monitor.alerts.rules.allowance_month import hourly_minutes
from monitor.alerts.rules.base import Context, Finding, days_param
from monitor.i18n import N_
from monitor.money.amounts import month_end
from monitor.money.checks import overdue

name = "allowance_overdue"
audience = "leader"
title = N_("Allowance not paid")
description = N_("An allowance due under the agreement was not paid in the days after its month ended.")
message = N_(
    "The allowance for {period_month} ({missing_cents}) is still not paid, {days} after the month ended. "
    "Months not paid: {value}."
)


def find(session: Session, ctx: Context) -> Iterator[Finding]:
    minutes = hourly_minutes(session, ctx)
    for person_id, found in overdue(session, ctx.settings, list(ctx.people), ctx.today, minutes).items():
        # The days since the month ended, counted (not the setting overdue_days, which only says when to warn).
        days = (ctx.today - month_end(found.period)).days
        params = {
            "period_month": found.period.isoformat()[:7],
            "missing_cents": found.missing_cents,
            "days": days_param(days),
        }
        yield Finding(name, person_id, ctx.severity(name), found.months, 0, params)
