"""`monitor demo`, `import-requests` and `export-requests` against a SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from db.engine import reading
from db.models import HelpRequest, Role
from monitor.demo import load as demo
from monitor.people import accounts as people
from monitor.people import auth
from monitor.people.access import SYSTEM
from tests.unit.cli.helpers import count_rows, listed, run, signs_in

pytestmark = pytest.mark.usefixtures("fast_passwords")


# --- demo ----------------------------------------------------------------------------------------------


def test_demo_loads_the_demo_team_once(capsys: pytest.CaptureFixture[str], db: Engine) -> None:
    code, out, _err = run(capsys, "demo")
    assert code == 0
    assert f"Demo team {demo.DEMO_TEAM} loaded." in out
    first = listed(capsys)
    first_requests = count_rows(db, HelpRequest)

    code, out, _err = run(capsys, "demo")
    assert code == 0
    assert "already there; nothing changed" in out
    second = listed(capsys)

    assert len(first) == len(demo.DEMO_PEOPLE)
    assert second == first
    assert count_rows(db, HelpRequest) == first_requests
    assert [t.name for t in people.list_teams(db, SYSTEM)] == [demo.DEMO_TEAM]


def test_demo_people_sign_in_with_the_printed_password(capsys: pytest.CaptureFixture[str], db: Engine) -> None:
    _code, out, _err = run(capsys, "demo")

    assert demo.DEMO_PASSWORD in out
    for person in demo.DEMO_PEOPLE:
        assert person.username in out
        assert signs_in(db, person.username, demo.DEMO_PASSWORD), person.username
    lotte = people.person_id_by_username(db, "lotte")
    assert lotte is not None
    actor = auth.actor_for_person(db, lotte)
    assert actor is not None and actor.roles == frozenset({Role.LEADER})


def test_demo_adds_weeks_of_requests_with_evenings_weekends_and_heavy_cases(
    capsys: pytest.CaptureFixture[str], db: Engine
) -> None:
    run(capsys, "demo")
    with reading(db) as session:
        from db.models import Person

        def share(username: str, condition) -> float:  # type: ignore[no-untyped-def]
            rows = session.scalars(
                select(HelpRequest).join(Person, Person.id == HelpRequest.person_id).where(Person.username == username)
            ).all()
            assert rows, username
            return sum(1 for r in rows if condition(r)) / len(rows)

        assert share("fatima", lambda r: r.outside_reason in ("evening", "weekend", "night")) > 0.4
        assert share("henk", lambda r: r.outside_hours) < 0.35
        assert share("youssef", lambda r: {"violence", "addiction"} & set(r.topic_codes)) == 1.0


def test_import_requests_reports_every_wrong_row_and_imports_nothing(
    capsys: pytest.CaptureFixture[str], db: Engine, tmp_path: Path
) -> None:
    run(capsys, "demo")
    before = count_rows(db, HelpRequest)
    bad = tmp_path / "old.csv"
    bad.write_text(
        "username,received_at,channel,topics,minutes\n"
        "fatima,2026-11-02 21:30,door,money,30\n"
        "zed,2026-11-02 21:30,door,money,30\n"
        "fatima,2026-11-02 25:00,door,money,30\n",
        encoding="utf-8",
    )
    code, _out, err = run(capsys, "import-requests", str(bad))
    assert code == 1
    assert "row 3, column username: There is no coproducer with username zed." in err
    assert "row 4, column received_at:" in err
    assert "nothing was imported" in err
    assert count_rows(db, HelpRequest) == before


def test_import_requests_dry_run_then_import_then_export(
    capsys: pytest.CaptureFixture[str], db: Engine, tmp_path: Path
) -> None:
    run(capsys, "demo")
    before = count_rows(db, HelpRequest)
    good = tmp_path / "old.csv"
    good.write_text(
        "username,received_at,channel,topics,minutes,note\n"
        "henk,2026-04-27 11:00,centre,money;housing,45,King's Day market\n",
        encoding="utf-8",
    )
    code, out, _err = run(capsys, "import-requests", str(good), "--dry-run")
    assert (code, count_rows(db, HelpRequest)) == (0, before)
    assert "All 1 rows are good" in out
    code, out, _err = run(capsys, "import-requests", str(good))
    assert code == 0 and "Imported 1 requests" in out
    assert count_rows(db, HelpRequest) == before + 1

    code, out, _err = run(capsys, "export-requests", "--team", "Moerwijk", "--from", "2026-04-27", "--to", "2026-04-27")
    assert code == 0
    assert out.splitlines() == [
        "username,received_at,channel,topics,minutes,level,beyond_role,referred_to,note,outside_hours,outside_reason",
        "henk,2026-04-27 11:00,centre,housing;money,45,,no,,King's Day market,yes,holiday",
    ]
    target = tmp_path / "out.xlsx"
    code, _out, err = run(capsys, "export-requests", "--format", "xlsx", "-o", str(target))
    assert code == 0 and target.read_bytes()[:2] == b"PK"
    assert f"Wrote {before + 1} requests" in err


def test_export_requests_for_an_unknown_team_fails(capsys: pytest.CaptureFixture[str], db: Engine) -> None:
    run(capsys, "demo")
    code, _out, err = run(capsys, "export-requests", "--team", "Atlantis")
    assert code == 1 and "no team called 'Atlantis'" in err
