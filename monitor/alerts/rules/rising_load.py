"""Load rising fast: the last 7 days at least 1.5 times the weekly average of the four weeks before.

A minimum number of hours keeps a quiet month followed by two requests from counting.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy.orm import Session

from monitor.alerts.rules.base import Context, Finding
from monitor.alerts.rules.weekly_minutes import weekly_minutes
from monitor.i18n import N_, Np_

name = "rising_load"
title = N_("Load rising fast")
description = N_("The hours of the last 7 days are far above the weekly average of the four weeks before.")
message = Np_(
    "{hours} hour in the last 7 days. Before, about {average} hours a week.",
    "{hours} hours in the last 7 days. Before, about {average} hours a week.",
)


def find(session: Session, ctx: Context) -> Iterator[Finding]:
    rules = ctx.settings.rules
    for person_id, minutes in weekly_minutes(session, ctx).items():
        if not (minutes.last_7_days or minutes.four_weeks_before):
            continue  # no request in these five weeks (only older ones, in long_average's window)
        hours = minutes.last_7_days / 60
        average = minutes.four_weeks_before / 60 / 4
        if hours >= rules.rising_min_hours and hours >= rules.rising_factor * average:
            threshold = round(max(rules.rising_min_hours, rules.rising_factor * average), 1)
            params = {"hours": round(hours, 1), "average": round(average, 1)}
            yield Finding(name, person_id, ctx.severity(name), round(hours, 1), threshold, params)
