"""Too many hours for too long, by the Working Hours Act's figures (as benchmarks): over rules.average_max_hours (48)
a week on average over the last rules.average_weeks (16) weeks, over rules.week_max_hours (60) in the last 7 days, or
over rules.day_max_hours (12) on one day of them.

hours_over judges each week against the hours agreed; this rule looks further back, so that months of long weeks show
even when each week was agreed. When more than one limit is crossed, the alert names the one crossed furthest.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import HelpRequest
from monitor.alerts.rules.base import Context, Finding
from monitor.alerts.rules.weekly_minutes import weekly_minutes
from monitor.i18n import N_, Np_

name = "long_average"
title = N_("Too many hours for too long")
description = N_(
    "More hours than the Working Hours Act counts with: on average per week over 16 weeks, in 7 days, or in one day."
)
message = Np_(
    "{hours} hour {period}. That is more than {threshold} hours, the limit in the Working Hours Act.",
    "{hours} hours {period}. That is more than {threshold} hours, the limit in the Working Hours Act.",
)
AVERAGE = (
    Np_("a week on average over the last week", "a week on average over the last {weeks} weeks"),
    "a week on average over the last {weeks} weeks",
)
IN_7_DAYS = N_("in the last 7 days")
ON_DAY = N_("on {day}")


def _over(hours: float, limit: float, period: dict[str, Any]) -> tuple[float, float, float, dict[str, Any]]:
    return hours / limit, round(hours, 1), limit, period


def find(session: Session, ctx: Context) -> Iterator[Finding]:
    rules = ctx.settings.rules
    recent, today = ctx.last_7_days
    long_days = session.execute(
        select(HelpRequest.person_id, HelpRequest.local_date, func.sum(HelpRequest.minutes))
        .where(*ctx.live(recent, today))
        .group_by(HelpRequest.person_id, HelpRequest.local_date)
        .having(func.sum(HelpRequest.minutes) > rules.day_max_hours * 60)
    ).all()
    over: dict[int, list[tuple[float, float, float, dict[str, Any]]]] = {}
    for person_id, day, minutes in long_days:
        period = {"msgid": ON_DAY, "params": {"day": day.isoformat()}}
        over.setdefault(person_id, []).append(_over(int(minutes) / 60, rules.day_max_hours, period))
    for person_id, minutes in weekly_minutes(session, ctx).items():
        average = minutes.average_window / 60 / rules.average_weeks
        if average > rules.average_max_hours:
            weeks = rules.average_weeks
            period = {"msgid": AVERAGE[0], "plural": AVERAGE[1], "n": weeks, "params": {"weeks": weeks}}
            over.setdefault(person_id, []).append(_over(average, rules.average_max_hours, period))
        week = minutes.last_7_days / 60
        if week > rules.week_max_hours:
            period = {"msgid": IN_7_DAYS, "params": {}}
            over.setdefault(person_id, []).append(_over(week, rules.week_max_hours, period))
    for person_id, found in over.items():
        _ratio, hours, limit, period = max(found, key=lambda item: item[0])
        yield Finding(name, person_id, ctx.severity(name), hours, limit, {"hours": hours, "period": period})
