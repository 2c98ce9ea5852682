"""Finding 13: WHO-5 answers and scores are health data (GDPR art. 9). The database holds them only encrypted with
the notes' rotatable keys; their owner still reads them (page and export) and so does the counsellor they share with."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, text

from db.engine import engine_for
from db.migrate import upgrade
from db.models import Role
from monitor import cli
from monitor.checkins import counselling, wellbeing
from monitor.checkins import crypto as notes_crypto
from monitor.config import Settings
from monitor.errors import PermissionDenied
from monitor.people import auth
from monitor.privacy import export
from tests.pages.conftest import World, texts
from tests.unit.checkin_helpers import KEY_A, KEY_B
from tests.unit.factories import Team, person, team

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ANSWERS = (3, 3, 2, 3, 2)  # 52: a drop of 12 after 64, and so a prompt
EARLIER = (3, 3, 3, 4, 3)  # 64


def raw_rows(engine: Engine) -> list[dict[str, object]]:
    """wellbeing_answers as the database (or a dump of it) holds them, whatever its columns are."""
    with engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(text("SELECT * FROM wellbeing_answers ORDER BY id"))]


def assert_no_health_data(rows: list[dict[str, object]], *answer_sets: tuple[int, ...]) -> None:
    assert rows
    for row in rows:
        assert set(row) == {"id", "person_id", "answered_at", "ciphertext"}, "no plain item or score column"
        token = str(row["ciphertext"])
        assert token.startswith("gAAAAA")  # a Fernet token
        assert "score" not in token and "items" not in token
    for answers in answer_sets:
        assert json.dumps(list(answers)) not in json.dumps(rows, default=str)


@pytest.fixture
def moerwijk(engine: Engine) -> Team:
    return team(engine)


def test_the_stored_row_holds_neither_the_answers_nor_the_score(
    engine: Engine, settings: Settings, moerwijk: Team
) -> None:
    wellbeing.submit(engine, settings, moerwijk.coproducer, EARLIER, now=T0 - timedelta(weeks=2), keys=[KEY_A])
    result = wellbeing.submit(engine, settings, moerwijk.coproducer, ANSWERS, now=T0, keys=[KEY_A])

    rows = raw_rows(engine)
    assert_no_health_data(rows, EARLIER, ANSWERS)
    assert [wellbeing.unseal(str(row["ciphertext"]), [KEY_A]) for row in rows] == [
        wellbeing.Answers(EARLIER, 64),
        wellbeing.Answers(ANSWERS, 52),
    ]
    # The drop was seen when the answers came in, from the decrypted previous score: the check-in says why, no number.
    assert result == wellbeing.Submitted(52, True)
    (prompted,) = counselling.queue(engine, moerwijk.counsellor)
    assert [reason.code for reason in prompted.reasons] == ["who5_drop"]
    assert "52" not in json.dumps([reason.params for reason in prompted.reasons])


def test_without_the_key_no_score_is_read_or_written(engine: Engine, settings: Settings, moerwijk: Team) -> None:
    wellbeing.submit(engine, settings, moerwijk.coproducer, ANSWERS, now=T0, keys=[KEY_A])

    with pytest.raises(notes_crypto.NotesKeyWrong):
        wellbeing.my_scores(engine, moerwijk.coproducer, keys=[KEY_B])
    with pytest.raises(notes_crypto.NotesKeyMissing):
        wellbeing.submit(engine, settings, moerwijk.coproducer, ANSWERS, now=T0, keys=[])
    assert len(raw_rows(engine)) == 1
    # Whether the pulse is due needs only the time, not the key.
    assert wellbeing.pulse_due(engine, settings, moerwijk.coproducer, now=T0 + timedelta(days=1)) is False


def test_the_owners_export_shows_the_answers_and_the_score(engine: Engine, settings: Settings, moerwijk: Team) -> None:
    wellbeing.submit(engine, settings, moerwijk.coproducer, ANSWERS, now=T0, keys=[KEY_A])

    archive = zipfile.ZipFile(io.BytesIO(export.export_zip(engine, moerwijk.coproducer, settings, keys=[KEY_A])))
    data = json.loads(archive.read("my-data.json"))

    (row,) = data["wellbeing_answers"]
    assert [row[f"item{n}"] for n in range(1, 6)] == list(ANSWERS)
    assert row["score"] == 52
    assert_no_health_data(raw_rows(engine), ANSWERS)


def test_rotate_notes_re_encrypts_the_answers_with_the_newest_key(
    database_url: str, settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = engine_for(database_url)
    upgrade(engine)
    moerwijk = team(engine)
    wellbeing.submit(engine, settings, moerwijk.coproducer, ANSWERS, now=T0, keys=[KEY_A])
    before = raw_rows(engine)[0]["ciphertext"]

    monkeypatch.setenv(notes_crypto.ENV_KEYS, f"{KEY_B},{KEY_A}")
    assert cli.main(["rotate-notes"]) == 0
    assert "1 WHO-5 answer" in capsys.readouterr().out

    after = raw_rows(engine)[0]["ciphertext"]
    assert after != before
    assert_no_health_data(raw_rows(engine), ANSWERS)
    # The old key can go: the new one alone opens the answers, the old one alone no longer does.
    assert [s.score for s in wellbeing.my_scores(engine, moerwijk.coproducer, keys=[KEY_B])] == [52]
    with pytest.raises(notes_crypto.NotesKeyWrong):
        wellbeing.my_scores(engine, moerwijk.coproducer, keys=[KEY_A])


def test_the_coproducer_and_the_counsellor_still_see_the_scores_on_their_pages(
    world: World, settings: Settings
) -> None:
    coproducer = world.person_in(Role.COPRODUCER)
    counsellor = world.person_in(Role.COUNSELLOR)
    fatima = auth.actor_for_person(world.engine, coproducer)
    assert fatima is not None
    wellbeing.submit(world.engine, settings, fatima, EARLIER, now=T0 - timedelta(weeks=2))
    wellbeing.submit(world.engine, settings, fatima, ANSWERS, now=T0)  # prompts a check-in
    wellbeing.set_sharing(world.engine, fatima, True, now=T0)
    assert_no_health_data(raw_rows(world.engine), EARLIER, ANSWERS)

    world.sign_in(coproducer)
    at = world.app("pages/talk.py").run()
    assert not at.exception, at.exception
    assert any(line.startswith("Last score: 52 of 100") for line in texts(at.caption))

    world.sign_in(counsellor)
    at = world.app("pages/counsellor_home.py").run()
    assert not at.exception, at.exception
    assert "Wellbeing (WHO-5, shared by them): 64, 52" in texts(at.caption)


def test_a_leader_cannot_read_the_scores(engine: Engine, moerwijk: Team, settings: Settings) -> None:
    wellbeing.submit(engine, settings, moerwijk.coproducer, ANSWERS, now=T0, keys=[KEY_A])
    wellbeing.set_sharing(engine, moerwijk.coproducer, True, now=T0)
    other = person(engine, "buurman", moerwijk.id, Role.LEADER)
    assert moerwijk.coproducer.person_id is not None
    for reader in (moerwijk.leader, other, moerwijk.admin):
        with pytest.raises(PermissionDenied):
            wellbeing.shared_scores(engine, reader, moerwijk.coproducer.person_id, keys=[KEY_A])
