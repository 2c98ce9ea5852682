""" "This was beyond my role" ticked repeatedly within 14 days."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import HelpRequest
from monitor.alerts.rules.base import Context, Finding, days_param
from monitor.i18n import N_, Np_

name = "beyond_role"
title = N_("Often beyond their role")
description = N_("'This was beyond my role' was ticked several times within two weeks.")
message = Np_(
    "{value} request beyond your role in the last {days}.",
    "{value} requests beyond your role in the last {days}.",
)
leader_message = Np_(
    "{value} request beyond their role in the last {days}.",
    "{value} requests beyond their role in the last {days}.",
)


def find(session: Session, ctx: Context) -> Iterator[Finding]:
    rules = ctx.settings.rules
    start = ctx.today - timedelta(days=rules.beyond_role_days - 1)
    rows = session.execute(
        select(HelpRequest.person_id, func.count(HelpRequest.id))
        .where(*ctx.live(start, ctx.today), HelpRequest.beyond_role.is_(True))
        .group_by(HelpRequest.person_id)
        .having(func.count(HelpRequest.id) >= rules.beyond_role_times)
    ).all()
    for person_id, count in rows:
        params = {"days": days_param(rules.beyond_role_days)}
        yield Finding(name, person_id, ctx.severity(name), int(count), rules.beyond_role_times, params)
