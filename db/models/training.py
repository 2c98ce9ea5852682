"""The training catalogue and the records of who completed what (issue 6)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, UTCDateTime, utcnow


class Training(Base):
    """A training in a team's catalogue: who gives it, how long it stays valid, which kinds of problem it covers."""

    __tablename__ = "trainings"
    __table_args__ = (
        UniqueConstraint("team_id", "name"),
        CheckConstraint("valid_months IS NULL OR valid_months > 0", name="valid_months_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    provider: Mapped[str] = mapped_column(String(120), default="")
    hours: Mapped[float] = mapped_column(Float, default=0)
    valid_months: Mapped[int | None] = mapped_column(Integer)  # None: valid for ever
    topics: Mapped[str] = mapped_column(Text)  # comma-separated topic codes
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))


class TrainingRecord(Base):
    """A coproducer completed a training. It counts once a leader has confirmed it (confirmed_at set)."""

    __tablename__ = "training_records"
    __table_args__ = (Index("ix_training_records_person_training", "person_id", "training_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    training_id: Mapped[int] = mapped_column(ForeignKey("trainings.id", ondelete="CASCADE"))
    completed_on: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)  # None: valid for ever
    note: Mapped[str | None] = mapped_column(String(280))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
