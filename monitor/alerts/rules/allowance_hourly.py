"""For the leader: an allowance per hour agreed above the tax-free maximum per hour (lower under 21)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy.orm import Session

from monitor.alerts.rules.base import Context, Finding
from monitor.i18n import N_
from monitor.money.amounts import to_cents
from monitor.money.checks import hourly_breaches

name = "allowance_hourly"
audience = "leader"
title = N_("Allowance per hour over the maximum")
description = N_("The allowance agreed per hour is more than the tax-free maximum per hour for the person's age.")
message = N_("The agreed {amount_cents} per hour is over the tax-free {maximum_cents} per hour ({age_label}).")
ADULT_LABEL = N_("21 or older")
UNDER_21_LABEL = N_("under 21")


def find(session: Session, ctx: Context) -> Iterator[Finding]:
    for person_id, found in hourly_breaches(session, ctx.settings, list(ctx.people), ctx.today).items():
        breach, under_21 = found
        params = {
            "amount_cents": to_cents(breach.amount),
            "maximum_cents": to_cents(breach.maximum),
            "age_label": UNDER_21_LABEL if under_21 else ADULT_LABEL,
        }
        yield Finding(name, person_id, ctx.severity(name), float(breach.amount), float(breach.maximum), params)
