"""SQLAlchemy 2 typed models. Schema changes go through Alembic migrations in db/migrations."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC and gives them back aware, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):  # type: ignore[no-untyped-def]
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; attach a time zone first")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):  # type: ignore[no-untyped-def]
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Role(StrEnum):
    COPRODUCER = "coproducer"
    LEADER = "leader"
    COUNSELLOR = "counsellor"
    ADMIN = "admin"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(back_populates="team")


class Person(Base):
    """Someone who signs in: a coproducer, leader, counsellor or admin. Never a resident."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    language: Mapped[str] = mapped_column(String(8), default="nl")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when an administrator removed the person (monitor/privacy/removal.py): the row stays only because the
    # payments ledger refers to it, holding the name until the retention job anonymises it.
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A shared, nameless person that keeps the requests of everyone removed, as anonymous counts for the team.
    is_placeholder: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    # Set when an administrator or the CLI chose the password: the person picks their own at the next sign-in.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    # When a leader last opened the Alerts page: their filter "new since I last looked" starts here.
    alerts_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The first day of the month they were born in (the day is not kept), set by an administrator or their leader:
    # whether they are under 18 (no requests at night) or under 21 (the lower allowance) follows from it (issue 30).
    birth_month: Mapped[date | None] = mapped_column(Date)

    memberships: Mapped[list[Membership]] = relationship(back_populates="person", cascade="all, delete-orphan")


class Membership(Base):
    """Gives a person one role in one team; several rows give several roles."""

    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("person_id", "team_id", "role"),
        CheckConstraint("role IN ('coproducer', 'leader', 'counsellor', 'admin')", name="role_known"),
        Index("ix_memberships_team_role", "team_id", "role"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20))

    person: Mapped[Person] = relationship(back_populates="memberships")
    team: Mapped[Team] = relationship(back_populates="memberships")


class AuthSession(Base):
    """A signed-in browser. The id is a hash of the cookie's token, so a database dump signs nobody in."""

    __tablename__ = "auth_sessions"
    __table_args__ = (Index("ix_auth_sessions_person_open", "person_id", "ended_at"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_reason: Mapped[str | None] = mapped_column(String(20))
    address: Mapped[str | None] = mapped_column(String(64))


class SignInAttempt(Base):
    """Every sign-in attempt, so that failures can be counted per account and per address."""

    __tablename__ = "sign_in_attempts"
    __table_args__ = (
        Index("ix_sign_in_attempts_username_at", "username", "attempted_at"),
        Index("ix_sign_in_attempts_address_at", "address", "attempted_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    succeeded: Mapped[bool] = mapped_column(Boolean)


class KnownDevice(Base):
    """A browser someone signed in from before (OWASP device cookie): failures from elsewhere do not slow it down.

    Stored under a hash of the cookie's token, like sessions.
    """

    __tablename__ = "known_devices"
    __table_args__ = (Index("ix_known_devices_person", "person_id"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SecurityEvent(Base):
    """The security log: sign-ins, failures, slow-downs, sign-outs, refused access, notes opened, exports.

    Who (person, or the name typed at sign-in), when, from which address and what; never a password or content.
    """

    __tablename__ = "security_events"
    __table_args__ = (Index("ix_security_events_at", "at"), Index("ix_security_events_kind_at", "kind", "at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(40))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    username: Mapped[str] = mapped_column(String(64), default="")
    address: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[str] = mapped_column(String(200), default="")


class AuditEvent(Base):
    """Who changed what and when; kept for accountability, never edited."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_at", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(60))
    detail: Mapped[str] = mapped_column(Text, default="")


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


class Notification(Base):
    """A message in someone's inbox, and its e-mail if e-mail is configured.

    key is unique, so the same notification (e.g. "alert 12 opened, for person 5") is created once however many
    evaluations or workers see it. E-mail is claimed with one conditional update of email_status before sending.
    """

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("key"),
        Index("ix_notifications_person_read", "person_id", "read_at"),
        Index("ix_notifications_email_status", "email_status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(120))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    message: Mapped[str] = mapped_column(Text)  # msgid, translated when shown
    params: Mapped[str] = mapped_column(Text, default="{}")  # JSON
    link: Mapped[str | None] = mapped_column(String(60))  # url_path of the page to open
    alert_id: Mapped[int | None] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    email_status: Mapped[str] = mapped_column(String(12), default="none")  # none, pending, sending, sent, failed
    email_claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    email_claimed_by: Mapped[str | None] = mapped_column(String(80))
    email_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    email_error: Mapped[str | None] = mapped_column(Text)


class JobRun(Base):
    """A scheduled job's run for one period (e.g. the digest of 2026-11-23), claimed once across workers."""

    __tablename__ = "job_runs"
    __table_args__ = (UniqueConstraint("job", "period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job: Mapped[str] = mapped_column(String(40))
    period: Mapped[str] = mapped_column(String(40))
    claimed_by: Mapped[str] = mapped_column(String(80))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


# Training and allowances (issue 6) ----------------------------------------------------------------------------------


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


class AllowanceAgreement(Base):
    """What a coproducer is paid for their time, in force from valid_from: nothing, a fixed sum a month, or per hour.

    No date of birth is kept: only under_21_until, the first day of the month in which they turn 21 (None when they
    are 21 or older), because the tax-free maximum per hour is lower under 21.
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
    under_21_until: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))


class Payment(Base):
    """One line of the payments ledger, in euro cents. Append-only: database triggers refuse UPDATE and DELETE.

    A mistake is corrected by a reversing entry (reverses_id, the opposite amount), never by editing. Money records
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


# Check-ins and wellbeing (issue 5) -----------------------------------------------------------------------------------

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


class CheckupRound(Base):
    """One round of the collaboration check-up (the Coordinated Action Checklist) in a team, opened by a leader."""

    __tablename__ = "checkup_rounds"
    __table_args__ = (Index("ix_checkup_rounds_team_opened", "team_id", "opened_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    opened_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CheckupParticipant(Base):
    """That a person answered a round, so they answer once; it holds no link to what they answered."""

    __tablename__ = "checkup_participants"

    round_id: Mapped[int] = mapped_column(ForeignKey("checkup_rounds.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)


class CheckupResponse(Base):
    """One anonymous set of answers. A random id and no time or person, so it cannot be matched to a participant."""

    __tablename__ = "checkup_responses"
    __table_args__ = (Index("ix_checkup_responses_round", "round_id"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("checkup_rounds.id", ondelete="CASCADE"))


class CheckupAnswer(Base):
    """One statement's answer within a response: 0, 25, 50, 75 or 100."""

    __tablename__ = "checkup_answers"
    __table_args__ = (CheckConstraint("score IN (0, 25, 50, 75, 100)", name="score_on_scale"),)

    response_id: Mapped[str] = mapped_column(ForeignKey("checkup_responses.id", ondelete="CASCADE"), primary_key=True)
    item: Mapped[int] = mapped_column(Integer, primary_key=True)
    score: Mapped[int] = mapped_column(Integer)


class CheckupInvite(Base):
    """A one-time private link for a partner professional; only a hash of its secret is kept, and no name."""

    __tablename__ = "checkup_invites"
    __table_args__ = (UniqueConstraint("token_hash"), Index("ix_checkup_invites_round", "round_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("checkup_rounds.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8), default="nl")
    used: Mapped[bool] = mapped_column(Boolean, default=False)
