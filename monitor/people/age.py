"""A person's age, kept as the month they were born in (its first day: the day is not needed and not asked).

An administrator or a leader of the person's team sets it; the person sees their own; other coproducers never do.
Whether someone is under 18 (no requests between 23:00 and 06:00) or under 21 (the lower tax-free allowance per hour)
on a day follows from it here, in one place. With the month alone, a birthday is taken as the first day of that month,
as the allowance check always took the month in which someone turns 21.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from db.engine import reading, unit_of_work
from db.models import AuditEvent, Membership, Person, Role
from monitor.errors import NotFound, PermissionDenied, ValidationError
from monitor.i18n import N_
from monitor.people.access import Actor

ADULT = 18  # the Working Hours Act protects volunteers aged 16 and 17 at night
ALLOWANCE_ADULT = 21  # the lower maximum per hour of the volunteer allowance ends here
OLDEST = 100  # a birth month further back is a typing error
SET = "birth_month_set"


def month_start(day: date) -> date:
    return day.replace(day=1)


def turns(birth_month: date, years: int) -> date:
    """The first day of the month in which someone born in birth_month turns years old."""
    return date(birth_month.year + years, birth_month.month, 1)


def under(birth_month: date | None, years: int, day: date) -> bool:
    """Whether they are younger than years on day; False when their age is not known."""
    return birth_month is not None and day < turns(birth_month, years)


def age_on(birth_month: date, day: date) -> int:
    return day.year - birth_month.year - (day.month < birth_month.month)


def _teams(session: Session, person_id: int) -> set[int]:
    return set(session.scalars(select(Membership.team_id).where(Membership.person_id == person_id)))


def may_manage(session: Session, actor: Actor, person_id: int) -> bool:
    """An administrator, or a leader of a team the person is in, may see and set their birth month."""
    if actor.is_admin:
        return True
    return any(actor.has_role(Role.LEADER, team_id) for team_id in _teams(session, person_id))


def birth_month(engine: Engine, actor: Actor, person_id: int) -> date | None:
    """The person's birth month, for themselves, an administrator or a leader of their team."""
    with reading(engine) as session:
        if actor.person_id != person_id and not may_manage(session, actor, person_id):
            raise PermissionDenied(N_("Only an administrator or the project leader can see this."))
        person = session.get(Person, person_id)
        if person is None:
            raise NotFound(N_("This person does not exist (any more)."))
        return person.birth_month


def set_birth_month(engine: Engine, actor: Actor, person_id: int, month: date | None, today: date) -> date | None:
    """Set (or, with None, forget) the person's birth month, kept as its first day; returns what was stored.

    Only an administrator or a leader of the person's team may; a leader may not set their own. The audit line says
    that it changed, never the month.
    """
    born = month_start(month) if month is not None else None
    if born is not None and born > month_start(today):
        raise ValidationError(N_("The month of birth cannot be in the future."))
    if born is not None and born < turns(month_start(today), -OLDEST):
        raise ValidationError(N_("Check the year of birth: it is more than 100 years ago."))
    with unit_of_work(engine) as session:
        person = session.get(Person, person_id)
        if person is None or person.is_placeholder:
            raise NotFound(N_("This person does not exist (any more)."))
        mine = actor.person_id == person_id and not actor.is_admin
        if mine or not may_manage(session, actor, person_id):
            raise PermissionDenied(N_("Only an administrator or the project leader can change this."))
        person.birth_month = born
        session.add(AuditEvent(actor_id=actor.person_id, action=SET, detail=f"person #{person_id}"))
    return born


def birth_months(session: Session, person_ids: Iterable[int]) -> dict[int, date]:
    """The known birth months of these people, in one query (for the rules and the allowance checks)."""
    rows = session.execute(
        select(Person.id, Person.birth_month).where(Person.id.in_(list(person_ids)), Person.birth_month.is_not(None))
    ).all()
    return {person_id: born for person_id, born in rows}
