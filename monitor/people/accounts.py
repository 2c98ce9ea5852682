"""Teams, people and their roles: what an administrator manages, and what each person changes of their own."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, selectinload

from db.engine import reading, unit_of_work
from db.models import AuditEvent, Membership, Person, Role, Team, utcnow
from monitor.config import AuthSettings
from monitor.errors import NotFound, ValidationError
from monitor.i18n import N_, Np_
from monitor.people import auth, security_log
from monitor.people.access import Actor, require_admin, require_self_or_admin
from monitor.people.passwords import hash_password, verify_password

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
LANGUAGES = ("nl", "en")


@dataclass(frozen=True)
class TeamRow:
    id: int
    name: str
    members: int


@dataclass(frozen=True)
class PersonRow:
    id: int
    username: str
    display_name: str
    email: str | None
    language: str
    active: bool
    roles: tuple[tuple[str, Role], ...]  # (team name, role)


def _audit(session: Session, actor: Actor, action: str, detail: str) -> None:
    session.add(AuditEvent(actor_id=actor.person_id, action=action, detail=detail))


def _person(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(N_("This person does not exist (any more)."))
    return person


# --- teams ---------------------------------------------------------------------------------------------


def list_teams(engine: Engine, actor: Actor) -> list[TeamRow]:
    require_admin(actor)
    with reading(engine) as session:
        rows = session.execute(
            select(Team.id, Team.name, func.count(func.distinct(Membership.person_id)))
            .outerjoin(Membership, Membership.team_id == Team.id)
            .group_by(Team.id, Team.name)
            .order_by(Team.name)
        ).all()
    return [TeamRow(id=r[0], name=r[1], members=r[2]) for r in rows]


def create_team(engine: Engine, actor: Actor, name: str) -> int:
    require_admin(actor)
    name = name.strip()
    if not 2 <= len(name) <= 100:
        raise ValidationError(N_("A team name needs 2 to 100 characters."))
    with unit_of_work(engine) as session:
        if session.scalar(select(Team.id).where(func.lower(Team.name) == name.lower())):
            raise ValidationError(N_("There is already a team called {name}."), name=name)
        team = Team(name=name)
        session.add(team)
        session.flush()
        _audit(session, actor, "team.create", name)
        return team.id


def team_id_by_name(engine: Engine, name: str) -> int | None:
    with reading(engine) as session:
        return session.scalar(select(Team.id).where(func.lower(Team.name) == name.strip().lower()))


# --- people --------------------------------------------------------------------------------------------


def list_people(engine: Engine, actor: Actor) -> list[PersonRow]:
    require_admin(actor)
    with reading(engine) as session:
        people = session.scalars(
            select(Person)
            .options(selectinload(Person.memberships).selectinload(Membership.team))
            # Removed people (kept only for the payments) and the anonymous placeholder are nobody to manage.
            .where(Person.removed_at.is_(None), Person.is_placeholder.is_(False))
            .order_by(Person.display_name)
        ).all()
        return [
            PersonRow(
                id=p.id,
                username=p.username,
                display_name=p.display_name,
                email=p.email,
                language=p.language,
                active=p.active,
                roles=tuple(sorted((m.team.name, Role(m.role)) for m in p.memberships)),
            )
            for p in people
        ]


def check_username(username: str) -> str:
    username = auth.normalise_username(username)
    if not USERNAME.match(username):
        raise ValidationError(
            N_(
                "A username needs 3 to 64 characters: small letters, digits, dot, dash or underscore, "
                "starting with a letter or digit. For example: fatima.b"
            )
        )
    return username


def create_person(
    engine: Engine,
    actor: Actor,
    username: str,
    display_name: str,
    password: str | None,
    language: str = "nl",
    email: str | None = None,
    must_change: bool = True,
) -> int:
    """Add a person who can sign in. A password is needed unless they sign in through the identity provider.

    A password chosen by someone else must be changed at the first sign-in (must_change; only the demo says False).
    """
    require_admin(actor)
    username = check_username(username)
    display_name = display_name.strip()
    if not 1 <= len(display_name) <= 100:
        raise ValidationError(N_("Give a name to show, of at most 100 characters."))
    if language not in LANGUAGES:
        raise ValidationError(N_("Choose a language: {choices}."), choices=", ".join(LANGUAGES))
    email = (email or "").strip().lower() or None
    if email and ("@" not in email or len(email) > 254):
        raise ValidationError(N_("This does not look like an e-mail address: {email}"), email=email)
    password_hash = hash_password(password, (username, display_name)) if password else None
    with unit_of_work(engine) as session:
        if session.scalar(select(Person.id).where(Person.username == username)):
            raise ValidationError(N_("The username {username} is taken. Choose another."), username=username)
        if email and session.scalar(select(Person.id).where(Person.email == email)):
            raise ValidationError(N_("Someone already has the e-mail address {email}."), email=email)
        person = Person(
            username=username,
            display_name=display_name,
            password_hash=password_hash,
            language=language,
            email=email,
            password_changed_at=utcnow() if password_hash else None,
            must_change_password=bool(password_hash) and must_change,
        )
        session.add(person)
        session.flush()
        _audit(session, actor, "person.create", username)
        return person.id


def person_id_by_username(engine: Engine, username: str) -> int | None:
    with reading(engine) as session:
        return session.scalar(select(Person.id).where(Person.username == auth.normalise_username(username)))


def grant_role(engine: Engine, actor: Actor, person_id: int, team_id: int, role: Role) -> None:
    require_admin(actor)
    role = Role(role)
    with unit_of_work(engine) as session:
        person = _person(session, person_id)
        if session.get(Team, team_id) is None:
            raise NotFound(N_("This team does not exist (any more)."))
        exists = session.scalar(
            select(Membership.id).where(
                Membership.person_id == person_id, Membership.team_id == team_id, Membership.role == role.value
            )
        )
        if not exists:
            session.add(Membership(person_id=person_id, team_id=team_id, role=role.value))
            _audit(session, actor, "role.grant", f"{person.username} {role.value} team={team_id}")


def revoke_role(engine: Engine, actor: Actor, person_id: int, team_id: int, role: Role) -> None:
    require_admin(actor)
    role = Role(role)
    with unit_of_work(engine) as session:
        person = _person(session, person_id)
        membership = session.scalar(
            select(Membership).where(
                Membership.person_id == person_id, Membership.team_id == team_id, Membership.role == role.value
            )
        )
        if membership is None:
            return
        # Refuse only when this takes away the last active administrator: revoking a disabled person's
        # admin role, or one of several admin memberships of the same person, leaves the count as it is.
        stays_admin = any(m.role == Role.ADMIN.value and m.id != membership.id for m in person.memberships)
        if role == Role.ADMIN and person.active and not stays_admin and _admin_count(session) <= 1:
            raise ValidationError(N_("This is the last administrator. Make someone else administrator first."))
        session.delete(membership)
        _audit(session, actor, "role.revoke", f"{person.username} {role.value} team={team_id}")


def active_admin_ids(session: Session) -> list[int]:
    """The ids of everyone who is an administrator now, with an active account, in order (for messages to them)."""
    return sorted(
        session.scalars(
            select(Membership.person_id)
            .join(Person, Person.id == Membership.person_id)
            .where(Membership.role == Role.ADMIN.value, Person.active.is_(True))
            .distinct()
        ).all()
    )


def _admin_count(session: Session) -> int:
    return (
        session.scalar(
            select(func.count(func.distinct(Membership.person_id)))
            .join(Person, Person.id == Membership.person_id)
            .where(Membership.role == Role.ADMIN.value, Person.active.is_(True))
        )
        or 0
    )


def set_active(engine: Engine, actor: Actor, person_id: int, active: bool) -> None:
    """Disable (or enable again) an account. Disabling ends the person's sessions at once."""
    require_admin(actor)
    if not active and actor.person_id == person_id:
        raise ValidationError(N_("You cannot disable your own account."))
    with unit_of_work(engine) as session:
        person = _person(session, person_id)
        is_admin = any(m.role == Role.ADMIN.value for m in person.memberships)
        if not active and is_admin and person.active and _admin_count(session) <= 1:
            raise ValidationError(N_("This is the last administrator. Make someone else administrator first."))
        person.active = active
        _audit(session, actor, "person.enable" if active else "person.disable", person.username)
    if not active:
        auth.end_sessions_of(engine, person_id, "disabled")


