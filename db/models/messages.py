"""The inbox: notifications and the state of their e-mail."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, UTCDateTime, utcnow


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
    # Tries the mail server never accepted, and when to try again (migration 0018): see monitor.messages.mailer.
    email_attempts: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    email_retry_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
