"""An organisation's own wording of the 26 statements, from a TOML file named in config.toml."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.checkup.statements import ITEMS, STATEMENTS, read_wording, wording
from monitor.config import ConfigError, parse
from monitor.i18n import gettext_for


def write(path: Path, language: str, count: int = 26) -> Path:
    lines = [f"[{language}]"] + [f'{item} = "Eigen stelling {item}"' for item in ITEMS[:count]]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_an_organisations_file_replaces_the_wording_of_its_languages_only(tmp_path: Path) -> None:
    own = write(tmp_path / "own.toml", "nl")
    dutch = wording(str(own), "nl", gettext_for("nl"))
    assert dutch[4] == "Eigen stelling 4" and len(dutch) == 26
    assert wording(str(own), "en", gettext_for("en"))[4] == STATEMENTS[4]  # English: ours
    assert wording("", "en", gettext_for("en"))[1] == STATEMENTS[1]


def test_a_file_without_every_statement_is_refused_naming_what_is_missing(tmp_path: Path) -> None:
    short = write(tmp_path / "short.toml", "nl", count=24)
    with pytest.raises(ValueError, match="25, 26"):
        read_wording(str(short))


def test_config_refuses_a_statements_file_that_is_not_there(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="checkup.statements_file"):
        parse({"checkup": {"statements_file": str(tmp_path / "nowhere.toml")}}, "test", env={})
    settings = parse({"checkup": {"statements_file": str(write(tmp_path / "own.toml", "nl"))}}, "test", env={})
    assert settings.checkup.statements_file.endswith("own.toml")
