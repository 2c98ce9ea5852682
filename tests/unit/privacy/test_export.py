"""My data: the export holds every kind of the person's data, in their language, and nobody else's."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine, select

from db.engine import reading
from db.models import AuditEvent
from monitor.config import Settings
from monitor.errors import PermissionDenied
from monitor.i18n import gettext_for
from monitor.people import accounts
from monitor.people.access import SYSTEM
from monitor.privacy import export
from tests.unit.checkin_helpers import KEY_A
from tests.unit.privacy.conftest import World


def _open(content: bytes) -> tuple[dict, dict[str, list[tuple]]]:
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert sorted(archive.namelist()) == ["my-data.json", "my-data.xlsx"]
    data = json.loads(archive.read("my-data.json"))
    workbook = load_workbook(io.BytesIO(archive.read("my-data.xlsx")))
    sheets = {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets}
    return data, sheets


def _text(sheets: dict[str, list[tuple]]) -> str:
    return "\n".join(str(cell) for rows in sheets.values() for row in rows for cell in row if cell is not None)


def test_the_export_holds_every_kind_of_my_data_and_nothing_of_my_colleague(
    engine: Engine, settings: Settings, world: World
) -> None:
    fatima = world.team.coproducer
    data, sheets = _open(export.export_zip(engine, fatima, settings, keys=[KEY_A]))

    empty = [kind.key for kind in export.KINDS if not data[kind.key]]
    # Calendar links are a counsellor's; a coproducer's own actions are the only audit rows of theirs.
    assert empty == ["calendar_feeds"]
    assert len(sheets) == len(export.KINDS)
    text = _text(sheets) + json.dumps(data)
    for mine in (
        "request note of fatima",
        "alert note about fatima",
        "snooze of fatima",
        "training note of fatima",
        "allowance of fatima",
        "released note about fatima",
        "Hello fatima",
    ):
        assert mine in text
    assert data["checkins"][0]["counsellor"] == "Samira"
    assert data["payments"][0]["amount"] == "25"
    assert [row["score"] for row in data["wellbeing_answers"]] == [20]
    assert data["request_changes"][0]["action"] in {"create", "correct"}
    # Nobody else's: not the colleague's data, not the counsellor's private note.
    assert "henk" not in text.lower()
    assert "private note" not in text


def test_the_headings_are_in_the_readers_language(engine: Engine, settings: Settings, world: World) -> None:
    fatima = world.team.coproducer
    _data, sheets = _open(export.export_zip(engine, fatima, settings, keys=[KEY_A]))
    _ = gettext_for("nl")
    requests = sheets[_("Requests")]
    assert requests[0][2] == _("Minutes") != "Minutes"
    assert requests[1][2] == 45  # corrected from 30
    assert requests[1][8] == "request note of fatima"


def test_the_download_is_logged(engine: Engine, settings: Settings, world: World) -> None:
    henk = world.team.other_coproducer
    export.export_zip(engine, henk, settings, keys=[KEY_A])
    with reading(engine) as session:
        rows = session.execute(
            select(AuditEvent.actor_id, AuditEvent.detail).where(AuditEvent.action == "privacy.export")
        ).all()
    assert rows == [(henk.person_id, f"person #{henk.person_id}")]


def test_a_colleague_or_leader_cannot_download_my_data(engine: Engine, settings: Settings, world: World) -> None:
    fatima = world.team.coproducer
    for other in (world.team.other_coproducer, world.team.leader, world.team.counsellor):
        with pytest.raises(PermissionDenied):
            export.export_zip(engine, other, settings, person_id=fatima.person_id)


def test_a_leader_gets_their_own_data_too(engine: Engine, settings: Settings, world: World) -> None:
    data, _sheets = _open(export.export_zip(engine, world.team.leader, settings))
    assert data["profile"][0]["username"] == "lotte"
    assert [row["role"] for row in data["roles"]] == ["leader"]
    assert "fatima" not in json.dumps(data["requests"] + data["alerts"] + data["checkins"])


def test_an_administrator_cannot_collect_anyone_s_wellbeing_answers_notes_or_check_ins(
    engine: Engine, settings: Settings, world: World
) -> None:
    """Issue 27: the export holds WHO-5 answers and check-ins, which no administrator may read (README, "Who sees
    what"); the operator answers a written request with `monitor user export` on the server (the system actor)."""
    fatima = world.team.coproducer.person_id
    with pytest.raises(PermissionDenied):
        export.collect(engine, world.team.admin, fatima, [KEY_A])
    with pytest.raises(PermissionDenied):
        export.export_zip(engine, world.team.admin, settings, person_id=fatima, keys=[KEY_A])

    data, _sheets = _open(export.export_zip(engine, SYSTEM, settings, person_id=fatima, keys=[KEY_A]))
    assert data["profile"][0]["username"] == "fatima"
    assert export.collect(engine, world.team.coproducer, fatima, [KEY_A])["profile"][0]["username"] == "fatima"
    assert accounts.person_id_by_username(engine, "fatima") == fatima
