"""Hours in the calendar week over the agreed maximum: a warning, and critical over 125% of it."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import HelpRequest
from monitor.alerts.rules.base import Context, Finding
from monitor.i18n import N_, Np_

name = "hours_over"
title = N_("More hours than agreed")
description = N_("The hours of requests this week (Monday to Sunday) are more than the hours per week agreed.")
message = Np_(
    "{hours} hour of requests this week, more than the {threshold} hours agreed.",
    "{hours} hours of requests this week, more than the {threshold} hours agreed.",
)


def find(session: Session, ctx: Context) -> Iterator[Finding]:
    rows = session.execute(
        select(HelpRequest.person_id, func.sum(HelpRequest.minutes))
        .where(*ctx.live(ctx.week_start, ctx.today))
        .group_by(HelpRequest.person_id)
    ).all()
    factor = ctx.settings.rules.hours_critical_factor
    for person_id, minutes in rows:
        hours = int(minutes) / 60
        limit = ctx.people[person_id].agreement.hours_per_week
        if hours > limit:
            severity = "critical" if hours > limit * factor else ctx.severity(name)
            yield Finding(name, person_id, severity, round(hours, 1), limit, {"hours": round(hours, 1)})
