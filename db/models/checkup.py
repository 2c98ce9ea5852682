"""The collaboration check-up: rounds, who took part, the answers as counts per statement and score, partner invites."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, UTCDateTime, utcnow


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


class CheckupTally(Base):
    """How many answered a statement with a score in a round: the answers are kept only as these counts.

    No row stands for one person's answers, so there is nothing to match to a participant by id, order or time. All
    of a round's rows are written when the round opens and every answer updates all of them (adding 0 or 1), so
    neither SQLite's rowid nor PostgreSQL's row versions (xmin) tell which counts the last answer raised.
    """

    __tablename__ = "checkup_tallies"
    __table_args__ = (CheckConstraint("score IN (0, 25, 50, 75, 100)", name="score_on_scale"),)

    round_id: Mapped[int] = mapped_column(ForeignKey("checkup_rounds.id", ondelete="CASCADE"), primary_key=True)
    item: Mapped[int] = mapped_column(Integer, primary_key=True)
    score: Mapped[int] = mapped_column(Integer, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class CheckupInvite(Base):
    """A one-time private link for a partner professional; only a hash of its secret is kept, and no name."""

    __tablename__ = "checkup_invites"
    __table_args__ = (UniqueConstraint("token_hash"), Index("ix_checkup_invites_round", "round_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("checkup_rounds.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8), default="nl")
    used: Mapped[bool] = mapped_column(Boolean, default=False)
