"""How each kind of data about one person is read for their export: a function per kind, giving rows of Python
values keyed by the kind's column keys."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from db.models import (
    Alert,
    AlertEvent,
    AllowanceAgreement,
    AuditEvent,
    AuthSession,
    Checkin,
    CheckinNote,
    HelpRequest,
    Membership,
    Notification,
    Payment,
    Person,
    RequestChange,
    SignInAttempt,
    Team,
    Training,
    TrainingRecord,
    WellbeingAnswer,
    WellbeingPreference,
)
from monitor.checkins import crypto as notes_crypto
from monitor.checkins import wellbeing
from monitor.messages.inbox import render

Row = dict[str, Any]
Reader = Callable[[Session, Person, list[str] | None], list[Row]]


def profile(session: Session, person: Person, _keys: list[str] | None) -> list[Row]:
    return [
        {
            "username": person.username,
            "display_name": person.display_name,
            "email": person.email,
            "language": person.language,
            "active": person.active,
            "created_at": person.created_at,
            "password_changed_at": person.password_changed_at,
            "birth_month": person.birth_month,
        }
    ]


def roles(session: Session, person: Person, _keys: list[str] | None) -> list[Row]:
    rows = session.execute(
        select(Team.name, Membership.role)
        .join(Team, Team.id == Membership.team_id)
        .where(Membership.person_id == person.id)
        .order_by(Team.name, Membership.role)
    ).all()
    return [{"team": team, "role": role} for team, role in rows]


def columns_of(model: type, *names: str) -> Reader:
    """A reader of the named columns of model's rows whose person_id is the person, oldest first."""

    def read(session: Session, person: Person, _keys: list[str] | None) -> list[Row]:
        rows = session.scalars(select(model).where(model.person_id == person.id).order_by(model.id)).all()  # type: ignore[attr-defined]
        return [{name: getattr(row, name) for name in names} for row in rows]

    return read


def sessions(session: Session, person: Person, _keys: list[str] | None) -> list[Row]:
    rows = session.scalars(
        select(AuthSession).where(AuthSession.person_id == person.id).order_by(AuthSession.created_at)
    ).all()
    names = ("created_at", "last_seen_at", "ended_at", "ended_reason", "address")
    return [{name: getattr(row, name) for name in names} for row in rows]


def sign_ins(session: Session, person: Person, _keys: list[str] | None) -> list[Row]:
    rows = session.scalars(
        select(SignInAttempt).where(SignInAttempt.username == person.username).order_by(SignInAttempt.attempted_at)
    ).all()
    return [{"attempted_at": r.attempted_at, "address": r.address, "succeeded": r.succeeded} for r in rows]


REQUEST_COLUMNS = (
    "id",
    "received_at",
    "minutes",
    "channel",
    "topics",
    "level",
    "beyond_role",
    "referred_to",
    "note",
    "outside_hours",
    "outside_reason",
    "is_night",
    "source",
    "created_at",
    "updated_at",
    "deleted_at",
)


def requests(session: Session, person: Person, _keys: list[str] | None) -> list[Row]:
    rows = session.scalars(
        select(HelpRequest).where(HelpRequest.person_id == person.id).order_by(HelpRequest.received_at)
    ).all()
    return [
        {name: ", ".join(r.topic_codes) if name == "topics" else getattr(r, name) for name in REQUEST_COLUMNS}
        for r in rows
    ]


def request_changes(session: Session, person: Person, _keys: list[str] | None) -> list[Row]:
    rows = session.scalars(
        select(RequestChange)
        .join(HelpRequest, HelpRequest.id == RequestChange.request_id)
        .where(HelpRequest.person_id == person.id)
        .order_by(RequestChange.at, RequestChange.id)
    ).all()
    return [
        {"request_id": r.request_id, "at": r.at, "action": r.action, "before": r.before, "after": r.after} for r in rows
    ]


def alert_events(session: Session, person: Person, _keys: list[str] | None) -> list[Row]:
    rows = session.scalars(
        select(AlertEvent)
        .join(Alert, Alert.id == AlertEvent.alert_id)
        .where(Alert.person_id == person.id)
        .order_by(AlertEvent.at, AlertEvent.id)
    ).all()
    return [{"alert_id": r.alert_id, "at": r.at, "action": r.action, "note": r.note} for r in rows]


def inbox(session: Session, person: Person, _keys: list[str] | None) -> list[Row]:
    rows = session.scalars(
        select(Notification).where(Notification.person_id == person.id).order_by(Notification.created_at)
    ).all()
    return [
        {
            "created_at": r.created_at,
            "message": render(r.message, json.loads(r.params or "{}"), person.language),
            "read_at": r.read_at,
            "email_status": r.email_status,
            "email_sent_at": r.email_sent_at,
        }
        for r in rows
    ]


