"""The minutes per person that long_average and rising_load both read, in one GROUP BY over the longer of their
windows (issue 30: two reads of the same index range became one): the last rules.average_weeks weeks, the last 7 days,
and the 4 weeks before those 7 days. Kept in the evaluation's context, so the second rule reads nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from db.models import HelpRequest
from monitor.alerts.rules.base import Context


@dataclass(frozen=True)
class Minutes:
    average_window: int  # the last rules.average_weeks weeks (long_average)
    last_7_days: int
    four_weeks_before: int  # the 28 days before the last 7 (rising_load's average)


def weekly_minutes(session: Session, ctx: Context) -> dict[int, Minutes]:
    if "weekly_minutes" in ctx.shared:
        return ctx.shared["weekly_minutes"]  # type: ignore[no-any-return]
    start, today = ctx.last_7_days
    average_from = today - timedelta(weeks=ctx.settings.rules.average_weeks) + timedelta(days=1)
    before = start - timedelta(days=28)
    date = HelpRequest.local_date
    rows = session.execute(
        select(
            HelpRequest.person_id,
            func.sum(case((date >= average_from, HelpRequest.minutes), else_=0)),
            func.sum(case((date >= start, HelpRequest.minutes), else_=0)),
            func.sum(case((date < start, HelpRequest.minutes), else_=0)).filter(date >= before),
        )
        .where(*ctx.live(min(average_from, before), today))
        .group_by(HelpRequest.person_id)
    ).all()
    result = {pid: Minutes(int(a or 0), int(r or 0), int(e or 0)) for pid, a, r, e in rows}
    ctx.shared["weekly_minutes"] = result
    return result
