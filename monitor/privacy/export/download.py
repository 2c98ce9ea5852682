"""Collecting one person's data, once it is checked that they are asking, and the zip they download, whose every
download is written to the audit trail.

Only the person themself, or the command line (`monitor users export`, run by the operator on the server to answer a
written request), gets it: it holds their WHO-5 answers, check-ins and notes, which no administrator may read.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from db.engine import reading, unit_of_work
from db.models import AuditEvent, Person
from monitor.config import Settings
from monitor.errors import NotFound, PermissionDenied
from monitor.i18n import N_
from monitor.people.access import Actor
from monitor.privacy.export.files import to_json, to_xlsx
from monitor.privacy.export.kinds import KINDS
from monitor.privacy.export.readers import Row

EXPORTED = "privacy.export"


def _person(session: Session, actor: Actor, person_id: int | None) -> Person:
    if person_id is None:
        raise NotFound(N_("This person does not exist (any more)."))
    if not (actor.is_system or actor.person_id == person_id):
        # Not even an administrator: the export holds wellbeing answers and check-ins (README, "Who sees what").
        raise PermissionDenied(N_("Only the person themself can download their data."))
    person = session.get(Person, person_id)
    if person is None or person.is_placeholder:
        raise NotFound(N_("This person does not exist (any more)."))
    return person


def collect(engine: Engine, actor: Actor, person_id: int, keys: list[str] | None = None) -> dict[str, list[Row]]:
    """Every kind of data about the person, keyed by Kind.key (rows with Python values)."""
    with reading(engine) as session:
        person = _person(session, actor, person_id)
        return {kind.key: kind.read(session, person, keys) for kind in KINDS}


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
