"""My data: everything held about one person, as one zip with an Excel workbook (a sheet per kind, headings in their
language) and the same as JSON (the right of access and of portability).

Only rows that are about the person are read, and of other people only the counsellor's name on a check-in (who
planned it). The counsellor's private notes are left out unless the counsellor released one (monitor/checkins/notes.py:
release_note): professional confidentiality. Each download is written to the audit trail.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, aliased

from db.engine import reading, unit_of_work
from db.models import (
    Alert,
    AlertEvent,
    AllowanceAgreement,
    AuditEvent,
    AuthSession,
    CalendarFeed,
    Checkin,
    CheckinNote,
    DemarcationVersion,
    HelpRequest,
    Membership,
    Notification,
    Payment,
    Person,
    RequestChange,
    SignInAttempt,
    Snooze,
    Team,
    Training,
    TrainingRecord,
    WellbeingAnswer,
    WellbeingPreference,
)
from monitor.checkins import crypto as notes_crypto
from monitor.checkins import wellbeing
from monitor.config import Settings
from monitor.errors import NotFound
from monitor.i18n import N_, gettext_for
from monitor.messages.inbox import render
from monitor.people.access import Actor, require_self_or_admin
from monitor.requests.tables import formula_safe

EXPORTED = "privacy.export"
Row = dict[str, Any]


@dataclass(frozen=True)
class Kind:
    """One kind of data: its key (JSON and tests), sheet title and column headings (msgids), and its reader."""

    key: str
    title: str
    columns: tuple[tuple[str, str], ...]
    read: Callable[[Session, Person, list[str] | None], list[Row]]


def _profile(session: Session, person: Person, _keys: list[str] | None) -> list[Row]:
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


def _roles(session: Session, person: Person, _keys: list[str] | None) -> list[Row]:
    rows = session.execute(
        select(Team.name, Membership.role)
        .join(Team, Team.id == Membership.team_id)
        .where(Membership.person_id == person.id)
        .order_by(Team.name, Membership.role)
    ).all()
    return [{"team": team, "role": role} for team, role in rows]


def _columns(model: type, *names: str) -> Callable[[Session, Person, list[str] | None], list[Row]]:
    """A reader of the named columns of model's rows whose person_id is the person, oldest first."""

    def read(session: Session, person: Person, _keys: list[str] | None) -> list[Row]:
        rows = session.scalars(select(model).where(model.person_id == person.id).order_by(model.id)).all()  # type: ignore[attr-defined]
        return [{name: getattr(row, name) for name in names} for row in rows]

    return read


def _sessions(session: Session, person: Person, _keys: list[str] | None) -> list[Row]:
    rows = session.scalars(
        select(AuthSession).where(AuthSession.person_id == person.id).order_by(AuthSession.created_at)
    ).all()
    names = ("created_at", "last_seen_at", "ended_at", "ended_reason", "address")
    return [{name: getattr(row, name) for name in names} for row in rows]


def _sign_ins(session: Session, person: Person, _keys: list[str] | None) -> list[Row]:
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


def _requests(session: Session, person: Person, _keys: list[str] | None) -> list[Row]:
    rows = session.scalars(
        select(HelpRequest).where(HelpRequest.person_id == person.id).order_by(HelpRequest.received_at)
    ).all()
    return [
        {name: ", ".join(r.topic_codes) if name == "topics" else getattr(r, name) for name in REQUEST_COLUMNS}
        for r in rows
    ]


def _request_changes(session: Session, person: Person, _keys: list[str] | None) -> list[Row]:
    rows = session.scalars(
        select(RequestChange)
        .join(HelpRequest, HelpRequest.id == RequestChange.request_id)
        .where(HelpRequest.person_id == person.id)
        .order_by(RequestChange.at, RequestChange.id)
    ).all()
    return [
        {"request_id": r.request_id, "at": r.at, "action": r.action, "before": r.before, "after": r.after} for r in rows
    ]


def _alert_events(session: Session, person: Person, _keys: list[str] | None) -> list[Row]:
    rows = session.scalars(
        select(AlertEvent)
        .join(Alert, Alert.id == AlertEvent.alert_id)
        .where(Alert.person_id == person.id)
        .order_by(AlertEvent.at, AlertEvent.id)
    ).all()
    return [{"alert_id": r.alert_id, "at": r.at, "action": r.action, "note": r.note} for r in rows]


