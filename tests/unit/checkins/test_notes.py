"""The counsellor's notes: ciphertext only in the database, readable after a key rotation, every opening audited."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text

from db.engine import reading
from db.models import AuditEvent
from monitor.checkins import asking
from monitor.checkins import crypto as notes_crypto
from monitor.checkins import notes as checkin_notes
from monitor.config import Settings
from monitor.errors import PermissionDenied
from tests.unit.checkin_helpers import KEY_A, KEY_B, T0
from tests.unit.factories import Team, team

SECRET = "Fatima slaapt slecht sinds de zaak van de buurvrouw"


@pytest.fixture
def moerwijk(engine: Engine) -> Team:
    return team(engine)


@pytest.fixture
def checkin_id(engine: Engine, settings: Settings, moerwijk: Team) -> int:
    return asking.request_talk(engine, settings, moerwijk.coproducer, now=T0)


def test_the_stored_column_holds_ciphertext_only(engine: Engine, moerwijk: Team, checkin_id: int) -> None:
    checkin_notes.add_note(engine, moerwijk.counsellor, checkin_id, SECRET, keys=[KEY_A])

    with engine.connect() as connection:
        raw = connection.execute(text("SELECT ciphertext FROM checkin_notes")).scalars().all()
    assert len(raw) == 1
    assert SECRET not in raw[0] and "slaapt" not in raw[0]
    assert raw[0].startswith("gAAAAA")  # a Fernet token
    assert notes_crypto.decrypt(raw[0], [KEY_A]) == SECRET


def test_rotating_the_key_keeps_old_notes_readable(engine: Engine, moerwijk: Team, checkin_id: int) -> None:
    counsellor = moerwijk.counsellor
    checkin_notes.add_note(engine, counsellor, checkin_id, SECRET, keys=[KEY_A])

    # A new key in front: the old note still opens, a new note is written with the new key.
    checkin_notes.add_note(engine, counsellor, checkin_id, "tweede", keys=[KEY_B, KEY_A])
    assert [n.text for n in checkin_notes.open_notes(engine, counsellor, checkin_id, keys=[KEY_B, KEY_A])] == [
        SECRET,
        "tweede",
    ]
    # Re-encrypt everything with the new key; then the old key can go.
    assert checkin_notes.rotate_all(engine, keys=[KEY_B, KEY_A]) == 2
    assert [n.text for n in checkin_notes.open_notes(engine, counsellor, checkin_id, keys=[KEY_B])][0] == SECRET
    with pytest.raises(notes_crypto.NotesKeyWrong):
        checkin_notes.open_notes(engine, counsellor, checkin_id, keys=[KEY_A])


def test_every_opening_is_audited(engine: Engine, moerwijk: Team, checkin_id: int) -> None:
    counsellor = moerwijk.counsellor
    note_id = checkin_notes.add_note(engine, counsellor, checkin_id, SECRET, keys=[KEY_A])
    assert checkin_notes.note_count(engine, counsellor, checkin_id) == 1
    with reading(engine) as session:
        assert session.scalars(select(AuditEvent).where(AuditEvent.action == checkin_notes.OPENED)).all() == []

    for minutes in (0, 5):
        checkin_notes.open_notes(engine, counsellor, checkin_id, keys=[KEY_A], now=T0 + timedelta(minutes=minutes))

    with reading(engine) as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == checkin_notes.OPENED)).all()
    assert [(e.actor_id, e.detail) for e in events] == [
        (counsellor.person_id, f"note {note_id} of check-in {checkin_id}")
    ] * 2


def test_only_the_author_reads_a_note(engine: Engine, settings: Settings, moerwijk: Team, checkin_id: int) -> None:
    from db.models import Role
    from tests.unit.factories import person

    checkin_notes.add_note(engine, moerwijk.counsellor, checkin_id, SECRET, keys=[KEY_A])
    colleague = person(engine, "tweede", moerwijk.id, Role.COUNSELLOR)
    with pytest.raises(PermissionDenied):
        checkin_notes.open_notes(engine, colleague, checkin_id, keys=[KEY_A])


def test_a_missing_key_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    env = {notes_crypto.ENV_KEY_FILE: str(tmp_path / "none.keys")}
    assert notes_crypto.configured_keys(env, tmp_path / "no-secrets.toml") == []
    with pytest.raises(notes_crypto.NotesKeyMissing, match="MONITOR_NOTES_KEYS"):
        notes_crypto.cipher([])
    with pytest.raises(notes_crypto.NotesKeyMissing, match="not a Fernet key"):
        notes_crypto.cipher(["not-a-key"])


def test_keys_come_from_the_environment_then_secrets_then_the_demo_file(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.toml"
    key_file = tmp_path / "notes.keys"
    env = {notes_crypto.ENV_KEY_FILE: str(key_file)}

    written = notes_crypto.ensure_demo_key(env, secrets)
    assert written == key_file and len(notes_crypto.configured_keys(env, secrets)) == 1
    assert notes_crypto.ensure_demo_key(env, secrets) is None  # there is one now: nothing written

    secrets.write_text(f'notes_keys = ["{KEY_B}", "{KEY_A}"]\n')
    assert notes_crypto.configured_keys(env, secrets) == [KEY_B, KEY_A]

    env[notes_crypto.ENV_KEYS] = f"{KEY_A}, {KEY_B}"
    assert notes_crypto.configured_keys(env, secrets) == [KEY_A, KEY_B]


def test_only_the_author_releases_a_note_to_its_person_and_it_is_audited(
    engine: Engine, settings: Settings, moerwijk: Team, checkin_id: int
) -> None:
    note_id = checkin_notes.add_note(engine, moerwijk.counsellor, checkin_id, SECRET, keys=[KEY_A], now=T0)
    for other in (moerwijk.leader, moerwijk.coproducer, moerwijk.admin):
        with pytest.raises(PermissionDenied):
            checkin_notes.release_note(engine, other, note_id, now=T0)

    checkin_notes.release_note(engine, moerwijk.counsellor, note_id, now=T0)
    checkin_notes.release_note(engine, moerwijk.counsellor, note_id, now=T0 + timedelta(hours=1))  # once is enough

    opened = checkin_notes.open_notes(engine, moerwijk.counsellor, checkin_id, keys=[KEY_A], now=T0)
    assert [note.released_at for note in opened] == [T0]
    with reading(engine) as session:
        released = session.execute(
            select(AuditEvent.actor_id, AuditEvent.detail).where(AuditEvent.action == checkin_notes.RELEASED)
        ).all()
    assert released == [(moerwijk.counsellor.person_id, f"note {note_id} of check-in {checkin_id}")]
