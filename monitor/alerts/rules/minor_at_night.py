"""Under 18 at night: a request in the last 7 days, by someone under 18 on its day, that came or went on between
rules.minor_night_from (23:00) and rules.minor_night_until (06:00) local time. The Working Hours Act forbids this
for volunteers aged 16 and 17, so the rule is critical: the leader and the counsellor hear of it at once.

Age comes from the person's birth month (monitor.people.age); someone whose age is not known is never judged. A
request counts when any minute of it lies in the night, measured in real time: one at 22:50 of half an hour counts,
one at 22:59 of one minute does not. The night's hours are local, so on the nights the clocks change it is one hour
shorter or longer.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from db.models import HelpRequest
from monitor.alerts.rules.base import Context, Finding
from monitor.i18n import N_, Np_
from monitor.people import age

name = "minor_at_night"
title = N_("Under 18 at night")
description = N_(
    "Someone under 18 helped between 23:00 and 06:00. The law does not allow this for volunteers of 16 or 17."
)
message = Np_(
    "{value} request between {night_from} and {night_until} in the last 7 days. "
    "Under 18 you may not help at night. Say no, and tell your project leader.",
    "{value} requests between {night_from} and {night_until} in the last 7 days. "
    "Under 18 you may not help at night. Say no, and tell your project leader.",
)
leader_message = Np_(
    "{value} request between {night_from} and {night_until} in the last 7 days, by someone under 18. "
    "The law does not allow this: talk with them today.",
    "{value} requests between {night_from} and {night_until} in the last 7 days, by someone under 18. "
    "The law does not allow this: talk with them today.",
)


def _nights(day: date, start: int, end: int, tz: ZoneInfo) -> list[tuple[datetime, datetime]]:
    """The night that begins on day before it and the one that begins on day, as UTC moments (local hours)."""
    nights = []
    for begins in (day - timedelta(days=1), day):
        ends = begins + timedelta(days=1) if end <= start else begins
        nights.append(
            (
                datetime.combine(begins, time(start), tzinfo=tz).astimezone(UTC),
                datetime.combine(ends, time(end), tzinfo=tz).astimezone(UTC),
            )
        )
    return nights


def at_night(came: datetime, minutes: int, start: int, end: int, tz: ZoneInfo) -> bool:
    """Whether any minute of a request that came at `came` (UTC) and took `minutes` lies in a night."""
    went = came + timedelta(minutes=minutes)
    days = {came.astimezone(tz).date() + timedelta(days=d) for d in range(-1, (minutes // 1440) + 2)}
    return any(begin < went and came < finish for day in days for begin, finish in _nights(day, start, end, tz))


def find(session: Session, ctx: Context) -> Iterator[Finding]:
    start, end = ctx.last_7_days
    born = age.birth_months(session, ctx.people)
    minors = [pid for pid, month in born.items() if age.under(month, age.ADULT, start)]
    if not minors:
        return
    rules = ctx.settings.rules
    night_from, night_until = rules.minor_night_from, rules.minor_night_until
    # Only requests that may reach the night are read in full: those that came in a night hour, or so late in the day,
    # and lasting so long, that they may run into it (local_hour and minutes are in the covering index).
    reach = night_from * 60 - 59
    rows = session.execute(
        select(HelpRequest.person_id, HelpRequest.local_date, HelpRequest.received_at, HelpRequest.minutes).where(
            *ctx.live(start, end),
            HelpRequest.person_id.in_(minors),
            or_(
                HelpRequest.local_hour >= night_from,
                HelpRequest.local_hour < night_until,
                HelpRequest.local_hour * 60 + HelpRequest.minutes > reach,
            ),
        )
    ).all()
    found: dict[int, int] = {}
    tz = ctx.settings.tz
    for person_id, day, came, minutes in rows:
        if age.under(born[person_id], age.ADULT, day) and at_night(came, minutes, night_from, night_until, tz):
            found[person_id] = found.get(person_id, 0) + 1
    params = {"night_from": f"{night_from:02d}:00", "night_until": f"{night_until:02d}:00"}
    for person_id, count in found.items():
        yield Finding(name, person_id, ctx.severity(name), count, 0, params)
