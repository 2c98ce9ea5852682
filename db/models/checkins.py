"""Check-ins with the counsellor, their encrypted notes, the calendar feeds, and WHO-5 wellbeing (issue 5)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, UTCDateTime, utcnow

OPEN_CHECKIN = "status IN ('prompted', 'requested', 'scheduled')"


class CheckinStatus(StrEnum):
    PROMPTED = "prompted"  # a rule asked the counsellor to check in
    REQUESTED = "requested"  # the coproducer asked to talk
    SCHEDULED = "scheduled"
    DONE = "done"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


class Checkin(Base):
    """A confidential conversation between a coproducer and the counsellor, from prompt or request to outcome.

    The partial unique index allows one open check-in (prompted, requested or scheduled) per person, so two rules or
    two workers at the same moment cannot both open one: the second insert does nothing (ON CONFLICT DO NOTHING).
    reasons is a JSON list of {"code": ..., "params": {...}}: why, never the logs.
    """

    __tablename__ = "checkins"
    __table_args__ = (
        Index(
            "uq_checkins_one_open_per_person",
            "person_id",
            unique=True,
            sqlite_where=text(OPEN_CHECKIN),
            postgresql_where=text(OPEN_CHECKIN),
        ),
        Index("ix_checkins_status_scheduled", "status", "scheduled_at"),
        Index("ix_checkins_counsellor_scheduled", "counsellor_id", "scheduled_at"),
        CheckConstraint(
            "status IN ('prompted', 'requested', 'scheduled', 'done', 'cancelled', 'no_show')", name="status_known"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(12))
    urgency: Mapped[int] = mapped_column(Integer, default=1)  # higher first in the counsellor's queue
    reasons: Mapped[str] = mapped_column(Text, default="[]")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    counsellor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    scheduled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    minutes: Mapped[int | None] = mapped_column(Integer)
    mode: Mapped[str | None] = mapped_column(String(10))  # in_person, phone, video
    place: Mapped[str | None] = mapped_column(String(200))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    follow_up_on: Mapped[date | None] = mapped_column(Date)
    follow_up_prompted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminder_sent_for: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the scheduled_at last reminded of


class CheckinNote(Base):
    """A counsellor's private note on a check-in, stored only as Fernet ciphertext (see monitor/checkins/crypto.py)."""

    __tablename__ = "checkin_notes"
    __table_args__ = (Index("ix_checkin_notes_checkin", "checkin_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    checkin_id: Mapped[int] = mapped_column(ForeignKey("checkins.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    ciphertext: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The counsellor deliberately released this note to the person it is about (then it is in their data export).
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CalendarFeed(Base):
    """A counsellor's private iCal feed. Only a hash of the secret address is stored; revoking ends it."""

    __tablename__ = "calendar_feeds"
    __table_args__ = (UniqueConstraint("token_hash"), Index("ix_calendar_feeds_person", "person_id", "revoked_at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class WellbeingAnswer(Base):
    """One WHO-5 answer set. Health data (GDPR art. 9): its five items (0-5) and score (raw total x 4, 0-100) are
    stored only as one Fernet token with the notes' keys (monitor/checkins/wellbeing.py); the time stays plain."""

    __tablename__ = "wellbeing_answers"
    __table_args__ = (Index("ix_wellbeing_answers_person_at", "person_id", "answered_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ciphertext: Mapped[str] = mapped_column(Text)


class WellbeingPreference(Base):
    """The coproducer's own switch: may the counsellor see their scores (off until they turn it on)."""

    __tablename__ = "wellbeing_preferences"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    share_with_counsellor: Mapped[bool] = mapped_column(Boolean, default=False)
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    pulse_skipped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
