"""Short rest: less than rules.rest_hours (11) between the last request of one day and the first of the next, for a
next day in the last 7 days (the Working Hours Act's daily rest, as a benchmark).

A day is the team's local day (local_date). The rest is counted in real time from when the last request of the day
ended (received_at plus its minutes) to when the first of the next day came, both in UTC: a night on which the clocks
go forward has an hour less in it, a night on which they go back an hour more, whatever the wall clock says.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import HelpRequest
from monitor.alerts.rules.base import Context, Finding, epoch_seconds
from monitor.i18n import N_, Np_

name = "short_rest"
title = N_("Short rest between two days")
description = N_("Too little rest between the last request of one day and the first request of the next day.")
message = Np_(
    "{value} night with less than {threshold} hours of rest in the last 7 days. "
    "The shortest rest was {rest} hours, after {day}.",
    "{value} nights with less than {threshold} hours of rest in the last 7 days. "
    "The shortest rest was {rest} hours, after {day}.",
)


def find(session: Session, ctx: Context) -> Iterator[Finding]:
    start, end = ctx.last_7_days
    came = epoch_seconds(session, HelpRequest.received_at)
    rows = session.execute(
        select(
            HelpRequest.person_id,
            HelpRequest.local_date,
            func.min(came),
            func.max(came + HelpRequest.minutes * 60),
        )
        .where(*ctx.live(start - timedelta(days=1), end))
        .group_by(HelpRequest.person_id, HelpRequest.local_date)
        .order_by(HelpRequest.person_id, HelpRequest.local_date)
    ).all()
    limit = round(ctx.settings.rules.rest_hours * 3600)
    short: dict[int, list[tuple[int, date]]] = {}
    before: tuple[int, date, float] | None = None  # (person, day, when the day's last request ended)
    for person_id, day, first_came, last_ended in rows:
        if before is not None and before[:2] == (person_id, day - timedelta(days=1)):
            rest = max(0, round(float(first_came) - before[2]))
            if rest < limit:
                short.setdefault(person_id, []).append((rest, before[1]))
        before = (person_id, day, float(last_ended))
    for person_id, rests in short.items():
        rest, day = min(rests)
        hours, minutes = divmod(rest // 60, 60)
        params = {"rest": f"{hours}:{minutes:02d}", "day": day.isoformat()}
        yield Finding(name, person_id, ctx.severity(name), len(rests), ctx.settings.rules.rest_hours, params)
