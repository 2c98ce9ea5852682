"""A team's emergency fund: small sums for residents in crisis, paid without paperwork. Never a resident's name.

Top-ups add to the balance, payouts take from it (who handed it out, the kind of problem). Like the payments ledger
it is append-only: a mistake is corrected with a reversing entry. When a payout brings the balance below
[emergency_fund] low_balance, the team's leaders are told once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, aliased

from db import ledger_chain
from db.engine import reading, unit_of_work
from db.models import FundEntry, Membership, Payment, Person, Role
from monitor.config import TOPICS, Settings
from monitor.errors import NotFound, PermissionDenied, ValidationError
from monitor.i18n import N_
from monitor.messages import notify
from monitor.money.amounts import euros, to_cents
from monitor.people.access import Actor

TOPUP, PAYOUT = "topup", "payout"
NOTE_MAX = 280


@dataclass(frozen=True)
class FundRow:
    id: int
    kind: str
    amount_cents: int  # the change to the balance: positive for a top-up, negative for a payout
    on_date: date
    handed_out_by: str | None
    topic: str | None
    note: str | None
    reverses_id: int | None
    reversed_by: int | None
    from_payment: int | None

    @property
    def amount(self) -> Decimal:
        return euros(self.amount_cents)


def _require_leader(actor: Actor, team_id: int) -> None:
    if not (actor.is_system or actor.has_role(Role.LEADER, team_id)):
        raise PermissionDenied(N_("Only the team's project leader manages its emergency fund."))


def _balance(session: Session, team_id: int) -> int:
    return int(session.scalar(select(func.sum(FundEntry.amount_cents)).where(FundEntry.team_id == team_id)) or 0)


def _note(note: str | None) -> str | None:
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError(N_("Keep the note to {max} characters."), max=NOTE_MAX)
    return note or None


def _positive(amount: Decimal) -> int:
    cents = to_cents(amount)
    if cents <= 0:
        raise ValidationError(N_("The amount must be more than zero. To correct an entry, reverse it."))
    return cents


def _warn_if_low(session: Session, settings: Settings, team_id: int, before: int, entry_id: int) -> None:
    """Tell the leaders once when the balance goes from at or above the threshold to below it."""
    low = to_cents(settings.allowances.fund_low)
    after = _balance(session, team_id)
    if not (before >= low > after):
        return
    leaders = session.scalars(
        select(Membership.person_id).where(Membership.team_id == team_id, Membership.role == Role.LEADER)
    ).all()
    for leader in leaders:
        notify.add(
            session,
            settings,
            leader,
            f"fund-low:{team_id}:{entry_id}:{leader}",
            "fund_low",
            N_("The emergency fund is low: {balance_cents} left. Top it up in time."),
            {"balance_cents": after},
            "emergency-fund",
        )


def top_up(
    engine: Engine,
    actor: Actor,
    team_id: int,
    amount: Decimal,
    on_date: date,
    note: str = "",
    today: date | None = None,
) -> int:
    """Add money to the fund."""
    _require_leader(actor, team_id)
    cents = _positive(amount)
    if today is not None and on_date > today:
        raise ValidationError(N_("The date cannot be in the future."))
    with unit_of_work(engine) as session:
        row = FundEntry(
            team_id=team_id,
            kind=TOPUP,
            amount_cents=cents,
            on_date=on_date,
            note=_note(note),
            recorded_by=actor.person_id,
        )
        ledger_chain.append(session, row)
        return row.id


def pay_out(
    engine: Engine,
    settings: Settings,
    actor: Actor,
    team_id: int,
    amount: Decimal,
    on_date: date,
    handed_out_by: int,
    topic: str,
    note: str = "",
    today: date | None = None,
) -> int:
    """Take a sum out of the fund, handed to a resident by a team member; records no resident's name."""
    _require_leader(actor, team_id)
    cents = _positive(amount)
    if topic not in (*TOPICS, "other"):
        raise ValidationError(N_("Choose the kind of problem the emergency payout was for."))
    if today is not None and on_date > today:
        raise ValidationError(N_("The date cannot be in the future."))
    with unit_of_work(engine) as session:
        member = session.scalar(
            select(Membership.id).where(Membership.team_id == team_id, Membership.person_id == handed_out_by).limit(1)
        )
        if member is None:
            raise ValidationError(N_("Choose the team member who handed it out."))
        before = _balance(session, team_id)
        if cents > before:
            raise ValidationError(N_("The fund holds {balance}; top it up first."), balance=f"€ {euros(before):.2f}")
        row = FundEntry(
            team_id=team_id,
            kind=PAYOUT,
            amount_cents=-cents,
            on_date=on_date,
            handed_out_by=handed_out_by,
            topic=topic,
            note=_note(note),
            recorded_by=actor.person_id,
        )
        ledger_chain.append(session, row)
        _warn_if_low(session, settings, team_id, before, row.id)
        return row.id


