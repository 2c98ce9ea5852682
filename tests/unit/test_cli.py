"""monitor.cli: the `monitor` command against a SQLite file, as a person at the keyboard would use it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, inspect, select

from db.engine import engine_for, reading
from db.migrate import is_current
from db.models import HelpRequest, Role
from monitor import cli
from monitor.config import AuthSettings
from monitor.demo import load as demo
from monitor.people import accounts as people
from monitor.people import auth
from monitor.people.access import SYSTEM

PASSWORD = "correct horse battery"
NEW_PASSWORD = "a brand new sentence"

pytestmark = pytest.mark.usefixtures("fast_passwords")


@pytest.fixture
def db(database_url: str) -> Engine:
    """The database the command writes to, for checking what it did."""
    return engine_for(database_url)


def run(capsys: pytest.CaptureFixture[str], *argv: str, stdin: str | None = None) -> tuple[int, str, str]:
    if stdin is not None:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("sys.stdin", io.StringIO(stdin))
            code = cli.main(list(argv))
    else:
        code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def listed(capsys: pytest.CaptureFixture[str]) -> dict[str, list[str]]:
    """`monitor user list` as {username: [active, name and roles...]}."""
    code, out, _err = run(capsys, "user", "list")
    assert code == 0
    header, *lines = out.splitlines()
    assert header.split()[:3] == ["username", "active", "name"]
    return {line.split()[0]: line.split()[1:] for line in lines}


def count_rows(engine: Engine, model: type[HelpRequest]) -> int:
    with reading(engine) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def signs_in(engine: Engine, username: str, password: str) -> bool:
    return auth.sign_in(engine, AuthSettings(), username, password, "cli-test").outcome == auth.Outcome.SIGNED_IN


@pytest.fixture
def initialised(capsys: pytest.CaptureFixture[str], db: Engine) -> Engine:
    code, _out, err = run(capsys, "init", "--username", "beheer", "--password-stdin", stdin=PASSWORD + "\n")
    assert code == 0, err
    return db


# --- migrate and init ----------------------------------------------------------------------------------


def test_migrate_creates_the_schema_in_an_empty_file(capsys: pytest.CaptureFixture[str], db: Engine) -> None:
    assert "people" not in inspect(db).get_table_names()

    code, out, _err = run(capsys, "migrate")

    assert code == 0
    assert "up to date" in out
    assert is_current(db)
    assert {"people", "teams", "memberships", "auth_sessions"} <= set(inspect(db).get_table_names())


def test_migrate_twice_changes_nothing_the_second_time(capsys: pytest.CaptureFixture[str], db: Engine) -> None:
    assert run(capsys, "migrate")[0] == 0

    code, _out, _err = run(capsys, "migrate")

    assert code == 0
    assert is_current(db)


def test_init_creates_an_administrator_who_signs_in_with_the_piped_password(
    capsys: pytest.CaptureFixture[str], db: Engine
) -> None:
    code, out, _err = run(
        capsys, "init", "--username", "Beheer", "--team", "Kantoor", "--password-stdin", stdin=PASSWORD + "\n"
    )

    assert code == 0
    assert "Created administrator Beheer in team Kantoor" in out
    assert signs_in(db, "beheer", PASSWORD)
    person_id = people.person_id_by_username(db, "beheer")
    assert person_id is not None
    actor = auth.actor_for_person(db, person_id)
    assert actor is not None and actor.is_admin
    assert people.team_id_by_name(db, "Kantoor") in {team for team, _role in actor.memberships}


def test_init_a_second_time_creates_no_second_administrator(
    capsys: pytest.CaptureFixture[str], initialised: Engine
) -> None:
    code, out, _err = run(capsys, "init", "--username", "another", "--password-stdin", stdin="another password\n")

    assert code == 0
    assert "an administrator already exists" in out
    assert set(listed(capsys)) == {"beheer"}


def test_init_with_a_short_password_fails_and_creates_nobody(capsys: pytest.CaptureFixture[str], db: Engine) -> None:
    code, _out, err = run(capsys, "init", "--password-stdin", stdin="short\n")

    assert code == 1
    assert "Error: A password needs at least 10 characters" in err
    assert people.list_people(db, SYSTEM) == []


def test_a_password_without_a_terminal_or_stdin_flag_is_refused_with_advice(
    capsys: pytest.CaptureFixture[str], db: Engine
) -> None:
    code, _out, err = run(capsys, "init", stdin=PASSWORD + "\n")

    assert code == 1
    assert "pass --password-stdin" in err
    assert people.list_people(db, SYSTEM) == []


def test_a_wrong_database_url_stops_with_a_configuration_message(
    capsys: pytest.CaptureFixture[str], database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MONITOR_DATABASE_URL", "data/monitor.db")

    code, _out, err = run(capsys, "migrate")

    assert code == 2
    assert "The configuration cannot be used" in err
    assert "database.url must be a database URL" in err


# --- user add, list, disable, enable, password ---------------------------------------------------------


def test_user_add_creates_a_person_with_roles_in_a_team(
    capsys: pytest.CaptureFixture[str], initialised: Engine
) -> None:
    code, out, _err = run(
        capsys,
        *("user", "add", "fatima", "--name", "Fatima B.", "--team", "Beheer"),
        *("--role", "coproducer", "--role", "leader", "--language", "en", "--password-stdin"),
        stdin=PASSWORD + "\n",
    )

    assert code == 0
    assert "Added fatima." in out
    assert signs_in(initialised, "fatima", PASSWORD)
    assert listed(capsys)["fatima"] == ["yes", "Fatima", "B.", "coproducer@Beheer;", "leader@Beheer"]
    [row] = [p for p in people.list_people(initialised, SYSTEM) if p.username == "fatima"]
    assert row.language == "en"


def test_user_add_without_a_password_for_the_identity_provider(
    capsys: pytest.CaptureFixture[str], initialised: Engine
) -> None:
    code, _out, _err = run(
        capsys, "user", "add", "henk", "--name", "Henk", "--email", "henk@example.org", "--no-password"
    )

    assert code == 0
    actor = auth.actor_for_email(initialised, "Henk@Example.org")
    assert actor is not None and actor.username == "henk"
    assert not signs_in(initialised, "henk", "")
    assert listed(capsys)["henk"] == ["yes", "Henk", "-"]


def test_user_add_with_a_role_in_an_unknown_team_fails_and_adds_nobody(
    capsys: pytest.CaptureFixture[str], initialised: Engine
) -> None:
    code, _out, err = run(
        capsys,
        *("user", "add", "fatima", "--name", "Fatima", "--team", "Nowhere", "--role", "coproducer"),
        *("--password-stdin",),
        stdin=PASSWORD + "\n",
    )

    assert code == 1
    assert "There is no team called 'Nowhere'" in err
    assert "fatima" not in listed(capsys)


def test_user_add_with_a_short_password_fails_and_adds_nobody(
    capsys: pytest.CaptureFixture[str], initialised: Engine
) -> None:
    code, _out, err = run(capsys, "user", "add", "fatima", "--name", "Fatima", "--password-stdin", stdin="short\n")

    assert code == 1
    assert "A password needs at least 10 characters" in err
    assert "Traceback" not in err
    assert "fatima" not in listed(capsys)


def test_user_add_with_a_bad_username_explains_the_rule(
    capsys: pytest.CaptureFixture[str], initialised: Engine
) -> None:
    code, _out, err = run(capsys, "user", "add", "Fa B", "--name", "Fa", "--password-stdin", stdin=PASSWORD + "\n")

    assert code == 1
    assert "A username needs 3 to 64 characters" in err
    assert set(listed(capsys)) == {"beheer"}


def test_user_add_with_a_taken_username_fails(capsys: pytest.CaptureFixture[str], initialised: Engine) -> None:
    code, _out, err = run(capsys, "user", "add", "beheer", "--name", "Again", "--no-password")

    assert code == 1
    assert "The username beheer is taken" in err


def test_user_add_refuses_a_role_that_does_not_exist(capsys: pytest.CaptureFixture[str], initialised: Engine) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(["user", "add", "fatima", "--name", "Fatima", "--team", "Beheer", "--role", "boss"])

    assert caught.value.code == 2
    assert "invalid choice: 'boss'" in capsys.readouterr().err
    assert "fatima" not in listed(capsys)


def test_user_disable_ends_the_sessions_and_enable_lets_them_back(
    capsys: pytest.CaptureFixture[str], initialised: Engine
) -> None:
    run(capsys, "user", "add", "fatima", "--name", "Fatima", "--password-stdin", stdin=PASSWORD + "\n")
    person_id = people.person_id_by_username(initialised, "fatima")
    assert person_id is not None
    token = auth.open_session(initialised, person_id)

    code, out, _err = run(capsys, "user", "disable", "fatima")
    assert code == 0
    assert "Disabled fatima" in out
    assert listed(capsys)["fatima"][0] == "no"
    assert auth.resume(initialised, AuthSettings(), token) is None
    assert not signs_in(initialised, "fatima", PASSWORD)

    code, out, _err = run(capsys, "user", "enable", "fatima")
    assert code == 0
    assert "Enabled fatima" in out
    assert listed(capsys)["fatima"][0] == "yes"
    assert signs_in(initialised, "fatima", PASSWORD)


def test_user_disable_refuses_the_last_administrator(capsys: pytest.CaptureFixture[str], initialised: Engine) -> None:
    code, _out, err = run(capsys, "user", "disable", "beheer")

    assert code == 1
    assert "Error: This is the last administrator" in err
    assert listed(capsys)["beheer"][0] == "yes"


def test_user_password_sets_a_new_password_and_ends_the_sessions(
    capsys: pytest.CaptureFixture[str], initialised: Engine
) -> None:
    person_id = people.person_id_by_username(initialised, "beheer")
    assert person_id is not None
    token = auth.open_session(initialised, person_id)

    code, out, _err = run(capsys, "user", "password", "beheer", "--password-stdin", stdin=NEW_PASSWORD + "\n")

    assert code == 0
    assert "Password set for beheer" in out
    assert auth.resume(initialised, AuthSettings(), token) is None
    assert not signs_in(initialised, "beheer", PASSWORD)
    assert signs_in(initialised, "beheer", NEW_PASSWORD)


def test_user_password_too_short_changes_nothing(capsys: pytest.CaptureFixture[str], initialised: Engine) -> None:
    code, _out, err = run(capsys, "user", "password", "beheer", "--password-stdin", stdin="short\n")

    assert code == 1
    assert "A password needs at least 10 characters" in err
    assert signs_in(initialised, "beheer", PASSWORD)


@pytest.mark.parametrize(
    "argv",
    [["user", "disable", "nobody"], ["user", "enable", "nobody"], ["user", "password", "nobody", "--password-stdin"]],
    ids=["disable", "enable", "password"],
)
def test_an_unknown_username_fails_with_a_clear_message(
    capsys: pytest.CaptureFixture[str], initialised: Engine, argv: list[str]
) -> None:
    code, out, err = run(capsys, *argv, stdin=NEW_PASSWORD + "\n")

    assert code == 1
    assert out == ""
    assert err.strip() == "Error: There is no account called 'nobody'. See `monitor user list`."


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


def test_user_add_with_a_role_but_no_team_says_to_give_one(capsys: pytest.CaptureFixture[str], db: Engine) -> None:
    run(capsys, "migrate")
    code, _out, err = run(capsys, "user", "add", "kees", "--name", "Kees", "--role", "coproducer", "--no-password")
    assert code == 1 and "add --team NAME" in err
    assert people.person_id_by_username(db, "kees") is None
