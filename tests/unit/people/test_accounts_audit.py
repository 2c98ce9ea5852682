"""monitor.people.accounts: every change is audited with who did it, and a refused one is not."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from db.models import Role
from monitor.errors import ValidationError
from monitor.people import accounts as people
from monitor.people.access import SYSTEM, Actor
from tests.unit.people.accounts_helpers import PASSWORD, audit_trail, member

pytestmark = pytest.mark.usefixtures("fast_passwords")


# --- audit ---------------------------------------------------------------------------------------------


def test_every_change_by_an_administrator_is_audited_with_who_did_it(engine: Engine, admin: Actor) -> None:
    start = len(audit_trail(engine))
    team_id = people.create_team(engine, admin, "Transvaal")
    person_id = people.create_person(engine, admin, "henk", "Henk", PASSWORD)
    people.grant_role(engine, admin, person_id, team_id, Role.LEADER)
    people.revoke_role(engine, admin, person_id, team_id, Role.LEADER)
    people.set_password(engine, admin, person_id, "a fresh new password")
    people.set_active(engine, admin, person_id, False)
    people.set_active(engine, admin, person_id, True)

    assert audit_trail(engine)[start:] == [
        (admin.person_id, "team.create", "Transvaal"),
        (admin.person_id, "person.create", "henk"),
        (admin.person_id, "role.grant", f"henk leader team={team_id}"),
        (admin.person_id, "role.revoke", f"henk leader team={team_id}"),
        (admin.person_id, "person.password_set", "henk"),
        (admin.person_id, "person.disable", "henk"),
        (admin.person_id, "person.enable", "henk"),
    ]


def test_changing_ones_own_password_is_audited(engine: Engine, coproducer: Actor) -> None:
    start = len(audit_trail(engine))

    people.change_own_password(engine, coproducer, PASSWORD, "a fresh new password", keep_token=None)

    assert audit_trail(engine)[start:] == [(coproducer.person_id, "person.password_change", "fatima")]


def test_the_command_line_is_audited_as_the_system(engine: Engine) -> None:
    people.create_team(engine, SYSTEM, "Transvaal")

    assert audit_trail(engine) == [(None, "team.create", "Transvaal")]


def test_a_refused_or_unchanged_request_writes_no_audit_event(engine: Engine, admin: Actor, team: int) -> None:
    assert admin.person_id is not None
    henk = member(engine, "henk", Role.LEADER)
    start = len(audit_trail(engine))

    people.grant_role(engine, admin, henk, team, Role.LEADER)  # already held
    people.revoke_role(engine, admin, henk, team, Role.COUNSELLOR)  # never held
    with pytest.raises(ValidationError):
        people.revoke_role(engine, admin, admin.person_id, team, Role.ADMIN)
    with pytest.raises(ValidationError):
        people.create_team(engine, admin, "Moerwijk")

    assert audit_trail(engine)[start:] == []
