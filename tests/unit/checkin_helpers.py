"""Shared bits for the check-in and wellbeing tests: a fixed moment, a Fernet key, and reading rows back."""

from __future__ import annotations

from datetime import UTC, datetime

from cryptography.fernet import Fernet
from sqlalchemy import Engine, select

from db.engine import reading
from db.models import Checkin, Notification

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday, 10:00 in Amsterdam
KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()


def checkins_of(engine: Engine, person_id: int) -> list[Checkin]:
    with reading(engine) as session:
        return list(session.scalars(select(Checkin).where(Checkin.person_id == person_id).order_by(Checkin.id)).all())


def inbox_of(engine: Engine, person_id: int, kind: str | None = None) -> list[Notification]:
    query = select(Notification).where(Notification.person_id == person_id).order_by(Notification.id)
    if kind:
        query = query.where(Notification.kind == kind)
    with reading(engine) as session:
        return list(session.scalars(query).all())
