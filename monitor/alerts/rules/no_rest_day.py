"""No day without requests in the last 7 days: no rest day."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import HelpRequest
from monitor.alerts.rules.base import Context, Finding
from monitor.i18n import N_

name = "no_rest_day"
title = N_("No rest day")
description = N_("There were requests on every one of the last 7 days.")
message = N_("Requests on every day of the last 7 days: no day of rest.")


def find(session: Session, ctx: Context) -> Iterator[Finding]:
    start, end = ctx.last_7_days
    rows = session.execute(
        select(HelpRequest.person_id, func.count(func.distinct(HelpRequest.local_date)))
        .where(*ctx.live(start, end))
        .group_by(HelpRequest.person_id)
        .having(func.count(func.distinct(HelpRequest.local_date)) >= 7)
    ).all()
    for person_id, days in rows:
        yield Finding(name, person_id, ctx.severity(name), int(days), 7)
