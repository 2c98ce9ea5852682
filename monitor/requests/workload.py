"""A coproducer's load, added up in SQL: totals for a week, minutes per day, when requests arrive, which problems.

Every total groups over the (person_id, local_date) index; nothing loads a whole table into Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Engine, case, func, select

from db.engine import reading
from db.models import HelpRequest, RequestTopic
from monitor.errors import PermissionDenied
from monitor.i18n import N_
from monitor.people.access import Actor
from monitor.requests.log import may_see_entries


@dataclass(frozen=True)
class Totals:
    requests: int = 0
    minutes: int = 0
    outside_requests: int = 0
    outside_minutes: int = 0
    night_requests: int = 0
    beyond_role: int = 0

    @property
    def hours(self) -> float:
        return self.minutes / 60


@dataclass(frozen=True)
class DayLoad:
    day: date
    inside_minutes: int
    outside_minutes: int
    requests: int


def _live(person_id: int, start: date, end: date) -> list:  # type: ignore[type-arg]
    return [
        HelpRequest.person_id == person_id,
        HelpRequest.local_date >= start,
        HelpRequest.local_date <= end,
        HelpRequest.deleted_at.is_(None),
    ]


def _guard(session, actor: Actor, person_id: int) -> None:  # type: ignore[no-untyped-def]
    if not may_see_entries(session, actor, person_id):
        raise PermissionDenied(N_("Only the coproducer and their project leader can see this workload."))


def totals(engine: Engine, actor: Actor, person_id: int, start: date, end: date) -> Totals:
    """Counts and minutes of a person's requests with local date from start to end, inclusive."""
    one = 1
    with reading(engine) as session:
        _guard(session, actor, person_id)
        row = session.execute(
            select(
                func.count(HelpRequest.id),
                func.coalesce(func.sum(HelpRequest.minutes), 0),
                func.coalesce(func.sum(case((HelpRequest.outside_hours, one), else_=0)), 0),
                func.coalesce(func.sum(case((HelpRequest.outside_hours, HelpRequest.minutes), else_=0)), 0),
                func.coalesce(func.sum(case((HelpRequest.is_night, one), else_=0)), 0),
                func.coalesce(func.sum(case((HelpRequest.beyond_role, one), else_=0)), 0),
            ).where(*_live(person_id, start, end))
        ).one()
    return Totals(*(int(v) for v in row))


def by_day(engine: Engine, actor: Actor, person_id: int, start: date, end: date) -> list[DayLoad]:
    """Minutes inside and outside hours for every day from start to end, days without requests included."""
    with reading(engine) as session:
        _guard(session, actor, person_id)
        rows = session.execute(
            select(
                HelpRequest.local_date,
                func.coalesce(func.sum(case((HelpRequest.outside_hours, 0), else_=HelpRequest.minutes)), 0),
                func.coalesce(func.sum(case((HelpRequest.outside_hours, HelpRequest.minutes), else_=0)), 0),
                func.count(HelpRequest.id),
            )
            .where(*_live(person_id, start, end))
            .group_by(HelpRequest.local_date)
        ).all()
    found = {day: DayLoad(day, int(inside), int(outside), int(n)) for day, inside, outside, n in rows}
    days = (end - start).days + 1
    return [found.get(start + timedelta(days=i), DayLoad(start + timedelta(days=i), 0, 0, 0)) for i in range(days)]


def arrivals(engine: Engine, actor: Actor, person_id: int, start: date, end: date) -> dict[tuple[int, int], int]:
    """How many requests arrived per (weekday 0=Monday, local hour)."""
    with reading(engine) as session:
        _guard(session, actor, person_id)
        rows = session.execute(
            select(HelpRequest.local_weekday, HelpRequest.local_hour, func.count(HelpRequest.id))
            .where(*_live(person_id, start, end))
            .group_by(HelpRequest.local_weekday, HelpRequest.local_hour)
        ).all()
    return {(int(day), int(hour)): int(n) for day, hour, n in rows}


def topics(engine: Engine, actor: Actor, person_id: int, start: date, end: date) -> dict[str, int]:
    """How many requests were about each kind of problem (a request about two counts for both)."""
    with reading(engine) as session:
        _guard(session, actor, person_id)
        rows = session.execute(
            select(RequestTopic.topic, func.count(RequestTopic.request_id))
            .join(HelpRequest, HelpRequest.id == RequestTopic.request_id)
            .where(*_live(person_id, start, end))
            .group_by(RequestTopic.topic)
            .order_by(func.count(RequestTopic.request_id).desc())
        ).all()
    return {topic: int(n) for topic, n in rows}
