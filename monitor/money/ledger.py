"""The payments ledger: allowances, reimbursed expenses and emergency-fund payouts, in euro cents, append-only.

There is no way to change or delete a line through this module, and database triggers (migrations 0005, 0006) refuse
UPDATE, DELETE and REPLACE: a mistake is corrected with reverse_payment, which adds a line with the opposite amount.
Each line is linked into a hash chain as it is added (db/ledger_chain.py; monitor/money/integrity.py checks it).
Totals are plain sums, so a payment and its reversal add up to nothing while both stay in the books.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, aliased

from db import ledger_chain
from db.engine import reading, unit_of_work
from db.models import Payment, Person, Role
from monitor.config import TOPICS
from monitor.errors import NotFound, PermissionDenied, ValidationError
from monitor.i18n import N_
from monitor.money import emergency_fund
from monitor.money.amounts import euros, month_start, to_cents
from monitor.people.access import Actor
from monitor.requests.log import coproducer_team, may_see_entries

ALLOWANCE, EXPENSE, EMERGENCY = "allowance", "expense", "emergency"
KINDS = (ALLOWANCE, EXPENSE, EMERGENCY)
TEXT_MAX = 80
NOTE_MAX = 280


@dataclass(frozen=True)
class PaymentInput:
    person_id: int
    kind: str
    period: date  # any day of the month the payment is for
    amount: Decimal  # euros, more than zero
    paid_on: date
    reference: str = ""
    receipt_reference: str | None = None  # required for expenses
    topic: str | None = None  # the kind of problem, for emergency payouts
    note: str | None = None


@dataclass(frozen=True)
class PaymentRow:
    id: int
    person_id: int
    person_name: str
    team_id: int
    kind: str
    period: date
    amount_cents: int
    paid_on: date
    reference: str
    receipt_reference: str | None
    topic: str | None
    note: str | None
    reverses_id: int | None
    reversed_by: int | None  # the id of the line that reverses this one
    recorded_by: str | None
    recorded_at: datetime

    @property
    def amount(self) -> Decimal:
        return euros(self.amount_cents)


def _text(value: str | None, limit: int = TEXT_MAX) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise ValidationError(N_("Keep each text to {max} characters."), max=limit)
    return value


def check(data: PaymentInput, today: date) -> int:
    """Check a new payment; returns its amount in cents."""
    if data.kind not in KINDS:
        raise ValidationError(N_("Choose what kind of payment this is."))
    cents = to_cents(data.amount)
    if cents <= 0:
        raise ValidationError(N_("The amount must be more than zero. To correct a payment, reverse it."))
    if data.paid_on > today:
        raise ValidationError(N_("The payment date cannot be in the future."))
    if data.kind == EXPENSE and not _text(data.receipt_reference):
        raise ValidationError(N_("An expense needs the reference of its receipt."))
    if data.kind == EMERGENCY and data.topic not in (*TOPICS, "other"):
        raise ValidationError(N_("Choose the kind of problem the emergency payout was for."))
    _text(data.reference)
    _text(data.note, NOTE_MAX)
    return cents


def add_in_session(session: Session, actor: Actor, data: PaymentInput, today: date, now: datetime) -> Payment:
    """Check and add one payment inside a unit of work; only the leader of the coproducer's team may."""
    cents = check(data, today)
    team_id = coproducer_team(session, data.person_id)
    if team_id is None or not (actor.is_system or actor.has_role(Role.LEADER, team_id)):
        raise PermissionDenied(N_("Only the coproducer's project leader can record payments."))
    row = Payment(
        person_id=data.person_id,
        team_id=team_id,
        kind=data.kind,
        period=month_start(data.period),
        amount_cents=cents,
        paid_on=data.paid_on,
        reference=_text(data.reference),
        receipt_reference=_text(data.receipt_reference) or None,
        topic=data.topic if data.kind == EMERGENCY else None,
        note=_text(data.note, NOTE_MAX) or None,
        recorded_at=now,
        recorded_by=actor.person_id,
    )
    ledger_chain.append(session, row)
    if data.kind == EMERGENCY:  # the money comes out of the team's emergency fund
        emergency_fund.payout_for_payment(session, row)
    return row


def record_payment(engine: Engine, actor: Actor, data: PaymentInput, today: date, now: datetime | None = None) -> int:
    """Add a payment to the ledger; returns its id."""
    with unit_of_work(engine) as session:
        return add_in_session(session, actor, data, today, now or datetime.now(UTC)).id


