"""deploy/install.sh, read as an operator would follow it (issue 32): its dry run prints every command in order, and
the steps agree with the systemd units and the nginx site in deploy/: the user exists before anything names it, the
folder, the checkout and the virtual environment the units run from are made first, every unit file it installs is in
deploy/ (and every one there is installed), the ports nginx lists are the app processes it starts. The README shows
the script."""

from __future__ import annotations

import configparser
import re
import shlex
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "deploy" / "install.sh"
PORTS = ("8501", "8502", "8503")


def dry_run(*options: str) -> tuple[list[str], list[list[str]]]:
    """The step titles and the commands (as argument lists) of a dry run, in order."""
    result = subprocess.run(
        ["bash", str(SCRIPT), "--dry-run", "--ports", ",".join(PORTS), "--server-name", "monitor.wijk.nl", *options],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    steps = [line[3:] for line in result.stdout.splitlines() if line.startswith("== ")]
    commands = [shlex.split(line[2:]) for line in result.stdout.splitlines() if line.startswith("+ ")]
    return steps, commands


@pytest.fixture(scope="module")
def commands() -> list[list[str]]:
    return dry_run()[1]


def first(commands: list[list[str]], word: str, *more: str) -> int:
    """The index of the first command that starts with word (and has each of more among its arguments)."""
    for index, command in enumerate(commands):
        if command[0] == word and all(m in command for m in more):
            return index
    raise AssertionError(f"no command {word} {' '.join(more)} in the dry run")


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(ROOT / "deploy" / "systemd" / name)
    return parser


UNIT_FILES = sorted(path.name for path in (ROOT / "deploy" / "systemd").glob("*.service"))


def test_the_dry_run_changes_nothing_and_names_each_step_in_order() -> None:
    there_before = Path("/opt/monitor").exists(), Path("/etc/monitor").exists()
    steps, _commands = dry_run()
    assert (Path("/opt/monitor").exists(), Path("/etc/monitor").exists()) == there_before
    words = ["host needs", "user monitor", "folder /opt/monitor", "Check out", "virtual environment", "secrets"]
    words += ["migrations", "systemd units", "nginx site"]
    assert len(steps) == len(words)
    for step, word in zip(steps, words, strict=True):
        assert word in step


def test_the_user_exists_before_anything_names_it(commands: list[list[str]]) -> None:
    created = first(commands, "useradd")
    user = commands[created][-1]
    naming = [i for i, command in enumerate(commands) if user in command and i != created]
    assert naming and min(naming) > created
    assert all(unit(name)["Service"]["User"] == user == unit(name)["Service"]["Group"] for name in UNIT_FILES)
    assert created < first(commands, "install", "-m", "0644"), "the user exists before the units that name it"


@pytest.mark.parametrize("name", UNIT_FILES)
def test_the_paths_in_each_unit_are_made_by_the_steps_before_it_starts(commands: list[list[str]], name: str) -> None:
    service = unit(name)["Service"]
    folder = first(commands, "install", "-d", service["WorkingDirectory"])
    clone = first(commands, "runuser", "clone", service["WorkingDirectory"])
    program = shlex.split(service["ExecStart"])[0]
    venv = next(i for i, c in enumerate(commands) if c[-3:-1] == ["-m", "venv"] and program.startswith(c[-1] + "/"))
    installed = next(i for i, c in enumerate(commands) if c[-2:] == ["-e", service["WorkingDirectory"]])
    environment = first(commands, "install", service["EnvironmentFile"])
    migrated = next(i for i, c in enumerate(commands) if "migrate" in " ".join(c))
    started = first(commands, "systemctl", "enable")
    assert folder < clone < venv < installed < environment < migrated < started
    assert program.removeprefix(commands[venv][-1]) in {"/bin/streamlit", "/bin/monitor"}, program


def test_every_unit_in_deploy_is_installed_and_every_one_started_is_there(commands: list[list[str]]) -> None:
    copied = commands[first(commands, "install", "-m", "0644")]
    sources = [Path(argument) for argument in copied[3:-1]]
    assert sorted(path.name for path in sources) == UNIT_FILES
    assert all(str(path).startswith("/opt/monitor/deploy/systemd/") for path in sources)
    assert copied[-1].rstrip("/") == "/etc/systemd/system"
    reload = first(commands, "systemctl", "daemon-reload")
    enable = first(commands, "systemctl", "enable")
    assert first(commands, "install", "-m", "0644") < reload < enable
    for started in commands[enable][3:]:
        template = re.sub(r"@[^.]*", "@", started.removesuffix(".service")) + ".service"
        assert template in UNIT_FILES, started


def test_nginx_lists_the_app_processes_that_are_started(commands: list[list[str]]) -> None:
    enabled = commands[first(commands, "systemctl", "enable")]
    started = {name.split("@")[1] for name in enabled if "monitor-app@" in name}
    assert started == set(PORTS)
    site = subprocess.run(
        ["bash", str(SCRIPT), "--render-site", "--ports", ",".join(PORTS), "--server-name", "monitor.wijk.nl"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert set(re.findall(r"(?m)^\s*server 127\.0\.0\.1:(\d+) ", site)) == set(PORTS)
    assert re.findall(r"server_name ([^;]+);", site) == ["monitor.wijk.nl", "monitor.wijk.nl"]
    assert "/etc/letsencrypt/live/monitor.wijk.nl/fullchain.pem" in site
    shipped = (ROOT / "deploy" / "nginx" / "monitor.conf").read_text()
    changed = re.compile(r"server 127\.0\.0\.1:|server_name |ssl_certificate")
    assert [line for line in site.splitlines() if not changed.search(line)] == [
        line for line in shipped.splitlines() if not changed.search(line)
    ], "only the host's name, certificate and ports change"
    link = first(commands, "ln", "/etc/nginx/sites-available/monitor")
    assert first(commands, "systemctl", "enable") < link < first(commands, "nginx", "-t")
    assert first(commands, "nginx", "-t") < first(commands, "systemctl", "reload", "nginx")


def test_a_bad_port_or_name_is_refused_before_any_step() -> None:
    for options in (["--ports", "80"], ["--ports", "8501;rm"], ["--server-name", "a b"]):
        result = subprocess.run(
            ["bash", str(SCRIPT), "--dry-run", *options], capture_output=True, text=True, timeout=60, check=False
        )
        assert result.returncode == 2 and "==" not in result.stdout and "install.sh:" in result.stderr


def test_the_readme_shows_the_script_and_the_test_files_named_in_deploy_exist() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "sudo deploy/install.sh" in readme and "deploy/install.sh --dry-run" in readme
    for path in (ROOT / "deploy").rglob("*"):
        if path.is_file():
            for named in re.findall(r"tests/[\w/]+\.py", path.read_text()):
                assert (ROOT / named).exists(), f"{path.name} names {named}, which does not exist"
