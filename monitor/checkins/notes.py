"""The counsellor's private notes on a check-in: stored encrypted, read only by their author, every opening audited.

A dump of the database holds ciphertext only (monitor/checkins/crypto.py has the keys). Each time a note is opened its
opening is written to audit_events (action "checkin_note_opened"), in the same transaction that reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, func, select

from db.engine import reading, unit_of_work
from db.models import AuditEvent, CheckinNote
from monitor.checkins import counselling
from monitor.checkins import crypto as notes_crypto
from monitor.errors import PermissionDenied, ValidationError
from monitor.i18n import N_
from monitor.people import security_log
from monitor.people.access import Actor

NOTE_MAX = 5000
OPENED = "checkin_note_opened"
RELEASED = "checkin_note_released"


@dataclass(frozen=True)
class Note:
    id: int
    created_at: datetime
    text: str
    released_at: datetime | None = None


def add_note(
    engine: Engine, actor: Actor, checkin_id: int, text: str, keys: list[str] | None = None, now: datetime | None = None
) -> int:
    """Encrypt and keep a note on a check-in of the counsellor's team; returns its id."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(N_("Write the note first."))
    if len(text) > NOTE_MAX:
        raise ValidationError(N_("Keep the note to {max} characters."), max=NOTE_MAX)
    ciphertext = notes_crypto.encrypt(text, keys)
    with unit_of_work(engine) as session:
        counselling.counsellors_checkin(session, actor, checkin_id)
        note = CheckinNote(
            checkin_id=checkin_id, author_id=actor.person_id, ciphertext=ciphertext, created_at=now or datetime.now(UTC)
        )
        session.add(note)
        session.flush()
        return note.id


def note_count(engine: Engine, actor: Actor, checkin_id: int) -> int:
    """How many notes the actor wrote on this check-in, without opening them."""
    with reading(engine) as session:
        counselling.counsellors_checkin(session, actor, checkin_id)
        count = session.scalar(
            select(func.count())
            .select_from(CheckinNote)
            .where(CheckinNote.checkin_id == checkin_id, CheckinNote.author_id == actor.person_id)
        )
    return int(count or 0)


def open_notes(
    engine: Engine, actor: Actor, checkin_id: int, keys: list[str] | None = None, now: datetime | None = None
) -> list[Note]:
    """Decrypt the actor's own notes on this check-in, oldest first, and write each opening to the audit trail."""
    now = now or datetime.now(UTC)
    with unit_of_work(engine) as session:
        counselling.counsellors_checkin(session, actor, checkin_id)
        rows = session.scalars(
            select(CheckinNote)
            .where(CheckinNote.checkin_id == checkin_id)
            .order_by(CheckinNote.created_at, CheckinNote.id)
        ).all()
        own = [row for row in rows if row.author_id == actor.person_id]
        if rows and not own:
            raise PermissionDenied(N_("A note can only be read by the counsellor who wrote it."))
        notes = []
        for row in own:
            notes.append(Note(row.id, row.created_at, notes_crypto.decrypt(row.ciphertext, keys), row.released_at))
            session.add(
                AuditEvent(
                    at=now, actor_id=actor.person_id, action=OPENED, detail=f"note {row.id} of check-in {checkin_id}"
                )
            )
        if own:
            security_log.record(
                session, "note_opened", actor.person_id, actor.username, detail=f"check-in {checkin_id}"
            )
        return notes


def release_note(engine: Engine, actor: Actor, note_id: int, now: datetime | None = None) -> None:
    """The counsellor who wrote a note releases it to the person it is about (their data export then holds it).

    A deliberate act per note, because what was said in confidence is the counsellor's to weigh; it is audited.
    """
    now = now or datetime.now(UTC)
    with unit_of_work(engine) as session:
        note = session.get(CheckinNote, note_id)
        if note is None:
            raise PermissionDenied(N_("A note can only be read by the counsellor who wrote it."))
        counselling.counsellors_checkin(session, actor, note.checkin_id)
        if note.author_id != actor.person_id:
            raise PermissionDenied(N_("A note can only be read by the counsellor who wrote it."))
        if note.released_at is None:
            note.released_at = now
            session.add(
                AuditEvent(
                    at=now,
                    actor_id=actor.person_id,
                    action=RELEASED,
                    detail=f"note {note.id} of check-in {note.checkin_id}",
                )
            )


def rotate_all(engine: Engine, keys: list[str] | None = None) -> int:
    """Re-encrypt every note with the newest key (for `monitor rotate-notes`); returns how many were rewritten."""
    cipher = notes_crypto.cipher(keys)
    with unit_of_work(engine) as session:
        rows = session.scalars(select(CheckinNote).with_for_update()).all()
        for row in rows:
            row.ciphertext = cipher.rotate(row.ciphertext.encode("ascii")).decode("ascii")
        return len(rows)
