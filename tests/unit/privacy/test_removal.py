"""Someone leaves: after removal nothing of them remains but anonymous request counts and, for bookkeeping, the name
on their payments."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, String, Text, func, select

from db.engine import reading
from db.models import AuditEvent, Base, HelpRequest, Payment, Person
from monitor.config import Settings
from monitor.errors import PermissionDenied, ValidationError
from monitor.people import accounts
from monitor.people.access import SYSTEM
from monitor.privacy import removal
from monitor.privacy.removal import PLACEHOLDER_NAME
from tests.unit.privacy.builders import T0
from tests.unit.privacy.conftest import World


def _hits(engine: Engine, *words: str) -> list[tuple[str, str, object]]:
    """(table, column, value) of every text cell in the database that contains one of words, ignoring case."""
    found = []
    with reading(engine) as session:
        for table in Base.metadata.sorted_tables:
            for column in table.columns:
                if not isinstance(column.type, String | Text):
                    continue
                for word in words:
                    cells = session.execute(
                        select(table.c[column.name]).where(
                            func.lower(table.c[column.name]).contains(word.lower(), autoescape=True)
                        )
                    ).scalars()
                    found += [(table.name, column.name, value) for value in cells]
    return found


def _give_email(engine: Engine, username: str) -> str:
    from db.engine import unit_of_work

    address = f"{username}.mail@example.org"
    with unit_of_work(engine) as session:
        person = session.scalar(select(Person).where(Person.username == username))
        assert person is not None
        person.email = address
    return address


def test_after_removal_nothing_names_a_person_who_was_never_paid(engine: Engine, world: World) -> None:
    henk = world.team.other_coproducer
    email = _give_email(engine, "henk")
    assert _hits(engine, "henk", email)  # the search finds them before

    done = removal.remove_person(engine, world.team.admin, henk.person_id, now=T0)

    assert (done.requests, done.checkins, done.wellbeing_answers, done.payments) == (1, 1, 1, 0)
    assert _hits(engine, "henk", "Henk", email) == []
    with reading(engine) as session:
        assert session.get(Person, henk.person_id) is None
        placeholder = session.scalar(select(Person).where(Person.is_placeholder.is_(True)))
        assert placeholder is not None and placeholder.display_name == PLACEHOLDER_NAME
        kept = session.scalars(select(HelpRequest).where(HelpRequest.person_id == placeholder.id)).all()
        assert [(r.minutes, r.note, r.created_by, r.team_id) for r in kept] == [(45, None, None, world.team.id)]
        audit = session.scalar(select(AuditEvent.detail).where(AuditEvent.action == removal.REMOVED))
    assert audit == f"person #{henk.person_id}"


def test_a_paid_person_keeps_only_the_name_on_the_payments(engine: Engine, world: World) -> None:
    fatima = world.team.coproducer
    email = _give_email(engine, "fatima")

    done = removal.remove_person(engine, world.team.admin, fatima.person_id, now=T0)

    assert done.keeps_name
    # The name (the factory's display name is the username, capitalised) on the person's row and in the payment's
    # reference the leader wrote: both kept for bookkeeping. No username as such, no e-mail.
    assert _hits(engine, "fatima", email) == [
        ("people", "display_name", "Fatima"),
        ("payments", "reference", "allowance of fatima"),
    ]
    with reading(engine) as session:
        person = session.get(Person, fatima.person_id)
        assert person is not None
        assert (person.username, person.email, person.password_hash, person.active) == (
            f"removed-{fatima.person_id}",
            None,
            None,
            False,
        )
        assert person.removed_at == T0
        assert session.scalar(select(func.count()).select_from(Payment)) == 1
    # The other coproducer's data is untouched.
    assert ("help_requests", "note", "request note of henk") in _hits(engine, "henk")


def test_removed_people_are_not_listed_and_cannot_be_removed_twice(engine: Engine, world: World) -> None:
    fatima = world.team.coproducer
    removal.remove_person(engine, world.team.admin, fatima.person_id, now=T0)
    names = [row.username for row in accounts.list_people(engine, world.team.admin)]
    assert names == ["beheer", "henk", "lotte", "samira"]
    with pytest.raises(Exception, match="does not exist"):
        removal.remove_person(engine, world.team.admin, fatima.person_id, now=T0)


def test_only_an_administrator_removes_and_never_the_last_one_or_themselves(engine: Engine, world: World) -> None:
    team = world.team
    with pytest.raises(PermissionDenied):
        removal.remove_person(engine, team.leader, team.coproducer.person_id)
    with pytest.raises(ValidationError):
        removal.remove_person(engine, team.admin, team.admin.person_id)
    with pytest.raises(ValidationError, match="last administrator"):
        removal.remove_person(engine, SYSTEM, team.admin.person_id)


def test_the_plan_names_what_will_happen_and_changes_nothing(engine: Engine, world: World) -> None:
    fatima = world.team.coproducer
    plan = removal.plan(engine, world.team.admin, fatima.person_id)
    assert (plan.username, plan.requests, plan.checkins, plan.wellbeing_answers, plan.payments) == (
        "fatima",
        1,
        1,
        1,
        1,
    )
    assert _hits(engine, "request note of fatima")


def test_a_second_removal_reuses_the_placeholder(engine: Engine, world: World, settings: Settings) -> None:
    removal.remove_person(engine, world.team.admin, world.team.coproducer.person_id, now=T0)
    removal.remove_person(engine, world.team.admin, world.team.other_coproducer.person_id, now=T0 + timedelta(days=1))
    with reading(engine) as session:
        placeholders = session.scalars(select(Person.id).where(Person.is_placeholder.is_(True))).all()
        assert len(placeholders) == 1
        assert session.scalar(select(func.count()).where(HelpRequest.person_id == placeholders[0])) == 2
