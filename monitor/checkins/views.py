"""Check-ins as people see them: the rows a page draws, and the one figure a leader may see.

Only the counsellors of the coproducer's team see and act on a check-in; the coproducer sees their own; leaders see
at most a team's count of check-ins held last month, only when enough people had one (see team_checkins_held).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from db.engine import reading
from db.models import Checkin, CheckinStatus, Membership, Person, Role
from monitor.checkins.opening import Reason
from monitor.config import Settings
from monitor.errors import PermissionDenied
from monitor.i18n import N_
from monitor.people.access import Actor


@dataclass(frozen=True)
class CheckinView:
    id: int
    person_id: int
    person_name: str
    team_id: int
    status: str
    urgency: int
    reasons: tuple[Reason, ...]
    created_at: datetime
    scheduled_at: datetime | None
    minutes: int | None
    mode: str | None
    place: str | None
    counsellor_name: str | None
    follow_up_on: date | None

    @property
    def ends_at(self) -> datetime | None:
        return self.scheduled_at + timedelta(minutes=self.minutes or 0) if self.scheduled_at else None


def read(session: Session, query: Any, with_reasons: bool = True) -> list[CheckinView]:
    """The check-ins the query selects, with the coproducer's and the counsellor's names (and the reasons)."""
    counsellor = Person.__table__.alias("counsellor")
    rows = session.execute(
        query.add_columns(Person.display_name, counsellor.c.display_name)
        .join(Person, Person.id == Checkin.person_id)
        .outerjoin(counsellor, counsellor.c.id == Checkin.counsellor_id)
    ).all()
    return [
        CheckinView(
            id=row.id,
            person_id=row.person_id,
            person_name=name,
            team_id=row.team_id,
            status=row.status,
            urgency=row.urgency,
            reasons=tuple(Reason(r["code"], r["params"]) for r in json.loads(row.reasons)) if with_reasons else (),
            created_at=row.created_at,
            scheduled_at=row.scheduled_at,
            minutes=row.minutes,
            mode=row.mode,
            place=row.place,
            counsellor_name=counsellor_name,
            follow_up_on=row.follow_up_on,
        )
        for row, name, counsellor_name in rows
    ]


def team_checkins_held(
    engine: Engine, settings: Settings, actor: Actor, team_id: int, today: date | None = None
) -> int | None:
    """Check-ins held last month in the team, for its leaders; None when it could point to a person.

    The disclosure rule of the contribution report (monitor/reports/disclosure.py): a whole month, so that the figure
    does not go up by one while the leader watches (and knows who was away); shown only for a team of at least
    checkins.team_count_min_coproducers coproducers in which at least [reports] min_group different coproducers had
    a check-in that month. Fewer, none included, is not shown: "0" next to "not shown" would tell that someone did.
    """
    if actor.is_system or not actor.has_role(Role.LEADER, team_id):
        raise PermissionDenied(N_("Only the project leader of a team sees its count of check-ins."))
    today = today or datetime.now(settings.tz).date()
    following = today.replace(day=1)
    first = (following - timedelta(days=1)).replace(day=1)
    start = datetime.combine(first, time(0), tzinfo=settings.tz)
    end = datetime.combine(following, time(0), tzinfo=settings.tz)
    with reading(engine) as session:
        coproducers = session.scalar(
            select(func.count(func.distinct(Membership.person_id)))
            .join(Person, Person.id == Membership.person_id)
            .where(Membership.team_id == team_id, Membership.role == Role.COPRODUCER, Person.active.is_(True))
        )
        if int(coproducers or 0) < settings.checkins.team_count_min_coproducers:
            return None
        held, people = session.execute(
            select(func.count(), func.count(func.distinct(Checkin.person_id))).where(
                Checkin.team_id == team_id,
                Checkin.status == CheckinStatus.DONE,
                Checkin.scheduled_at >= start,
                Checkin.scheduled_at < end,
            )
        ).one()
    if int(people or 0) < settings.reports.min_group:
        return None
    return int(held or 0)