def _inbox(session: Session, person: Person, _keys: list[str] | None) -> list[Row]:
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


def _checkins(session: Session, person: Person, _keys: list[str] | None) -> list[Row]:
    counsellor = aliased(Person)
    rows = session.execute(
        select(Checkin, counsellor.display_name)
        .outerjoin(counsellor, counsellor.id == Checkin.counsellor_id)
        .where(Checkin.person_id == person.id)
        .order_by(Checkin.created_at)
    ).all()
    return [{**{name: getattr(c, name) for name in CHECKIN_COLUMNS}, "counsellor": name} for c, name in rows]


def _released_notes(session: Session, person: Person, keys: list[str] | None) -> list[Row]:
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


def _wellbeing_answers(session: Session, person: Person, keys: list[str] | None) -> list[Row]:
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


def _wellbeing_settings(session: Session, person: Person, _keys: list[str] | None) -> list[Row]:
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


def _trainings(session: Session, person: Person, _keys: list[str] | None) -> list[Row]:
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


def _allowance_agreements(session: Session, person: Person, _keys: list[str] | None) -> list[Row]:
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
            "under_21_until": r.under_21_until,
        }
        for r in rows
    ]


def _payments(session: Session, person: Person, _keys: list[str] | None) -> list[Row]:
    rows = session.scalars(select(Payment).where(Payment.person_id == person.id).order_by(Payment.paid_on)).all()
    names = ("id", "kind", "period", "paid_on", "reference", "receipt_reference", "topic", "note", "reverses_id")
    return [{**{name: getattr(r, name) for name in names}, "amount": _euros(r.amount_cents)} for r in rows]


def _own_actions(session: Session, person: Person, _keys: list[str] | None) -> list[Row]:
    # Only when and what: the detail of an action (e.g. a role given) may be about someone else.
    rows = session.execute(
        select(AuditEvent.at, AuditEvent.action).where(AuditEvent.actor_id == person.id).order_by(AuditEvent.at)
    ).all()
    return [{"at": at, "action": action} for at, action in rows]


AT = ("at", N_("When"))
CREATED = ("created_at", N_("Made on"))
NOTE = ("note", N_("Note"))
STATUS = ("status", N_("Status"))
MINUTES = ("minutes", N_("Minutes"))
TOPICS = ("topics", N_("Kinds of problem"))
VALID_FROM = ("valid_from", N_("Valid from"))
KIND = ("kind", N_("Kind"))
AMOUNT = ("amount", N_("Amount (EUR)"))
ACTION = ("action", N_("What happened"))

