"""How many alerts a team has open, counted in one place: My team's figure and the leaders' daily digest read the
same query, so the two never differ.

An alert counts while a leader still sees it on the Alerts page: open or acknowledged (acknowledged is still active:
the leader talked with the person, the load is still there), for a coproducer who is still active in the alert's team.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session

from db.models import Alert, AlertStatus, Membership, Person, Role

SHOWN = (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)


def open_alerts(session: Session, team_ids: Iterable[int]) -> dict[tuple[int, int, str, str], int]:
    """{(team id, person id, rule, status): alerts open or acknowledged} in these teams, counted in SQL."""
    still_member = exists().where(
        and_(
            Membership.person_id == Alert.person_id,
            Membership.team_id == Alert.team_id,
            Membership.role == Role.COPRODUCER,
        )
    )
    rows = session.execute(
        select(Alert.team_id, Alert.person_id, Alert.rule, Alert.status, func.count(Alert.id))
        .join(Person, Person.id == Alert.person_id)
        .where(Alert.team_id.in_(list(team_ids)), Alert.status.in_(SHOWN), Person.active.is_(True), still_member)
        .group_by(Alert.team_id, Alert.person_id, Alert.rule, Alert.status)
    ).all()
    return {(int(team), int(person), rule, status): int(n) for team, person, rule, status, n in rows}


def per_person(session: Session, team_id: int) -> dict[int, int]:
    """{person id: alerts open or acknowledged} in one team (My team)."""
    counts: dict[int, int] = {}
    for (_team, person_id, _rule, _status), n in open_alerts(session, [team_id]).items():
        counts[person_id] = counts.get(person_id, 0) + n
    return counts


def per_rule(session: Session, team_ids: Iterable[int]) -> dict[str, int]:
    """{rule: alerts open or acknowledged} over these teams (a leader's digest)."""
    counts: dict[str, int] = {}
    for (_team, _person, rule, _status), n in open_alerts(session, team_ids).items():
        counts[rule] = counts.get(rule, 0) + n
    return counts
