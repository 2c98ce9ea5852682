"""monitor.people.age: a person's month of birth, set by an administrator or their leader and seen by nobody else but
the person; under 18 and under 21 follow from it (issue 30). Migration 0016 moved it from the allowance agreement."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine, inspect, select, text

from db.engine import reading
from db.migrate import downgrade, upgrade
from db.models import AuditEvent, Person
from monitor.errors import PermissionDenied, ValidationError
from monitor.people import age
from monitor.privacy import export, removal
from tests.conftest import TEST_NOTES_KEY
from tests.unit.factories import Team, team

TODAY = date(2026, 11, 22)


@pytest.fixture
def moerwijk(engine: Engine) -> Team:
    return team(engine)


def test_the_birthday_is_the_first_day_of_the_birth_month() -> None:
    born = date(2008, 11, 1)
    assert age.turns(born, 18) == date(2026, 11, 1)
    assert (age.under(born, 18, date(2026, 10, 31)), age.under(born, 18, date(2026, 11, 1))) == (True, False)
    assert (age.age_on(born, date(2026, 10, 31)), age.age_on(born, date(2026, 11, 1))) == (17, 18)
    assert age.under(None, 18, TODAY) is False  # not known: never judged


@pytest.mark.parametrize("who", ["leader", "admin"])
def test_the_leader_or_an_administrator_sets_it_as_a_month(engine: Engine, moerwijk: Team, who: str) -> None:
    fatima = moerwijk.coproducer.person_id
    stored = age.set_birth_month(engine, getattr(moerwijk, who), fatima, date(2009, 5, 17), TODAY)
    assert stored == date(2009, 5, 1)
    assert age.birth_month(engine, moerwijk.coproducer, fatima) == date(2009, 5, 1)  # she sees her own
    with reading(engine) as session:
        [line] = session.scalars(select(AuditEvent).where(AuditEvent.action == age.SET)).all()
    assert line.detail == f"person #{fatima}"  # that it changed, never the month


def test_nobody_else_sees_or_sets_it(engine: Engine, moerwijk: Team) -> None:
    fatima = moerwijk.coproducer.person_id
    age.set_birth_month(engine, moerwijk.leader, fatima, date(2009, 5, 1), TODAY)
    with pytest.raises(PermissionDenied):
        age.birth_month(engine, moerwijk.other_coproducer, fatima)
    with pytest.raises(PermissionDenied):
        age.birth_month(engine, moerwijk.counsellor, fatima)
    for actor in (moerwijk.coproducer, moerwijk.other_coproducer, moerwijk.counsellor):
        with pytest.raises(PermissionDenied):
            age.set_birth_month(engine, actor, fatima, date(2000, 1, 1), TODAY)
    elsewhere = team(engine, "Laak", prefix="laak-")
    with pytest.raises(PermissionDenied):
        age.set_birth_month(engine, elsewhere.leader, fatima, date(2000, 1, 1), TODAY)
    with pytest.raises(PermissionDenied):  # a leader does not set their own
        age.set_birth_month(engine, moerwijk.leader, moerwijk.leader.person_id, date(1980, 1, 1), TODAY)
    assert age.birth_month(engine, moerwijk.leader, fatima) == date(2009, 5, 1)


@pytest.mark.parametrize("month", [date(2026, 12, 1), date(1926, 10, 1)])
def test_a_month_in_the_future_or_over_100_years_ago_is_refused(engine: Engine, moerwijk: Team, month: date) -> None:
    with pytest.raises(ValidationError):
        age.set_birth_month(engine, moerwijk.leader, moerwijk.coproducer.person_id, month, TODAY)


def test_the_export_holds_it_and_removal_forgets_it(engine: Engine, moerwijk: Team) -> None:
    fatima = moerwijk.coproducer.person_id
    age.set_birth_month(engine, moerwijk.leader, fatima, date(2009, 5, 1), TODAY)
    [profile] = export.collect(engine, moerwijk.coproducer, fatima, ["profile"])["profile"]
    assert profile["birth_month"] == date(2009, 5, 1)
    removal.remove_person(engine, moerwijk.admin, fatima, now=datetime(2026, 11, 22, 12, 0, tzinfo=UTC))
    with reading(engine) as session:
        assert session.scalar(select(Person.birth_month).where(Person.id == fatima)) is None


@pytest.fixture
def before_0016(engine: Engine) -> Iterator[Engine]:
    """The database at 0014 (before the month of birth), at head again afterwards."""
    downgrade(engine, "0014", keys=[TEST_NOTES_KEY])
    yield engine
    upgrade(engine, keys=[TEST_NOTES_KEY])


def test_the_migration_takes_the_month_of_birth_from_the_month_they_turn_21(before_0016: Engine) -> None:
    at = datetime(2026, 1, 5, tzinfo=UTC)
    with before_0016.begin() as connection:
        for person_id, name in ((1, "ahmed"), (2, "henk")):
            connection.execute(
                text(
                    "INSERT INTO people (id, username, display_name, language, active, created_at)"
                    " VALUES (:id, :name, :name, 'nl', true, :at)"
                ),
                {"id": person_id, "name": name, "at": at},
            )
        for person_id, valid_from, until in ((1, date(2025, 1, 1), date(2027, 3, 1)), (2, date(2025, 1, 1), None)):
            connection.execute(
                text(
                    "INSERT INTO allowance_agreements (person_id, valid_from, kind, amount_cents, under_21_until,"
                    " created_at) VALUES (:person, :valid_from, 'hourly', 340, :until, :at)"
                ),
                {"person": person_id, "valid_from": valid_from, "until": until, "at": at},
            )
    upgrade(before_0016, keys=[TEST_NOTES_KEY])
    with before_0016.connect() as connection:
        born = {
            pid: month and str(month)[:10]
            for pid, month in connection.execute(text("SELECT id, birth_month FROM people"))
        }
    assert born == {1: "2006-03-01", 2: None}  # turns 21 in March 2027: born in March 2006
    columns = {c["name"] for c in inspect(before_0016).get_columns("allowance_agreements")}
    assert "under_21_until" not in columns  # 0021: the age lives on the person only
    downgrade(before_0016, "0014", keys=[TEST_NOTES_KEY])
    with before_0016.connect() as connection:
        until = connection.execute(text("SELECT under_21_until FROM allowance_agreements WHERE person_id = 1")).scalar()
    assert str(until)[:10] == "2027-03-01"
