"""Allowance agreements, versioned per month: nothing, a fixed sum per month, or a sum per hour of logged requests.

What is due for a month follows from the agreement in force on its first day: the fixed sum, or the rate times the
hours of the requests the coproducer logged that month. What is still due is that minus what the ledger already holds
for the month (net of reversals), so the monthly run never proposes what was paid.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from db.engine import reading, unit_of_work
from db.models import AllowanceAgreement, HelpRequest, Person, Role
from monitor.config import Settings
from monitor.errors import PermissionDenied, ValidationError
from monitor.i18n import N_
from monitor.money.amounts import add_months, euros, month_end, month_start, round_cents, to_cents
from monitor.people import age
from monitor.people.access import Actor
from monitor.requests.agreements import Agreement
from monitor.requests.agreements import in_force as demarcation_in_force
from monitor.requests.agreements import versions as demarcation_versions
from monitor.requests.log import coproducer_team, may_see_entries

NONE, MONTHLY, HOURLY = "none", "monthly", "hourly"
KINDS = (NONE, MONTHLY, HOURLY)
WEEKS_PER_MONTH = Decimal(52) / Decimal(12)


@dataclass(frozen=True)
class Terms:
    """An allowance agreement in force from valid_from (None: nothing agreed)."""

    valid_from: date | None
    kind: str
    amount_cents: int  # per month or per hour
    under_21_until: date | None = None  # the month they turn 21, from their birth month; None when not known

    @property
    def amount(self) -> Decimal:
        return euros(self.amount_cents)

    def under_21_on(self, day: date) -> bool:
        return self.under_21_until is not None and day < self.under_21_until


NOTHING = Terms(None, NONE, 0)


def _from_row(row: AllowanceAgreement, born: date | None) -> Terms:
    """The agreement's terms; whether they are under 21 follows from the person's birth month (monitor.people.age),
    not from the agreement's old under_21_until column, which migration 0016 moved to people.birth_month."""
    young = age.turns(born, age.ALLOWANCE_ADULT) if born is not None else None
    return Terms(row.valid_from, row.kind, row.amount_cents, young)


def versions(session: Session, person_id: int) -> list[Terms]:
    return versions_for(session, [person_id])[person_id]


def versions_for(session: Session, person_ids: Iterable[int]) -> dict[int, list[Terms]]:
    """The versions of many people in one query, oldest first; an empty list for someone without any."""
    result: dict[int, list[Terms]] = {person_id: [] for person_id in person_ids}
    rows = session.scalars(
        select(AllowanceAgreement)
        .where(AllowanceAgreement.person_id.in_(list(result)))
        .order_by(AllowanceAgreement.person_id, AllowanceAgreement.valid_from)
    ).all()
    born = age.birth_months(session, result)
    for row in rows:
        result[row.person_id].append(_from_row(row, born.get(row.person_id)))
    return result


def in_force(history: list[Terms], day: date) -> Terms:
    current = NOTHING
    for terms in history:
        if terms.valid_from is not None and terms.valid_from <= day:
            current = terms
    return current


def record_terms(
    engine: Engine,
    actor: Actor,
    person_id: int,
    valid_from: date,
    kind: str,
    amount: Decimal,
) -> date:
    """Store a version from the first day of valid_from's month (replacing one from the same month); the leader may.
    Whether the lower maximum under 21 applies follows from the person's birth month (monitor.people.age)."""
    if kind not in KINDS:
        raise ValidationError(N_("Choose no allowance, a fixed sum per month or a sum per hour."))
    cents = to_cents(amount) if kind != NONE else 0
    if kind != NONE and cents <= 0:
        raise ValidationError(N_("The amount must be more than zero."))
    start = month_start(valid_from)
    with unit_of_work(engine) as session:
        team_id = coproducer_team(session, person_id)
        if team_id is None or not (
            actor.is_system or (actor.person_id != person_id and actor.has_role(Role.LEADER, team_id))
        ):
            raise PermissionDenied(N_("Only the coproducer's project leader can change their allowance."))
        row = session.scalar(
            select(AllowanceAgreement).where(
                AllowanceAgreement.person_id == person_id, AllowanceAgreement.valid_from == start
            )
        ) or AllowanceAgreement(person_id=person_id, valid_from=start)
        row.kind = kind
        row.amount_cents = cents
        row.created_by = actor.person_id
        row.created_at = datetime.now(UTC)
        session.add(row)
    return start


