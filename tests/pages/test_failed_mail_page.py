"""The admin page lists e-mails that were not sent, with their count, and sends one again after a warning; a page
whose database is away says so kindly."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from db.engine import reading, unit_of_work
from db.models import Notification, Role
from monitor.i18n import gettext_for
from monitor.ui import guard
from monitor.web.routes import UNAVAILABLE
from tests.pages.conftest import World, by_label, texts


def test_the_admin_page_lists_failed_emails_and_sends_one_again(world: World) -> None:
    admin = world.person_in(Role.ADMIN)
    fatima = world.person_in(Role.COPRODUCER)
    with unit_of_work(world.engine) as session:
        session.add(
            Notification(
                key="k",
                person_id=fatima,
                kind="alert",
                message="m",
                email_status="failed",
                created_at=datetime(2026, 11, 25, 13, 0, tzinfo=UTC),
                email_error="mail server said no",
            )
        )
    world.sign_in(admin)
    at = world.app().run()
    at.switch_page("pages/admin.py").run()
    assert not at.exception, at.exception

    assert "E-mails not sent (1)" in texts(at.header)
    table = at.dataframe[-1].value
    assert list(table["Why"]) == ["mail server said no"]
    assert any("twice" in warning for warning in texts(at.warning))
    by_label(at.button, "Send again").click().run()
    assert not at.exception, at.exception
    assert "E-mails not sent (0)" in texts(at.header)  # the page reran after the success
    with reading(world.engine) as session:
        assert session.scalar(select(Notification.email_status)) == "pending"


def test_a_page_says_temporarily_unavailable_when_the_database_is_away(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.sign_in(world.person_in(Role.ADMIN))

    def away() -> None:
        raise OperationalError("SELECT 1", None, Exception("unable to open database file"))

    monkeypatch.setattr(guard, "current_actor", away)
    at = world.app("pages/admin.py").run()

    assert not at.exception, at.exception
    assert texts(at.error) == [gettext_for("nl")(UNAVAILABLE)] or texts(at.error) == [UNAVAILABLE]
    assert not at.title and not at.dataframe
