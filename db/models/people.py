"""People who sign in, the teams they work in, and the roles their memberships give them."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.models.base import Base, UTCDateTime, utcnow


class Role(StrEnum):
    COPRODUCER = "coproducer"
    LEADER = "leader"
    COUNSELLOR = "counsellor"
    ADMIN = "admin"


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
