"""monitor.messages.inbox: a person sees, counts and marks only their own notifications, in their own language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from db.engine import reading, unit_of_work
from db.models import Notification
from monitor.config import Settings
from monitor.errors import NotFound, PermissionDenied
from monitor.i18n import gettext_for
from monitor.messages import inbox, notify
from monitor.people import accounts as people
from monitor.people import auth
from monitor.people.access import SYSTEM
from tests.unit import factories

pytestmark = pytest.mark.usefixtures("fast_passwords")

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def add(engine: Engine, settings: Settings, person_id: int, key: str, at: datetime, **params: object) -> None:
    message = params.pop("message", "note {name}")  # not a msgid, so the same in every language
    with unit_of_work(engine) as session:
        notify.add(session, settings, person_id, key, "alert", str(message), dict(params), link="my-week", now=at)


@pytest.fixture
def team(engine: Engine) -> factories.Team:
    return factories.team(engine)


def test_a_person_lists_only_their_own_notifications_newest_first(
    engine: Engine, settings: Settings, team: factories.Team
) -> None:
    me, other = team.coproducer, team.other_coproducer
    add(engine, settings, me.person_id, "a", T0, name="first")
    add(engine, settings, other.person_id, "b", T0 + timedelta(minutes=1), name="not mine")
    add(engine, settings, me.person_id, "c", T0 + timedelta(minutes=2), name="second")

    items = inbox.list_notifications(engine, me)

    assert [item.text for item in items] == ["note second", "note first"]
    assert all(not item.read and item.link == "my-week" for item in items)
    assert [item.text for item in inbox.list_notifications(engine, other)] == ["note not mine"]


def test_the_text_is_in_the_readers_language_with_numbers_formatted(
    engine: Engine, settings: Settings, team: factories.Team
) -> None:
    me = team.coproducer
    people.set_language(engine, SYSTEM, me.person_id, "nl")
    message = "A password needs at least {n} characters. A short sentence is easy to remember."
    add(engine, settings, me.person_id, "a", T0, message=message, n=9.5)
    dutch = auth.actor_for_person(engine, me.person_id)
    assert dutch is not None and dutch.language == "nl"

    (item,) = inbox.list_notifications(engine, dutch)

    expected = gettext_for("nl")(message).format(n="9,5")
    assert expected != message.format(n=9.5), "the Dutch catalog translates this msgid"
    assert item.text == expected


def test_titles_and_nested_messages_are_translated_and_unknown_placeholders_do_not_break_it() -> None:
    params = {
        "title": "Mental health",
        "lines": [{"msgid": "Open alerts: {n}.", "params": {"n": 3}}, {"msgid": "{missing} stays"}],
    }

    text = inbox.render("Signed in as {title}\n{lines}", params, "nl")

    nl = gettext_for("nl")
    assert nl("Mental health") != "Mental health"
    assert text == "\n".join(
        [
            "Signed in as " + nl("Mental health"),
            nl("Open alerts: {n}.").format(n=3),
            "{missing} stays",
        ]
    )


def test_unread_count_and_unread_only(engine: Engine, settings: Settings, team: factories.Team) -> None:
    me = team.coproducer
    for index in range(3):
        add(engine, settings, me.person_id, f"k{index}", T0 + timedelta(minutes=index), name=str(index))
    add(engine, settings, team.leader.person_id, "leader", T0, name="leader")
    assert inbox.unread_count(engine, me) == 3

    first = inbox.list_notifications(engine, me)[-1]
    inbox.mark_read(engine, me, first.id, now=T0 + timedelta(hours=1))

    assert inbox.unread_count(engine, me) == 2
    assert first.id not in [item.id for item in inbox.list_notifications(engine, me, unread_only=True)]
    assert [item.read for item in inbox.list_notifications(engine, me)] == [False, False, True]
    assert inbox.unread_count(engine, team.leader) == 1
    assert len(inbox.list_notifications(engine, me, limit=2)) == 2


def test_marking_read_twice_keeps_the_first_time(engine: Engine, settings: Settings, team: factories.Team) -> None:
    me = team.coproducer
    add(engine, settings, me.person_id, "a", T0)
    (item,) = inbox.list_notifications(engine, me)

    inbox.mark_read(engine, me, item.id, now=T0 + timedelta(hours=1))
    inbox.mark_read(engine, me, item.id, now=T0 + timedelta(hours=2))

    with reading(engine) as session:
        assert session.scalar(select(Notification.read_at).where(Notification.id == item.id)) == T0 + timedelta(hours=1)


def test_nobody_marks_someone_elses_notification(engine: Engine, settings: Settings, team: factories.Team) -> None:
    add(engine, settings, team.coproducer.person_id, "a", T0)
    (item,) = inbox.list_notifications(engine, team.coproducer)

    with pytest.raises(PermissionDenied):
        inbox.mark_read(engine, team.leader, item.id)
    with pytest.raises(PermissionDenied):
        inbox.mark_read(engine, team.admin, item.id)
    with pytest.raises(NotFound):
        inbox.mark_read(engine, team.coproducer, item.id + 1000)

    assert inbox.unread_count(engine, team.coproducer) == 1


def test_mark_all_read_touches_only_the_actors_own(engine: Engine, settings: Settings, team: factories.Team) -> None:
    for index in range(2):
        add(engine, settings, team.coproducer.person_id, f"mine{index}", T0)
    add(engine, settings, team.leader.person_id, "theirs", T0)

    assert inbox.mark_all_read(engine, team.coproducer) == 2

    assert inbox.unread_count(engine, team.coproducer) == 0
    assert inbox.unread_count(engine, team.leader) == 1
    assert inbox.mark_all_read(engine, team.coproducer) == 0


def test_the_command_line_has_no_inbox(engine: Engine) -> None:
    with pytest.raises(PermissionDenied):
        inbox.list_notifications(engine, SYSTEM)
    with pytest.raises(PermissionDenied):
        inbox.unread_count(engine, SYSTEM)
