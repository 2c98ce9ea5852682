"""Rules a team does not use ([rules.off] in config.toml, by team name): their findings are dropped for its members,
as a snoozed rule's are, so an alert already open for one resolves itself."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Team
from monitor.alerts.rules.base import Coproducer
from monitor.config import Settings


def switched_off(session: Session, settings: Settings, people: dict[int, Coproducer]) -> set[tuple[int, str]]:
    """(person, rule) for every coproducer whose team switched the rule off."""
    off = settings.rules.off
    if not off or not people:
        return set()
    teams = {coproducer.team_id for coproducer in people.values()}
    names = {team_id: name for team_id, name in session.execute(select(Team.id, Team.name).where(Team.id.in_(teams)))}
    return {
        (person_id, rule)
        for person_id, coproducer in people.items()
        for rule in off.get(names.get(coproducer.team_id, ""), ())
    }
