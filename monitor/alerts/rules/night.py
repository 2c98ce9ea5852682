"""Night requests (00:00-06:00) in the last 7 days, more than the agreed limit."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import HelpRequest
from monitor.alerts.rules.base import Context, Finding
from monitor.i18n import N_, Np_

name = "night"
title = N_("Requests at night")
description = N_("More requests between midnight and six in the morning in the last 7 days than agreed.")
message = Np_(
    "{value} request at night in the last 7 days; the agreement is at most {threshold}.",
    "{value} requests at night in the last 7 days; the agreement is at most {threshold}.",
)


def find(session: Session, ctx: Context) -> Iterator[Finding]:
    start, end = ctx.last_7_days
    rows = session.execute(
        select(HelpRequest.person_id, func.count(HelpRequest.id))
        .where(*ctx.live(start, end), HelpRequest.is_night.is_(True))
        .group_by(HelpRequest.person_id)
    ).all()
    for person_id, count in rows:
        limit = ctx.people[person_id].agreement.max_night_requests_per_week
        if count > limit:
            yield Finding(name, person_id, ctx.severity(name), int(count), limit)
