"""The monthly run: the allowances due for a month under each coproducer's agreement, proposed for the leader to
review and confirm in one go. It proposes only what is still due, so running it again proposes nothing twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from db.engine import reading, unit_of_work
from db.models import Membership, Person, Role, Team
from monitor.config import Settings
from monitor.errors import PermissionDenied, ValidationError
from monitor.i18n import N_
from monitor.money import ledger, tax_limits
from monitor.money.allowances import HOURLY, in_force, logged_minutes, versions
from monitor.money.allowances import due_cents as terms_due
from monitor.money.amounts import euros, month_end, month_start
from monitor.money.tax_limits import Breach
from monitor.people.access import Actor


@dataclass(frozen=True)
class Proposal:
    person_id: int
    name: str
    period: date
    kind: str  # the agreement's kind: monthly or hourly
    minutes: int  # requests logged in the month (for hourly agreements)
    due_cents: int
    paid_cents: int
    amount_cents: int  # what is proposed: due minus what was paid already
    breach: Breach | None  # a tax-free maximum this payment would cross


def _proposals(session: Session, settings: Settings, team_id: int, period: date) -> list[Proposal]:
    period = month_start(period)
    people = session.execute(
        select(Person.id, Person.display_name)
        .join(Membership, Membership.person_id == Person.id)
        .where(Membership.team_id == team_id, Membership.role == Role.COPRODUCER, Person.active.is_(True))
        .order_by(Person.display_name)
    ).all()
    ids = [pid for pid, _name in people]
    if not ids:
        return []
    minutes = logged_minutes(session, ids, period, month_end(period))
    year_start = date(period.year, 1, 1)
    paid = ledger.paid_by_month(session, ids, year_start, date(period.year, 12, 31))
    limits = tax_limits.for_year(settings.allowances, period.year)
    result = []
    for pid, name in people:
        terms = in_force(versions(session, pid), period)
        due = terms_due(terms, minutes.get(pid, 0))
        already = paid.get((pid, period, ledger.ALLOWANCE), 0)
        if due - already <= 0:
            continue
        amount = due - already
        breach = None
        if limits is not None:
            expenses = paid.get((pid, period, ledger.EXPENSE), 0)
            breach = tax_limits.check_month(limits, euros(already + amount), euros(expenses))
            if breach is None:
                year_allowance = sum(c for (p, _m, k), c in paid.items() if p == pid and k == ledger.ALLOWANCE)
                year_expenses = sum(c for (p, _m, k), c in paid.items() if p == pid and k == ledger.EXPENSE)
                breach = tax_limits.check_year(limits, euros(year_allowance + amount), euros(year_expenses))
        shown_minutes = minutes.get(pid, 0) if terms.kind == HOURLY else 0
        result.append(Proposal(pid, name, period, terms.kind, shown_minutes, due, already, amount, breach))
    return result


def propose(engine: Engine, settings: Settings, actor: Actor, team_id: int, period: date) -> list[Proposal]:
    """The allowances still due for the month of `period`, one per coproducer, for the team's leaders."""
    if not actor.has_role(Role.LEADER, team_id):
        raise PermissionDenied(N_("Only the project leader of a team runs its allowances."))
    with reading(engine) as session:
        return _proposals(session, settings, team_id, period)


def confirm(
    engine: Engine,
    settings: Settings,
    actor: Actor,
    team_id: int,
    period: date,
    person_ids: list[int],
    paid_on: date,
    today: date,
    now: datetime | None = None,
) -> list[int]:
    """Record the proposed payments for person_ids in one transaction. What is due is computed again inside it, so
    a second confirmation (or a payment recorded meanwhile) adds nothing twice. Returns the new payments' ids."""
    if not actor.has_role(Role.LEADER, team_id):
        raise PermissionDenied(N_("Only the project leader of a team runs its allowances."))
    if not person_ids:
        raise ValidationError(N_("Choose at least one payment to confirm."))
    now = now or datetime.now(UTC)
    period = month_start(period)
    with unit_of_work(engine) as session:
        # Two leaders confirming at once: on PostgreSQL the second waits here for the first to commit, then sees its
        # payments and proposes nothing twice. (SQLite already serialises writers with BEGIN IMMEDIATE.)
        session.execute(select(Team.id).where(Team.id == team_id).with_for_update())
        ids = []
        for proposal in _proposals(session, settings, team_id, period):
            if proposal.person_id not in person_ids:
                continue
            data = ledger.PaymentInput(
                person_id=proposal.person_id,
                kind=ledger.ALLOWANCE,
                period=period,
                amount=euros(proposal.amount_cents),
                paid_on=paid_on,
                reference=f"allowance {period:%Y-%m}",
            )
            ids.append(ledger.add_in_session(session, actor, data, today, now).id)
        return ids
