"""Help requests as logged, their kinds of problem and audit trail, the agreements they are judged against,
and the queue of people whose rules wait to be judged again."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.models.base import Base, UTCDateTime, utcnow


class DemarcationVersion(Base):
    """What a coproducer agreed with their leader, in force from valid_from until the next version."""

    __tablename__ = "demarcations"
    __table_args__ = (UniqueConstraint("person_id", "valid_from"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    valid_from: Mapped[date] = mapped_column(Date)
    hours_per_week: Mapped[float] = mapped_column(Float)
    max_outside_requests_per_week: Mapped[int] = mapped_column(Integer)
    max_night_requests_per_week: Mapped[int] = mapped_column(Integer)
    topics: Mapped[str] = mapped_column(Text)  # comma-separated topic codes
    availability: Mapped[str] = mapped_column(Text)  # JSON: {"monday": ["09:00-17:00"], ...}
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))


class HelpRequest(Base):
    """One approach by a resident, logged by the coproducer who received it. Never names the resident.

    local_date, local_weekday and local_hour are the team's local time when it came, fixed at saving,
    so that weekly and hourly totals are plain GROUP BYs over an index.
    """

    __tablename__ = "help_requests"
    __table_args__ = (
        CheckConstraint("minutes > 0", name="minutes_positive"),
        # Covers every column the burden rules and the allowance checks read, the kinds of problem as bits included
        # (migration 0014), so their GROUP BYs over a window read the index alone and do not grow with the years of
        # history in the table.
        Index(
            "ix_help_requests_person_date_cover",
            "person_id",
            "local_date",
            "deleted_at",
            "minutes",
            "outside_hours",
            "is_night",
            "beyond_role",
            "local_weekday",
            "local_hour",
            "topic_mask",
            "received_at",
            "id",
        ),
        Index("ix_help_requests_team_date", "team_id", "local_date"),
        # Covers the contribution report's reads, in the order it adds them up (team, coproducer), so a year of a city
        # is read from the index alone and never sorted (migration 0013).
        Index(
            "ix_help_requests_report",
            "team_id",
            "person_id",
            "local_date",
            "deleted_at",
            "minutes",
            "outside_hours",
            "is_night",
            "channel",
            "level",
            "referred_to",
            "topic_mask",
            "id",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    local_date: Mapped[date] = mapped_column(Date)
    local_weekday: Mapped[int] = mapped_column(Integer)  # 0 = Monday
    local_hour: Mapped[int] = mapped_column(Integer)
    minutes: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(20))
    level: Mapped[str | None] = mapped_column(String(20))
    beyond_role: Mapped[bool] = mapped_column(Boolean, default=False)
    referred_to: Mapped[str | None] = mapped_column(String(30))
    note: Mapped[str | None] = mapped_column(String(280))
    outside_hours: Mapped[bool] = mapped_column(Boolean)
    outside_reason: Mapped[str | None] = mapped_column(String(20))
    is_night: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(10), default="app")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The kinds of problem of `topics` again, as bits (monitor.requests.vocab.topic_mask), written with them: the
    # rules and the contribution report read them from their covering indexes (migration 0014).
    topic_mask: Mapped[int] = mapped_column(Integer, server_default="0")
    # The phone's idempotency key (a UUID) for a request sent by the offline quick-log: one request per key (0015).
    client_id: Mapped[str | None] = mapped_column(String(36), index=True, unique=True)

    topics: Mapped[list[RequestTopic]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    @property
    def topic_codes(self) -> tuple[str, ...]:
        return tuple(sorted(t.topic for t in self.topics))


class RequestTopic(Base):
    """One kind of problem a request was about; a request may have several."""

    __tablename__ = "request_topics"
    __table_args__ = (Index("ix_request_topics_topic", "topic"),)

    request_id: Mapped[int] = mapped_column(ForeignKey("help_requests.id", ondelete="CASCADE"), primary_key=True)
    topic: Mapped[str] = mapped_column(String(20), primary_key=True)


class RejudgeQueue(Base):
    """People whose requests changed, waiting for their burden rules to be judged again (off the save's path).

    Written in the same transaction as the request, so no change is forgotten; one row per person however many saves
    came in; a worker claims rows by deleting them, so each is judged once.
    """

    __tablename__ = "rejudge_queue"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime)


class RequestChange(Base):
    """The audit trail of a request: every creation, correction, deletion and undo, with before and after."""

    __tablename__ = "request_changes"
    __table_args__ = (Index("ix_request_changes_request", "request_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("help_requests.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(20))
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
