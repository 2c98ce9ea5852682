"""Load rising fast: the last 7 days at least 1.5 times the weekly average of the four weeks before.

A minimum number of hours keeps a quiet month followed by two requests from counting.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from db.models import HelpRequest
from monitor.alerts.rules.base import Context, Finding
from monitor.i18n import N_, Np_

name = "rising_load"
title = N_("Load rising fast")
description = N_("The hours of the last 7 days are far above the weekly average of the four weeks before.")
message = Np_(
    "{hours} hour in the last 7 days. Before, about {average} hours a week.",
    "{hours} hours in the last 7 days. Before, about {average} hours a week.",
)


def find(session: Session, ctx: Context) -> Iterator[Finding]:
    start, end = ctx.last_7_days
    before = start - timedelta(days=28)
    recent = case((HelpRequest.local_date >= start, HelpRequest.minutes), else_=0)
    earlier = case((HelpRequest.local_date < start, HelpRequest.minutes), else_=0)
    rows = session.execute(
        select(HelpRequest.person_id, func.sum(recent), func.sum(earlier))
        .where(*ctx.live(before, end))
        .group_by(HelpRequest.person_id)
    ).all()
    rules = ctx.settings.rules
    for person_id, recent_minutes, earlier_minutes in rows:
        hours = int(recent_minutes or 0) / 60
        average = int(earlier_minutes or 0) / 60 / 4
        if hours >= rules.rising_min_hours and hours >= rules.rising_factor * average:
            threshold = round(max(rules.rising_min_hours, rules.rising_factor * average), 1)
            params = {"hours": round(hours, 1), "average": round(average, 1)}
            yield Finding(name, person_id, ctx.severity(name), round(hours, 1), threshold, params)
