"""A team's load for its project leaders, added up in SQL: per coproducer and week, and when requests arrive.

Every query groups over the (team_id, local_date) index of help_requests; only the leaders of the team may ask.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Date, Engine, case, cast, func, select
from sqlalchemy.orm import Session

from db.engine import reading
from db.models import HelpRequest, Membership, Person, Role
from monitor.alerts import counts
from monitor.config import Settings
from monitor.errors import PermissionDenied
from monitor.i18n import N_
from monitor.people.access import Actor
from monitor.requests import windows
from monitor.requests.agreements import Agreement, in_force, versions_of


@dataclass(frozen=True)
class WeekLoad:
    person_id: int
    week: date  # the Monday
    minutes: int
    requests: int
    outside_requests: int

    @property
    def hours(self) -> float:
        return self.minutes / 60


@dataclass(frozen=True)
class MemberLoad:
    """One row of the team overview."""

    person_id: int
    name: str
    username: str
    agreement: Agreement
    week_hours: float  # this calendar week so far
    outside_7_days: int
    night_7_days: int
    trend: tuple[float, ...]  # hours per week, oldest first, this week last
    open_alerts: int

    @property
    def over_hours(self) -> bool:
        return self.week_hours > self.agreement.hours_per_week

    @property
    def over_outside(self) -> bool:
        return self.outside_7_days > self.agreement.max_outside_requests_per_week


def require_leader(actor: Actor, team_id: int) -> None:
    if not actor.has_role(Role.LEADER, team_id):
        raise PermissionDenied(N_("Only the project leader of a team sees its load."))


def _week(session: Session):  # type: ignore[no-untyped-def]
    """The Monday of a request's local date, in each database's own date functions."""
    if session.get_bind().dialect.name == "postgresql":
        return cast(func.date_trunc("week", HelpRequest.local_date), Date)
    return func.date(HelpRequest.local_date, "weekday 0", "-6 days")


def _live(team_id: int, start: date, end: date) -> list:  # type: ignore[type-arg]
    return [
        HelpRequest.team_id == team_id,
        HelpRequest.local_date >= start,
        HelpRequest.local_date <= end,
        HelpRequest.deleted_at.is_(None),
    ]


def _as_date(value: date | datetime | str) -> date:
    """SQLite gives the week as text, PostgreSQL as a date."""
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value.date() if isinstance(value, datetime) else value


def _weekly(session: Session, team_id: int, start: date, end: date) -> list[WeekLoad]:
    week = _week(session).label("week")
    one = 1
    rows = session.execute(
        select(
            HelpRequest.person_id,
            week,
            func.sum(HelpRequest.minutes),
            func.count(HelpRequest.id),
            func.coalesce(func.sum(case((HelpRequest.outside_hours, one), else_=0)), 0),
        )
        .where(*_live(team_id, start, end))
        .group_by(HelpRequest.person_id, week)
    ).all()
    return [WeekLoad(int(p), _as_date(w), int(m), int(n), int(o)) for p, w, m, n, o in rows]


def weekly(engine: Engine, actor: Actor, team_id: int, first_week: date, last_day: date) -> list[WeekLoad]:
    """Minutes, requests and requests outside hours per coproducer and week, from first_week's Monday to last_day."""
    require_leader(actor, team_id)
    start = first_week - timedelta(days=first_week.weekday())
    with reading(engine) as session:
        return _weekly(session, team_id, start, last_day)


def coproducers(session: Session, team_id: int) -> list[tuple[int, str, str]]:
    """(person_id, display name, username) of the team's active coproducers, by name."""
    rows = session.execute(
        select(Person.id, Person.display_name, Person.username)
        .join(Membership, Membership.person_id == Person.id)
        .where(Membership.team_id == team_id, Membership.role == Role.COPRODUCER, Person.active.is_(True))
        .order_by(Person.display_name)
    ).all()
    return [(int(p), name, username) for p, name, username in rows]


def overview(
    engine: Engine, settings: Settings, actor: Actor, team_id: int, today: date, weeks: int = 8
) -> list[MemberLoad]:
    """One row per coproducer: this week against the agreement, the last 7 days outside hours, the trend, alerts."""
    require_leader(actor, team_id)
    monday = today - timedelta(days=today.weekday())
    first = monday - timedelta(weeks=weeks - 1)
    seven, _today = windows.last_7_days(today)
    one = 1
    with reading(engine) as session:
        people = coproducers(session, team_id)
        loads = _weekly(session, team_id, first, today)
        recent = {
            int(p): (int(o), int(n))
            for p, o, n in session.execute(
                select(
                    HelpRequest.person_id,
                    func.coalesce(func.sum(case((HelpRequest.outside_hours, one), else_=0)), 0),
                    func.coalesce(func.sum(case((HelpRequest.is_night, one), else_=0)), 0),
                )
                .where(*_live(team_id, seven, today))
                .group_by(HelpRequest.person_id)
            ).all()
        }
        alerts = counts.per_person(session, team_id)  # the same count as the leaders' digest
        histories = versions_of(session, [p for p, _n, _u in people])  # one query for the team, not one per member
        agreements = {p: in_force(histories[p], today, settings.demarcation) for p, _n, _u in people}
    minutes = {(w.person_id, w.week): w.minutes for w in loads}
    week_list = [first + timedelta(weeks=i) for i in range(weeks)]
    result = []
    for person_id, name, username in people:
        trend = tuple(round(minutes.get((person_id, w), 0) / 60, 1) for w in week_list)
        outside, night = recent.get(person_id, (0, 0))
        result.append(
            MemberLoad(
                person_id=person_id,
                name=name,
                username=username,
                agreement=agreements[person_id],
                week_hours=minutes.get((person_id, monday), 0) / 60,
                outside_7_days=outside,
                night_7_days=night,
                trend=trend,
                open_alerts=int(alerts.get(person_id, 0)),
            )
        )
    return result


def arrivals(engine: Engine, actor: Actor, team_id: int, start: date, end: date) -> dict[tuple[int, int], int]:
    """How many of the team's requests arrived per (weekday 0=Monday, local hour)."""
    require_leader(actor, team_id)
    with reading(engine) as session:
        rows = session.execute(
            select(HelpRequest.local_weekday, HelpRequest.local_hour, func.count(HelpRequest.id))
            .where(*_live(team_id, start, end))
            .group_by(HelpRequest.local_weekday, HelpRequest.local_hour)
        ).all()
    return {(int(day), int(hour)): int(n) for day, hour, n in rows}