def reverse_payment(
    engine: Engine, actor: Actor, payment_id: int, reason: str, today: date, now: datetime | None = None
) -> int:
    """Correct a mistake: add a line with the opposite amount that points at the original. Returns its id."""
    reason = _text(reason, NOTE_MAX)
    if not reason:
        raise ValidationError(N_("Write why the payment is reversed."))
    with unit_of_work(engine) as session:
        original = session.get(Payment, payment_id)
        if original is None or not (actor.is_system or actor.has_role(Role.LEADER, original.team_id)):
            raise NotFound(N_("This payment does not exist or is not of your team."))
        if original.reverses_id is not None:
            raise ValidationError(N_("A reversal cannot be reversed; record the payment again instead."))
        if session.scalar(select(Payment.id).where(Payment.reverses_id == payment_id)) is not None:
            raise ValidationError(N_("This payment has already been reversed."))
        row = Payment(
            person_id=original.person_id,
            team_id=original.team_id,
            kind=original.kind,
            period=original.period,
            amount_cents=-original.amount_cents,
            paid_on=today,
            reference=f"#{original.id}",  # language-neutral: the pages and the export say "reverses" in words
            receipt_reference=original.receipt_reference,
            topic=original.topic,
            note=reason,
            reverses_id=original.id,
            recorded_at=now or datetime.now(UTC),
            recorded_by=actor.person_id,
        )
        ledger_chain.append(session, row)
        if original.kind == EMERGENCY:
            emergency_fund.reverse_for_payment(session, original, row)
        return row.id


def _rows(session: Session, query) -> list[PaymentRow]:  # type: ignore[no-untyped-def]
    reversal = aliased(Payment)
    recorder = aliased(Person)
    query = (
        query.join(Person, Person.id == Payment.person_id)
        .outerjoin(reversal, reversal.reverses_id == Payment.id)
        .outerjoin(recorder, recorder.id == Payment.recorded_by)
        .add_columns(Person.display_name, reversal.id, recorder.display_name)
        .order_by(Payment.paid_on.desc(), Payment.id.desc())
    )
    return [
        PaymentRow(
            id=p.id,
            person_id=p.person_id,
            person_name=name,
            team_id=p.team_id,
            kind=p.kind,
            period=p.period,
            amount_cents=p.amount_cents,
            paid_on=p.paid_on,
            reference=p.reference,
            receipt_reference=p.receipt_reference,
            topic=p.topic,
            note=p.note,
            reverses_id=p.reverses_id,
            reversed_by=reversed_by,
            recorded_by=recorded_by,
            recorded_at=p.recorded_at,
        )
        for p, name, reversed_by, recorded_by in session.execute(query).all()
    ]


def team_payments(
    engine: Engine,
    actor: Actor,
    team_id: int,
    person_id: int | None = None,
    kind: str | None = None,
    start: date | None = None,
    end: date | None = None,
) -> list[PaymentRow]:
    """The team's ledger for its leaders, newest first; start and end filter on the month paid for."""
    if not (actor.is_system or actor.has_role(Role.LEADER, team_id)):
        raise PermissionDenied(N_("Only the project leader of a team sees its payments."))
    query = select(Payment).where(Payment.team_id == team_id)
    if person_id is not None:
        query = query.where(Payment.person_id == person_id)
    if kind is not None:
        query = query.where(Payment.kind == kind)
    if start is not None:
        query = query.where(Payment.period >= month_start(start))
    if end is not None:
        query = query.where(Payment.period <= end)
    with reading(engine) as session:
        return _rows(session, query)


def person_payments(engine: Engine, actor: Actor, person_id: int, year: int | None = None) -> list[PaymentRow]:
    """One coproducer's payments: for them and their team's leaders, nobody else."""
    with reading(engine) as session:
        if not may_see_entries(session, actor, person_id):
            raise PermissionDenied(N_("You can only see your own payments."))
        query = select(Payment).where(Payment.person_id == person_id)
        if year is not None:
            query = query.where(Payment.period >= date(year, 1, 1), Payment.period <= date(year, 12, 31))
        return _rows(session, query)


def paid_by_month(session: Session, person_ids: list[int], start: date, end: date) -> dict[tuple[int, date, str], int]:
    """Net cents per (person, month paid for, kind) for months from start to end: reversals cancel what they undo."""
    rows = session.execute(
        select(Payment.person_id, Payment.period, Payment.kind, func.sum(Payment.amount_cents))
        .where(Payment.person_id.in_(person_ids), Payment.period >= month_start(start), Payment.period <= end)
        .group_by(Payment.person_id, Payment.period, Payment.kind)
    ).all()
    return {(pid, period, kind): int(total) for pid, period, kind, total in rows}


@dataclass(frozen=True)
class YearTotals:
    year: int
    allowance_cents: int
    expense_cents: int
    emergency_cents: int
    allowance_by_month: dict[int, int]  # month number -> cents


def year_totals(engine: Engine, actor: Actor, person_id: int, year: int) -> YearTotals:
    """What a coproducer was paid for the months of year, by kind (net of reversals)."""
    with reading(engine) as session:
        if not may_see_entries(session, actor, person_id):
            raise PermissionDenied(N_("You can only see your own payments."))
        paid = paid_by_month(session, [person_id], date(year, 1, 1), date(year, 12, 31))
    by_kind = {kind: sum(c for (_p, _m, k), c in paid.items() if k == kind) for kind in KINDS}
    by_month: dict[int, int] = {}
    for (_p, period, kind), cents in paid.items():
        if kind == ALLOWANCE:
            by_month[period.month] = by_month.get(period.month, 0) + cents
    return YearTotals(year, by_kind[ALLOWANCE], by_kind[EXPENSE], by_kind[EMERGENCY], by_month)