def payout_for_payment(session: Session, payment: Payment) -> None:
    """An emergency payment in the ledger comes out of the team's fund too (may take it below zero: it was paid)."""
    ledger_chain.append(
        session,
        FundEntry(
            team_id=payment.team_id,
            kind=PAYOUT,
            amount_cents=-payment.amount_cents,
            on_date=payment.paid_on,
            handed_out_by=payment.person_id,
            topic=payment.topic,
            payment_id=payment.id,
            recorded_by=payment.recorded_by,
        ),
    )


def reverse_for_payment(session: Session, original: Payment, reversal: Payment) -> None:
    entry = session.scalar(select(FundEntry).where(FundEntry.payment_id == original.id))
    if entry is not None:
        _add_reversal(session, entry, reversal.paid_on, reversal.note, reversal.recorded_by, reversal.id)


def _add_reversal(
    session: Session, entry: FundEntry, on_date: date, note: str | None, actor_id: int | None, payment_id: int | None
) -> FundEntry:
    row = FundEntry(
        team_id=entry.team_id,
        kind=entry.kind,
        amount_cents=-entry.amount_cents,
        on_date=on_date,
        handed_out_by=entry.handed_out_by,
        topic=entry.topic,
        note=note,
        payment_id=payment_id,
        reverses_id=entry.id,
        recorded_by=actor_id,
    )
    ledger_chain.append(session, row)
    return row


def reverse_entry(engine: Engine, actor: Actor, entry_id: int, reason: str, today: date) -> int:
    """Correct a mistake with an entry of the opposite amount. Payouts made through the ledger are reversed there."""
    reason = _note(reason) or ""
    if not reason:
        raise ValidationError(N_("Write why the entry is reversed."))
    with unit_of_work(engine) as session:
        entry = session.get(FundEntry, entry_id)
        if entry is None:
            raise NotFound(N_("This entry does not exist or is not of your team."))
        _require_leader(actor, entry.team_id)
        if entry.reverses_id is not None or entry.payment_id is not None:
            raise ValidationError(N_("Reverse this in the payments ledger, or record it again."))
        if session.scalar(select(FundEntry.id).where(FundEntry.reverses_id == entry_id)) is not None:
            raise ValidationError(N_("This entry has already been reversed."))
        return _add_reversal(session, entry, today, reason, actor.person_id, None).id


def balance(engine: Engine, actor: Actor, team_id: int) -> Decimal:
    _require_leader(actor, team_id)
    with reading(engine) as session:
        return euros(_balance(session, team_id))


def entries(engine: Engine, actor: Actor, team_id: int) -> list[FundRow]:
    """The fund's entries, newest first, for the team's leaders."""
    _require_leader(actor, team_id)
    reversal = aliased(FundEntry)
    with reading(engine) as session:
        rows = session.execute(
            select(FundEntry, Person.display_name, reversal.id)
            .outerjoin(Person, Person.id == FundEntry.handed_out_by)
            .outerjoin(reversal, reversal.reverses_id == FundEntry.id)
            .where(FundEntry.team_id == team_id)
            .order_by(FundEntry.on_date.desc(), FundEntry.id.desc())
        ).all()
        return [
            FundRow(e.id, e.kind, e.amount_cents, e.on_date, name, e.topic, e.note, e.reverses_id, rev, e.payment_id)
            for e, name, rev in rows
        ]