KINDS: tuple[Kind, ...] = (
    Kind(
        "profile",
        N_("Profile"),
        (
            ("username", N_("Username")),
            ("display_name", N_("Name")),
            ("email", N_("E-mail")),
            ("language", N_("Language")),
            ("active", N_("Active")),
            CREATED,
            ("password_changed_at", N_("Password changed on")),
            ("birth_month", N_("Month of birth")),
        ),
        _profile,
    ),
    Kind("roles", N_("Roles"), (("team", N_("Team")), ("role", N_("Role"))), _roles),
    Kind(
        "sessions",
        N_("Sign-ins"),
        (
            ("created_at", N_("Signed in on")),
            ("last_seen_at", N_("Last used")),
            ("ended_at", N_("Ended on")),
            ("ended_reason", N_("Why it ended")),
            ("address", N_("Internet address")),
        ),
        _sessions,
    ),
    Kind(
        "sign_in_attempts",
        N_("Sign-in attempts"),
        (("attempted_at", N_("When")), ("address", N_("Internet address")), ("succeeded", N_("Succeeded"))),
        _sign_ins,
    ),
    Kind(
        "requests",
        N_("Requests"),
        (
            ("id", N_("Number")),
            ("received_at", N_("Received on")),
            MINUTES,
            ("channel", N_("How")),
            TOPICS,
            ("level", N_("Level")),
            ("beyond_role", N_("Beyond my role")),
            ("referred_to", N_("Referred to")),
            NOTE,
            ("outside_hours", N_("Outside hours")),
            ("outside_reason", N_("Why outside hours")),
            ("is_night", N_("At night")),
            ("source", N_("Source")),
            CREATED,
            ("updated_at", N_("Changed on")),
            ("deleted_at", N_("Deleted on")),
        ),
        _requests,
    ),
    Kind(
        "request_changes",
        N_("Request changes"),
        (
            ("request_id", N_("Request number")),
            AT,
            ACTION,
            ("before", N_("Before")),
            ("after", N_("After")),
        ),
        _request_changes,
    ),
    Kind(
        "agreements",
        N_("Agreements"),
        (
            VALID_FROM,
            ("hours_per_week", N_("Hours per week")),
            ("max_outside_requests_per_week", N_("Requests outside hours per week")),
            ("max_night_requests_per_week", N_("Requests at night per week")),
            TOPICS,
            ("availability", N_("Available")),
            CREATED,
        ),
        _columns(
            DemarcationVersion,
            "valid_from",
            "hours_per_week",
            "max_outside_requests_per_week",
            "max_night_requests_per_week",
            "topics",
            "availability",
            "created_at",
        ),
    ),
    Kind(
        "alerts",
        N_("Alerts"),
        (
            ("id", N_("Number")),
            ("rule", N_("Rule")),
            ("window_start", N_("Week of")),
            ("severity", N_("Severity")),
            STATUS,
            ("value", N_("Value")),
            ("threshold", N_("Limit")),
            ("first_seen_at", N_("First seen")),
            ("opened_at", N_("Opened on")),
            ("acknowledged_at", N_("Acknowledged on")),
            ("resolved_at", N_("Resolved on")),
            NOTE,
        ),
        _columns(
            Alert,
            "id",
            "rule",
            "window_start",
            "severity",
            "status",
            "value",
            "threshold",
            "first_seen_at",
            "opened_at",
            "acknowledged_at",
            "resolved_at",
            "note",
        ),
    ),
    Kind(
        "alert_events",
        N_("Alert history"),
        (("alert_id", N_("Alert number")), AT, ACTION, NOTE),
        _alert_events,
    ),
    Kind(
        "snoozes",
        N_("Silenced alerts"),
        (("rule", N_("Rule")), ("until", N_("Until")), ("reason", N_("Reason")), CREATED, ("ended_at", N_("Ended on"))),
        _columns(Snooze, "rule", "until", "reason", "created_at", "ended_at"),
    ),
    Kind(
        "inbox",
        N_("Inbox"),
        (
            CREATED,
            ("message", N_("Message")),
            ("read_at", N_("Read on")),
            ("email_status", N_("E-mail")),
            ("email_sent_at", N_("E-mail sent on")),
        ),
        _inbox,
    ),
    Kind(
        "checkins",
        N_("Check-ins"),
        (
            ("id", N_("Number")),
            STATUS,
            CREATED,
            ("requested_at", N_("Asked on")),
            ("counsellor", N_("Counsellor")),
            ("scheduled_at", N_("Planned for")),
            MINUTES,
            ("mode", N_("How")),
            ("place", N_("Place")),
            ("closed_at", N_("Closed on")),
            ("follow_up_on", N_("Follow-up on")),
            ("reasons", N_("Why")),
        ),
        _checkins,
    ),
    Kind(
        "released_notes",
        N_("Notes released to me"),
        (
            ("checkin_id", N_("Check-in number")),
            CREATED,
            ("released_at", N_("Released on")),
            ("text", N_("Note")),
        ),
        _released_notes,
    ),
    Kind(
        "wellbeing_answers",
        N_("WHO-5 answers"),
        (
            ("answered_at", N_("Answered on")),
            ("item1", N_("Question 1")),
            ("item2", N_("Question 2")),
            ("item3", N_("Question 3")),
            ("item4", N_("Question 4")),
            ("item5", N_("Question 5")),
            ("score", N_("Score")),
        ),
        _wellbeing_answers,
    ),
    Kind(
        "wellbeing_settings",
        N_("Wellbeing settings"),
        (
            ("share_with_counsellor", N_("Counsellor may see my scores")),
            ("changed_at", N_("Changed on")),
            ("pulse_skipped_at", N_("Last skipped")),
        ),
        _wellbeing_settings,
    ),
    Kind(
        "trainings",
        N_("Trainings"),
        (
            ("training", N_("Training")),
            ("provider", N_("Given by")),
            ("completed_on", N_("Done on")),
            ("valid_until", N_("Valid until")),
            NOTE,
            ("recorded_at", N_("Recorded on")),
            ("confirmed_at", N_("Confirmed on")),
        ),
        _trainings,
    ),
    Kind(
        "allowance_agreements",
        N_("Allowance agreements"),
        (VALID_FROM, KIND, AMOUNT, ("under_21_until", N_("Under 21 until"))),
        _allowance_agreements,
    ),
    Kind(
        "payments",
        N_("Payments"),
        (
            ("id", N_("Number")),
            KIND,
            ("period", N_("For month")),
            ("paid_on", N_("Paid on")),
            AMOUNT,
            ("reference", N_("Reference")),
            ("receipt_reference", N_("Receipt")),
            ("topic", N_("Kind of problem")),
            NOTE,
            ("reverses_id", N_("Reverses number")),
        ),
        _payments,
    ),
    Kind(
        "calendar_feeds",
        N_("Calendar links"),
        (CREATED, ("revoked_at", N_("Stopped on"))),
        _columns(CalendarFeed, "created_at", "revoked_at"),
    ),
    Kind("own_actions", N_("My actions"), (AT, ACTION), _own_actions),
)


