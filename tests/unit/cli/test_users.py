"""`monitor init` and `monitor user ...` against a SQLite file, as an administrator at the keyboard uses them."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from monitor import cli
from monitor.config import AuthSettings
from monitor.people import accounts as people
from monitor.people import auth
from monitor.people.access import SYSTEM
from tests.unit.cli.helpers import NEW_PASSWORD, PASSWORD, listed, run, signs_in

pytestmark = pytest.mark.usefixtures("fast_passwords")


# --- init ----------------------------------------------------------------------------------------------


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


def test_user_add_with_a_role_but_no_team_says_to_give_one(capsys: pytest.CaptureFixture[str], db: Engine) -> None:
    run(capsys, "migrate")
    code, _out, err = run(capsys, "user", "add", "kees", "--name", "Kees", "--role", "coproducer", "--no-password")
    assert code == 1 and "add --team NAME" in err
    assert people.person_id_by_username(db, "kees") is None
