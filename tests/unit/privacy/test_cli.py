"""`monitor user remove`, `user export` and `retention`, as an administrator at the keyboard uses them."""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import Engine

from monitor.people import accounts as people
from tests.unit.cli.helpers import PASSWORD, db, initialised, listed, run  # noqa: F401 (fixtures)

pytestmark = pytest.mark.usefixtures("fast_passwords")


@pytest.fixture
def with_fatima(capsys: pytest.CaptureFixture[str], initialised: Engine) -> Engine:  # noqa: F811
    code, _out, err = run(
        capsys,
        "user",
        "add",
        "fatima",
        "--name",
        "Fatima B.",
        "--team",
        "Beheer",
        "--role",
        "coproducer",
        "--email",
        "fatima@example.org",
        "--no-password",
    )
    assert code == 0, err
    return initialised


def test_remove_says_what_will_happen_and_asks_for_the_username(
    capsys: pytest.CaptureFixture[str], with_fatima: Engine
) -> None:
    code, out, err = run(capsys, "user", "remove", "fatima")
    assert code == 1 and "pass --yes" in err  # no terminal to confirm on
    assert "Removing fatima (Fatima B.)" in out and "anonymous counts" in out
    assert "fatima" in listed(capsys)

    code, out, err = run(capsys, "user", "remove", "fatima", "--yes")
    assert code == 0, err
    assert "Removed fatima." in out
    assert "fatima" not in listed(capsys)
    assert people.person_id_by_username(with_fatima, "fatima") is None


def test_export_writes_a_zip_for_someone_who_asks(
    capsys: pytest.CaptureFixture[str], with_fatima: Engine, tmp_path: Path
) -> None:
    target = tmp_path / "fatima.zip"
    code, out, err = run(capsys, "user", "export", "fatima", "-o", str(target))
    assert code == 0, err
    data = json.loads(zipfile.ZipFile(target).read("my-data.json"))
    assert data["profile"][0]["email"] == "fatima@example.org"


def test_retention_runs_once_a_day(
    capsys: pytest.CaptureFixture[str],
    initialised: Engine,  # noqa: F811
    time_machine: time_machine.TimeMachineFixture,
) -> None:
    time_machine.move_to(datetime(2026, 11, 29, 23, 59, tzinfo=UTC), tick=False)  # 00:59 on 30 November in Amsterdam
    code, out, _err = run(capsys, "retention")
    assert code == 0 and out.startswith("Deleted or anonymised: sign_in_attempts 0")
    code, out, _err = run(capsys, "retention")
    assert code == 0 and "already ran today" in out
    # 00:00 on 1 December in Amsterdam: a new day.
    time_machine.move_to(datetime(2026, 11, 30, 23, 0, tzinfo=UTC), tick=False)
    code, out, _err = run(capsys, "retention")
    assert code == 0 and out.startswith("Deleted or anonymised")