def _person(session: Session, actor: Actor, person_id: int | None) -> Person:
    if person_id is None:
        raise NotFound(N_("This person does not exist (any more)."))
    require_self_or_admin(actor, person_id)
    person = session.get(Person, person_id)
    if person is None or person.is_placeholder:
        raise NotFound(N_("This person does not exist (any more)."))
    return person


def collect(engine: Engine, actor: Actor, person_id: int, keys: list[str] | None = None) -> dict[str, list[Row]]:
    """Every kind of data about the person, keyed by Kind.key (rows with Python values)."""
    with reading(engine) as session:
        person = _person(session, actor, person_id)
        return {kind.key: kind.read(session, person, keys) for kind in KINDS}


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def to_json(data: dict[str, list[Row]]) -> bytes:
    plain = {key: [{k: _json_value(v) for k, v in row.items()} for row in rows] for key, rows in data.items()}
    return json.dumps(plain, ensure_ascii=False, indent=2).encode("utf-8")


def _cell(value: Any, settings: Settings) -> Any:
    if isinstance(value, datetime):
        # Excel has no time zones: show the local time, as the app does.
        return value.astimezone(settings.tz).replace(tzinfo=None)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        return formula_safe(value)
    return value


def _sheet_title(title: str, used: set[str]) -> str:
    clean = "".join(" " if ch in "[]:*?/\\" else ch for ch in title)[:31]
    while clean in used:
        clean = clean[:28] + f" {len(used)}"
    used.add(clean)
    return clean


def to_xlsx(data: dict[str, list[Row]], language: str, settings: Settings) -> bytes:
    """One sheet per kind, headings in language; a kind without rows still gets its sheet, so nothing looks lost."""
    _ = gettext_for(language)
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    used: set[str] = set()
    for kind in KINDS:
        sheet = workbook.create_sheet(_sheet_title(_(kind.title), used))
        sheet.append([_(heading) for _key, heading in kind.columns])
        for row in data.get(kind.key, []):
            sheet.append([_cell(row.get(key), settings) for key, _heading in kind.columns])
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def export_zip(
    engine: Engine,
    actor: Actor,
    settings: Settings,
    person_id: int | None = None,
    keys: list[str] | None = None,
    now: datetime | None = None,
) -> bytes:
    """The zip a person downloads (my-data.xlsx and my-data.json); the download is written to the audit trail."""
    person_id = actor.person_id if person_id is None else person_id
    with unit_of_work(engine) as session:
        person = _person(session, actor, person_id)
        # Logged in the same transaction that reads, so the download itself is in "My actions".
        session.add(
            AuditEvent(
                at=now or datetime.now(UTC), actor_id=actor.person_id, action=EXPORTED, detail=f"person #{person.id}"
            )
        )
        session.flush()
        data = {kind.key: kind.read(session, person, keys) for kind in KINDS}
        language = actor.language if actor.person_id == person.id else person.language
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("my-data.xlsx", to_xlsx(data, language, settings))
        archive.writestr("my-data.json", to_json(data))
    return out.getvalue()
