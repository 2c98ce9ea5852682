"""Burden alerts, their history, and the snoozes that silence a rule for a person."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, UTCDateTime, utcnow


class AlertStatus(StrEnum):
    PENDING = "pending"  # the condition holds, but not yet for the rule's pending time
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"  # a leader saw it and noted what they did; still active
    RESOLVED = "resolved"


class Alert(Base):
    """One burden alert per rule, person and window (the local week the condition was found in).

    The unique constraint makes a second alert for the same rule, person and week impossible, so two evaluations at
    the same moment (two workers, or the app and a worker) cannot both raise it.
    """

    __tablename__ = "alerts"
    __table_args__ = (
        UniqueConstraint("rule", "person_id", "window_start"),
        Index("ix_alerts_team_status", "team_id", "status"),
        Index("ix_alerts_person_status", "person_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rule: Mapped[str] = mapped_column(String(40))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    window_start: Mapped[date] = mapped_column(Date)
    severity: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(15))
    value: Mapped[float] = mapped_column(Float)
    threshold: Mapped[float] = mapped_column(Float)
    detail: Mapped[str] = mapped_column(Text, default="{}")  # JSON parameters for the message
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)  # the condition last held
    cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the condition stopped holding
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(Text)
    times_opened: Mapped[int] = mapped_column(Integer, default=0)
    counsellor_prompted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AlertEvent(Base):
    """The history of an alert: every change of status, with who and why."""

    __tablename__ = "alert_events"
    __table_args__ = (Index("ix_alert_events_alert", "alert_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    action: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(Text)


class Snooze(Base):
    """A leader silences one rule for one person until a date, with a reason."""

    __tablename__ = "snoozes"
    __table_args__ = (Index("ix_snoozes_person_rule", "person_id", "rule", "until"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    rule: Mapped[str] = mapped_column(String(40))
    until: Mapped[date] = mapped_column(Date)  # silenced up to and including this local date
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
