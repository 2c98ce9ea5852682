"""Finding 6: a person never sees a traceback; they get a plain message with a reference that is in the server log."""

from __future__ import annotations

import logging
import re
import tomllib

import pytest

from db.models import Role
from monitor.config import PROJECT_ROOT
from monitor.ui import failure
from tests.pages.conftest import World

SHOW_UNEXPECTED = failure.show_unexpected  # as the app has it; tests/pages/conftest.py replaces it for the page tests


def test_streamlit_is_told_never_to_show_error_details() -> None:
    config = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))

    assert config["client"]["showErrorDetails"] == "none"


def test_an_unexpected_error_shows_a_reference_that_is_in_the_server_log(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    world.sign_in(world.person_in(Role.COPRODUCER))

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("field larger than field limit (131072) in /srv/monitor/monitor/requests/importing.py")

    world.monkeypatch.setattr("monitor.ui.guard.require", broken)
    world.monkeypatch.setattr(failure, "show_unexpected", SHOW_UNEXPECTED)  # the page tests raise instead
    with caplog.at_level(logging.ERROR, logger="monitor.errors"):
        at = world.app().run()

    assert not at.exception
    [shown] = [e.value for e in at.error]
    assert "Something went wrong on our side" in shown
    assert "/srv/" not in shown and "Traceback" not in shown
    reference = re.search(r"reference: ([0-9A-F]{8})", shown)
    assert reference is not None
    assert any(reference.group(1) in record.getMessage() and record.exc_info for record in caplog.records)


def test_a_database_that_refuses_changes_while_a_page_is_open_is_named_not_given_a_reference(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """Issue 32: the page's first save on a read-only database said "something went wrong" with a reference; it is
    the database, so the person is told the monitor is unavailable for a moment, and the log says why."""
    from sqlalchemy.exc import OperationalError

    from monitor.i18n import gettext_for
    from monitor.web.routes import UNAVAILABLE

    world.sign_in(world.person_in(Role.COPRODUCER))

    def read_only(*_args: object, **_kwargs: object) -> None:
        raise OperationalError("INSERT INTO help_requests ...", {}, Exception("attempt to write a readonly database"))

    world.monkeypatch.setattr("monitor.ui.guard.require", read_only)
    with caplog.at_level(logging.ERROR, logger="monitor.errors"):
        at = world.app().run()

    assert not at.exception
    [shown] = [e.value for e in at.error]
    assert shown in {gettext_for(language)(UNAVAILABLE) for language in ("nl", "en")}
    assert any("readonly database" in record.getMessage() for record in caplog.records)