def terms_history(engine: Engine, actor: Actor, person_id: int) -> list[tuple[Terms, str | None]]:
    """Every version, newest first, with who recorded it; for the coproducer and their leaders."""
    with reading(engine) as session:
        if not may_see_entries(session, actor, person_id):
            raise PermissionDenied(N_("You can only see your own allowance."))
        rows = session.execute(
            select(AllowanceAgreement, Person.display_name)
            .outerjoin(Person, Person.id == AllowanceAgreement.created_by)
            .where(AllowanceAgreement.person_id == person_id)
            .order_by(AllowanceAgreement.valid_from.desc())
        ).all()
        born = age.birth_months(session, [person_id]).get(person_id)
        return [(_from_row(row, born), name) for row, name in rows]


def current_terms(engine: Engine, actor: Actor, person_id: int, day: date) -> Terms:
    with reading(engine) as session:
        if not may_see_entries(session, actor, person_id):
            raise PermissionDenied(N_("You can only see your own allowance."))
        return in_force(versions(session, person_id), day)


def logged_minutes(session: Session, person_ids: list[int], start: date, end: date) -> dict[int, int]:
    """Minutes of requests each person logged with local date from start to end."""
    rows = session.execute(
        select(HelpRequest.person_id, func.sum(HelpRequest.minutes))
        .where(
            HelpRequest.person_id.in_(person_ids),
            HelpRequest.local_date >= start,
            HelpRequest.local_date <= end,
            HelpRequest.deleted_at.is_(None),
        )
        .group_by(HelpRequest.person_id)
    ).all()
    return {pid: int(minutes or 0) for pid, minutes in rows}


def minutes_by_month(session: Session, person_ids: list[int], first: date, last: date) -> dict[tuple[int, date], int]:
    """Minutes logged per person and month (first day of the month), from first to last, in one GROUP BY."""
    if not person_ids:
        return {}
    where = (
        HelpRequest.person_id.in_(person_ids),
        HelpRequest.local_date >= first,
        HelpRequest.local_date <= last,
        HelpRequest.deleted_at.is_(None),
    )
    if session.get_bind().dialect.name == "postgresql":
        month = func.date_trunc("month", HelpRequest.local_date)
        query = select(HelpRequest.person_id, month, func.sum(HelpRequest.minutes)).where(*where)
        query = query.group_by(HelpRequest.person_id, month)
    else:
        # By day first, in the order of the covering index (person, date), then by month: grouping the requests
        # themselves by a computed month sorted every row in a temporary B-tree, several times slower.
        by_day = (
            select(HelpRequest.person_id, HelpRequest.local_date.label("day"), func.sum(HelpRequest.minutes).label("m"))
            .where(*where)
            .group_by(HelpRequest.person_id, HelpRequest.local_date)
            .subquery()
        )
        month = func.substr(by_day.c.day, 1, 8).concat("01")  # local_date is stored as YYYY-MM-DD
        query = select(by_day.c.person_id, month, func.sum(by_day.c.m)).group_by(by_day.c.person_id, month)
    rows = session.execute(query).all()
    return {(pid, _as_date(start)): int(minutes or 0) for pid, start, minutes in rows}


def _as_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def due_cents(terms: Terms, minutes: int) -> int:
    """What the terms pay for a month in which `minutes` of requests were logged."""
    if terms.kind == MONTHLY:
        return terms.amount_cents
    if terms.kind == HOURLY:
        return round_cents(terms.amount * Decimal(minutes) / 60)
    return 0


def due_for_month(
    session: Session,
    person_id: int,
    period: date,
    history: list[Terms] | None = None,
    monthly_minutes: dict[tuple[int, date], int] | None = None,
) -> int:
    """What is due for a month; monthly_minutes (from minutes_by_month) saves a query per person and month."""
    history = versions(session, person_id) if history is None else history
    terms = in_force(history, month_start(period))
    if terms.kind == NONE:
        return 0
    minutes = 0
    if terms.kind == HOURLY and monthly_minutes is not None:
        minutes = monthly_minutes.get((person_id, month_start(period)), 0)
    elif terms.kind == HOURLY:
        minutes = logged_minutes(session, [person_id], month_start(period), month_end(period)).get(person_id, 0)
    return due_cents(terms, minutes)


def expected_cents(
    session: Session,
    settings: Settings,
    person_id: int,
    period: date,
    history: list[Terms],
    demarcations: list[Agreement] | None = None,
) -> int:
    """What the terms are expected to pay for a month still to come: per hour, the agreed hours per week."""
    terms = in_force(history, month_start(period))
    if terms.kind != HOURLY:
        return due_cents(terms, 0)
    demarcations = demarcation_versions(session, person_id) if demarcations is None else demarcations
    agreement = demarcation_in_force(demarcations, period, settings.demarcation)
    hours = Decimal(str(agreement.hours_per_week)) * WEEKS_PER_MONTH
    return round_cents(terms.amount * hours)


def months_between(first: date, last: date) -> list[date]:
    months, month = [], month_start(first)
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months
