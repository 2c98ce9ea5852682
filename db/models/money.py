"""Allowance agreements, the append-only payments ledger and the emergency fund, all in euro cents (issue 6)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, UTCDateTime, utcnow


class AllowanceAgreement(Base):
    """What a coproducer is paid for their time, in force from valid_from: nothing, a fixed sum a month, or per hour.

    Whether they are under 21 (the tax-free maximum per hour is lower) follows from the person's month of birth
    (people.birth_month, monitor.people.age); the agreement keeps no age of its own.
    """

    __tablename__ = "allowance_agreements"
    __table_args__ = (
        UniqueConstraint("person_id", "valid_from"),
        CheckConstraint("kind IN ('none', 'monthly', 'hourly')", name="kind_known"),
        CheckConstraint("amount_cents >= 0", name="amount_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    valid_from: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(10))
    amount_cents: Mapped[int] = mapped_column(Integer, default=0)  # per month or per hour, in euro cents
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))


class Payment(Base):
    """One line of the payments ledger, in euro cents. Append-only: database triggers refuse UPDATE and DELETE.

    A mistake is corrected by a reversing entry (reverses_id, the opposite amount), never by editing. Every line is
    linked into a hash chain (chain_hash), so a rewrite the database could not refuse is still found. Money records
    are kept for seven years, so the people referred to cannot be deleted while their payments exist.
    """

    __tablename__ = "payments"
    __table_args__ = (
        UniqueConstraint("reverses_id"),
        CheckConstraint("kind IN ('allowance', 'expense', 'emergency')", name="kind_known"),
        CheckConstraint("amount_cents <> 0", name="amount_not_zero"),
        CheckConstraint("kind <> 'expense' OR receipt_reference IS NOT NULL", name="expense_has_receipt"),
        Index("ix_payments_team_period", "team_id", "period"),
        Index("ix_payments_person_period", "person_id", "period"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    kind: Mapped[str] = mapped_column(String(12))
    period: Mapped[date] = mapped_column(Date)  # the first day of the month the payment is for
    amount_cents: Mapped[int] = mapped_column(Integer)
    paid_on: Mapped[date] = mapped_column(Date)
    reference: Mapped[str] = mapped_column(String(80), default="")
    receipt_reference: Mapped[str | None] = mapped_column(String(80))
    topic: Mapped[str | None] = mapped_column(String(20))  # emergency payouts: the kind of problem
    note: Mapped[str | None] = mapped_column(String(280))
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    # SHA-256 over the previous payment's chain_hash and this row's fields (db/ledger_chain.py, migration 0017).
    chain_hash: Mapped[str] = mapped_column(String(64))


class FundEntry(Base):
    """A team's emergency fund: a top-up (positive) or a payout (negative), in euro cents. Never a resident's name.

    Append-only like the payments ledger: a reversing entry corrects a mistake.
    """

    __tablename__ = "fund_entries"
    __table_args__ = (
        UniqueConstraint("reverses_id"),
        CheckConstraint("kind IN ('topup', 'payout')", name="kind_known"),
        CheckConstraint("amount_cents <> 0", name="amount_not_zero"),
        Index("ix_fund_entries_team_on", "team_id", "on_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    kind: Mapped[str] = mapped_column(String(10))
    amount_cents: Mapped[int] = mapped_column(Integer)  # the change to the balance
    on_date: Mapped[date] = mapped_column(Date)
    handed_out_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    topic: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(String(280))
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"))
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("fund_entries.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    chain_hash: Mapped[str] = mapped_column(String(64))  # as Payment.chain_hash, a chain of its own