CHECKIN_COLUMNS = (
    "id",
    "status",
    "created_at",
    "requested_at",
    "scheduled_at",
    "minutes",
    "mode",
    "place",
    "closed_at",
    "follow_up_on",
    "reasons",
)


def checkins(session: Session, person: Person, _keys: list[str] | None) -> list[Row]:
    counsellor = aliased(Person)
    rows = session.execute(
        select(Checkin, counsellor.display_name)
        .outerjoin(counsellor, counsellor.id == Checkin.counsellor_id)
        .where(Checkin.person_id == person.id)
        .order_by(Checkin.created_at)
    ).all()
    return [{**{name: getattr(c, name) for name in CHECKIN_COLUMNS}, "counsellor": name} for c, name in rows]


def released_notes(session: Session, person: Person, keys: list[str] | None) -> list[Row]:
    rows = session.scalars(
        select(CheckinNote)
        .join(Checkin, Checkin.id == CheckinNote.checkin_id)
        .where(Checkin.person_id == person.id, CheckinNote.released_at.is_not(None))
        .order_by(CheckinNote.created_at)
    ).all()
    return [
        {
            "checkin_id": r.checkin_id,
            "created_at": r.created_at,
            "released_at": r.released_at,
            "text": notes_crypto.decrypt(r.ciphertext, keys),
        }
        for r in rows
    ]


def wellbeing_answers(session: Session, person: Person, keys: list[str] | None) -> list[Row]:
    """The person's own WHO-5 answers, decrypted (they are stored only encrypted, see checkins/wellbeing.py)."""
    rows = session.scalars(
        select(WellbeingAnswer).where(WellbeingAnswer.person_id == person.id).order_by(WellbeingAnswer.id)
    ).all()
    out = []
    for row in rows:
        answers = wellbeing.unseal(row.ciphertext, keys)
        items = {f"item{number}": value for number, value in enumerate(answers.items, start=1)}
        out.append({"answered_at": row.answered_at, **items, "score": answers.score})
    return out


def wellbeing_settings(session: Session, person: Person, _keys: list[str] | None) -> list[Row]:
    row = session.get(WellbeingPreference, person.id)
    if row is None:
        return []
    return [
        {
            "share_with_counsellor": row.share_with_counsellor,
            "changed_at": row.changed_at,
            "pulse_skipped_at": row.pulse_skipped_at,
        }
    ]


def trainings(session: Session, person: Person, _keys: list[str] | None) -> list[Row]:
    rows = session.execute(
        select(TrainingRecord, Training.name, Training.provider)
        .join(Training, Training.id == TrainingRecord.training_id)
        .where(TrainingRecord.person_id == person.id)
        .order_by(TrainingRecord.completed_on)
    ).all()
    return [
        {
            "training": name,
            "provider": provider,
            "completed_on": r.completed_on,
            "valid_until": r.valid_until,
            "note": r.note,
            "recorded_at": r.recorded_at,
            "confirmed_at": r.confirmed_at,
        }
        for r, name, provider in rows
    ]


def _euros(cents: int) -> Decimal:
    return Decimal(cents) / 100


def allowance_agreements(session: Session, person: Person, _keys: list[str] | None) -> list[Row]:
    rows = session.scalars(
        select(AllowanceAgreement)
        .where(AllowanceAgreement.person_id == person.id)
        .order_by(AllowanceAgreement.valid_from)
    ).all()
    return [
        {
            "valid_from": r.valid_from,
            "kind": r.kind,
            "amount": _euros(r.amount_cents),
        }
        for r in rows
    ]


def payments(session: Session, person: Person, _keys: list[str] | None) -> list[Row]:
    rows = session.scalars(select(Payment).where(Payment.person_id == person.id).order_by(Payment.paid_on)).all()
    names = ("id", "kind", "period", "paid_on", "reference", "receipt_reference", "topic", "note", "reverses_id")
    return [{**{name: getattr(r, name) for name in names}, "amount": _euros(r.amount_cents)} for r in rows]


def own_actions(session: Session, person: Person, _keys: list[str] | None) -> list[Row]:
    # Only when and what: the detail of an action (e.g. a role given) may be about someone else.
    rows = session.execute(
        select(AuditEvent.at, AuditEvent.action).where(AuditEvent.actor_id == person.id).order_by(AuditEvent.at)
    ).all()
    return [{"at": at, "action": action} for at, action in rows]