def set_password(engine: Engine, actor: Actor, person_id: int, new_password: str) -> None:
    """An administrator sets someone's password; all of that person's sessions end, and they must change it."""
    require_admin(actor)
    with unit_of_work(engine) as session:
        person = _person(session, person_id)
        person.password_hash = hash_password(new_password, (person.username, person.display_name))
        person.password_changed_at = utcnow()
        person.must_change_password = True
        auth.forget_devices(session, person.id)
        _audit(session, actor, "person.password_set", person.username)
    auth.end_sessions_of(engine, person_id, "password")


def change_own_password(
    engine: Engine,
    actor: Actor,
    current_password: str,
    new_password: str,
    keep_token: str | None,
    cfg: AuthSettings | None = None,
    address: str = "",
    now: datetime | None = None,
) -> None:
    """A person changes their own password; their other sessions (other phones, other browsers) end.

    A wrong current password counts as a failed sign-in for the account (throttled the same way), so an open tab
    cannot be used to guess it.
    """
    if actor.person_id is None:
        raise ValidationError(N_("Only a person can change a password."))
    cfg = cfg or AuthSettings()
    wait = auth.account_wait(engine, cfg, actor.username, device_token=None, now=now)
    if wait:
        raise ValidationError(
            Np_(
                "Too many wrong passwords. Wait {n} second and try again.",
                "Too many wrong passwords. Wait {n} seconds and try again.",
            ),
            n=int(wait) + 1,
        )
    new_hash = hash_password(new_password, (actor.username, actor.display_name))
    with unit_of_work(engine) as session:
        person = _person(session, actor.person_id)
        if not verify_password(person.password_hash, current_password):
            auth.record_failure(session, actor.username, address, now or utcnow(), "password_change_failed")
            wrong = True
        else:
            wrong = False
            person.password_hash = new_hash
            person.password_changed_at = utcnow()
            person.must_change_password = False
            auth.forget_devices(session, person.id)
            security_log.record(session, "password_changed", person.id, person.username, address)
            _audit(session, actor, "person.password_change", person.username)
    if wrong:
        raise ValidationError(N_("Your current password is not right. Nothing was changed."))
    auth.end_sessions_of(engine, actor.person_id, "password", keep_token=keep_token)


def set_language(engine: Engine, actor: Actor, person_id: int, language: str) -> None:
    require_self_or_admin(actor, person_id)
    if language not in LANGUAGES:
        raise ValidationError(N_("Choose a language: {choices}."), choices=", ".join(LANGUAGES))
    with unit_of_work(engine) as session:
        _person(session, person_id).language = language
