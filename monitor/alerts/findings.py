"""What the burden rules find, read in one read transaction: on SQLite it takes no write lock, so saves go on while
the rules read. The coproducers with the agreement in force, their snoozes, every rule's findings, whom to tell, and
which alerts are active; monitor.alerts.evaluation then moves the alerts along from it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from db.engine import reading
from db.models import Alert, Membership, Person, Role, Snooze
from monitor.alerts import switches
from monitor.alerts.announcing import Directory, directory
from monitor.alerts.rules import ALL
from monitor.alerts.rules.base import Context, Coproducer, Finding
from monitor.alerts.store import ACTIVE
from monitor.config import Settings
from monitor.requests.agreements import in_force, versions_of

Key = tuple[str, int]  # (rule, person)


def run_rules(
    engine: Engine, settings: Settings, at: datetime, person_ids: Iterable[int] | None
) -> tuple[Context, dict[Key, Finding], Directory, set[Key]]:
    """Run every rule in a read transaction (the context, findings, whom to tell, the active alerts' keys)."""
    with reading(engine) as session:
        ctx = context(session, settings, at, person_ids)
        if not ctx.people:
            return ctx, {}, Directory({}, {}), set()
        snoozed = _snoozed(session, ctx.today, ctx.people) | switches.switched_off(session, settings, ctx.people)
        findings = {
            (f.rule, f.person_id): f
            for rule in ALL
            for f in rule.find(session, ctx)
            if (f.person_id, f.rule) not in snoozed
        }
        people = directory(session, ctx.people, {coproducer.team_id for coproducer in ctx.people.values()})
        known = _active_keys(session, ctx.people)
    return ctx, findings, people, known


def context(session: Session, settings: Settings, at: datetime, person_ids: Iterable[int] | None) -> Context:
    """The moment and the coproducers (all active ones, or person_ids), each in their first team with the agreement
    in force that day."""
    query = (
        select(Membership.person_id, Membership.team_id)
        .join(Person, Person.id == Membership.person_id)
        .where(Membership.role == Role.COPRODUCER, Person.active.is_(True))
        .order_by(Membership.person_id, Membership.team_id)
    )
    if person_ids is not None:
        query = query.where(Membership.person_id.in_(list(person_ids)))
    today = at.astimezone(settings.tz).date()
    teams: dict[int, int] = {}
    for person_id, team_id in session.execute(query).all():
        teams.setdefault(person_id, team_id)  # the first team, as requests.coproducer_team chooses
    history = versions_of(session, teams)  # one query for everyone's agreements, not one per person
    people = {
        person_id: Coproducer(person_id, team_id, in_force(history[person_id], today, settings.demarcation))
        for person_id, team_id in teams.items()
    }
    return Context(at=at, today=today, settings=settings, people=people)


def _snoozed(session: Session, today: date, person_ids: Iterable[int]) -> set[tuple[int, str]]:
    rows = session.execute(
        select(Snooze.person_id, Snooze.rule).where(
            Snooze.person_id.in_(list(person_ids)), Snooze.until >= today, Snooze.ended_at.is_(None)
        )
    ).all()
    return {(person_id, rule) for person_id, rule in rows}


def _active_keys(session: Session, person_ids: Iterable[int]) -> set[Key]:
    """(rule, person) of the active alerts, to size the write transactions (they read them again, locked)."""
    rows = session.execute(
        select(Alert.rule, Alert.person_id).where(Alert.person_id.in_(list(person_ids)), Alert.status.in_(ACTIVE))
    )
    return {(rule, person_id) for rule, person_id in rows}
