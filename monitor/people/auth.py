"""Sign-in with lockout, and server-side sessions that end on idle time, lifetime, sign-out or a new password."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import Engine, and_, func, select, update
from sqlalchemy.orm import Session, selectinload

from db.engine import reading, unit_of_work
from db.models import AuthSession, Person, Role, SignInAttempt, utcnow
from monitor.config import AuthSettings
from monitor.people.access import Actor
from monitor.people.passwords import hash_password, needs_rehash, verify_password

MAX_DELAY_SECONDS = 10.0
# last_seen_at is written at most this often, so that Streamlit reruns do not write on every click.
TOUCH_EVERY = timedelta(seconds=60)
# A shared address (a community centre's wifi) carries many people: lock it only after many more failures.
ADDRESS_FACTOR = 4


class Outcome(StrEnum):
    SIGNED_IN = "signed_in"
    WRONG = "wrong"
    LOCKED = "locked"


@dataclass(frozen=True)
class SignInResult:
    outcome: Outcome
    token: str | None = None
    person_id: int | None = None
    delay_seconds: float = 0.0
    locked_until: datetime | None = None


def token_id(token: str) -> str:
    """Sessions are stored under a hash of their token: a copy of the table signs nobody in."""
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_username(username: str) -> str:
    return username.strip().lower()


def _failures(  # type: ignore[no-untyped-def]
    session: Session, column, value: str, since: datetime, reset_on_success: bool = True
) -> tuple[int, datetime | None]:
    """Failed attempts for value since `since`; for an account, only those after its last success.

    An address is not reset by a success: otherwise someone on a shared network could sign in with their own account
    between guesses at someone else's and never reach the address lock.
    """
    last_success = None
    if reset_on_success:
        last_success = session.scalar(
            select(func.max(SignInAttempt.attempted_at)).where(
                column == value, SignInAttempt.succeeded.is_(True), SignInAttempt.attempted_at >= since
            )
        )
    start = max(since, last_success) if last_success else since
    count, latest = session.execute(
        select(func.count(), func.max(SignInAttempt.attempted_at)).where(
            column == value, SignInAttempt.succeeded.is_(False), SignInAttempt.attempted_at > start
        )
    ).one()
    return count, latest


def _lock_state(
    session: Session, cfg: AuthSettings, username: str, address: str, now: datetime
) -> tuple[int, datetime | None]:
    """How many recent failures count against this attempt, and until when it is locked (if it is)."""
    since = now - timedelta(minutes=cfg.failure_window_minutes)
    user_count, user_latest = _failures(session, SignInAttempt.username, username, since)
    addr_count, addr_latest = _failures(session, SignInAttempt.address, address, since, reset_on_success=False)
    locked_until = None
    if user_count >= cfg.lock_after_failures and user_latest:
        locked_until = user_latest + timedelta(minutes=cfg.lockout_minutes)
    if addr_count >= cfg.lock_after_failures * ADDRESS_FACTOR and addr_latest:
        until = addr_latest + timedelta(minutes=cfg.lockout_minutes)
        locked_until = max(locked_until, until) if locked_until else until
    if locked_until and locked_until <= now:
        locked_until = None
    return user_count, locked_until


def _delay(cfg: AuthSettings, failures: int) -> float:
    over = failures - cfg.slow_after_failures + 1
    return min(MAX_DELAY_SECONDS, cfg.slowdown_seconds * over) if over > 0 else 0.0


def sign_in(
    engine: Engine,
    cfg: AuthSettings,
    username: str,
    password: str,
    address: str,
    now: datetime | None = None,
) -> SignInResult:
    """Check a username and password; on success open a session and return its token.

    The caller waits delay_seconds before answering, so that guessing slows down; attempts made
    while locked are not checked at all (and do not extend the lock).
    """
    now = now or utcnow()
    username = normalise_username(username)[:64]
    address = (address or "unknown")[:64]
    with unit_of_work(engine) as session:
        failures, locked_until = _lock_state(session, cfg, username, address, now)
        if locked_until:
            return SignInResult(Outcome.LOCKED, locked_until=locked_until)
        person = session.scalar(select(Person).where(Person.username == username))
        ok = verify_password(person.password_hash if person else None, password)
        ok = ok and person is not None and person.active
        session.add(SignInAttempt(username=username, address=address, attempted_at=now, succeeded=ok))
        if not ok or person is None:
            failures += 1
            locked = failures >= cfg.lock_after_failures
            until = now + timedelta(minutes=cfg.lockout_minutes) if locked else None
            return SignInResult(Outcome.WRONG, delay_seconds=_delay(cfg, failures), locked_until=until)
        if person.password_hash and needs_rehash(person.password_hash):
            person.password_hash = hash_password(password)
        token = _open_session(session, person.id, address, now)
        return SignInResult(Outcome.SIGNED_IN, token=token, person_id=person.id)


def _open_session(session: Session, person_id: int, address: str | None, now: datetime) -> str:
    token = secrets.token_urlsafe(32)
    session.add(AuthSession(id=token_id(token), person_id=person_id, created_at=now, last_seen_at=now, address=address))
    return token


def open_session(engine: Engine, person_id: int, address: str | None = None, now: datetime | None = None) -> str:
    """Open a session for someone already identified (OIDC, tests); returns the cookie token."""
    with unit_of_work(engine) as session:
        return _open_session(session, person_id, address, now or utcnow())


def _load_actor(person: Person) -> Actor:
    return Actor(
        person_id=person.id,
        username=person.username,
        display_name=person.display_name,
        language=person.language,
        memberships=frozenset((m.team_id, Role(m.role)) for m in person.memberships),
    )


def actor_for_person(engine: Engine, person_id: int) -> Actor | None:
    with reading(engine) as session:
        person = session.scalar(select(Person).options(selectinload(Person.memberships)).where(Person.id == person_id))
        return _load_actor(person) if person and person.active else None


def actor_for_email(engine: Engine, email: str) -> Actor | None:
    """The person an identity provider's e-mail address maps to (OIDC sign-in), if any."""
    with reading(engine) as session:
        person = session.scalar(
            select(Person)
            .options(selectinload(Person.memberships))
            .where(func.lower(Person.email) == email.strip().lower())
        )
        return _load_actor(person) if person and person.active else None


def resume(engine: Engine, cfg: AuthSettings, token: str | None, now: datetime | None = None) -> Actor | None:
    """The person a session token belongs to, or None if it is unknown, ended or expired."""
    if not token:
        return None
    now = now or utcnow()
    sid = token_id(token)
    with reading(engine) as session:
        row = session.get(AuthSession, sid)
        if row is None or row.ended_at is not None:
            return None
        reason = None
        if now - row.created_at >= timedelta(hours=cfg.absolute_hours):
            reason = "lifetime"
        elif now - row.last_seen_at >= timedelta(minutes=cfg.idle_minutes):
            reason = "idle"
        stale = now - row.last_seen_at >= TOUCH_EVERY
        person_id = row.person_id
    if reason:
        _end(engine, [AuthSession.id == sid], now, reason)
        return None
    if stale:
        with unit_of_work(engine) as session:
            session.execute(
                update(AuthSession)
                .where(AuthSession.id == sid, AuthSession.ended_at.is_(None))
                .values(last_seen_at=now)
            )
    return actor_for_person(engine, person_id)


def _end(engine: Engine, where: list, now: datetime, reason: str) -> int:  # type: ignore[type-arg]
    with unit_of_work(engine) as session:
        result = session.execute(
            update(AuthSession)
            .where(and_(*where), AuthSession.ended_at.is_(None))
            .values(ended_at=now, ended_reason=reason)
        )
        return result.rowcount or 0


def sign_out(engine: Engine, token: str | None, now: datetime | None = None) -> None:
    """End the session on the server; the cookie that still holds the token is worthless from now on."""
    if token:
        _end(engine, [AuthSession.id == token_id(token)], now or utcnow(), "signed_out")


def end_sessions_of(
    engine: Engine, person_id: int, reason: str, keep_token: str | None = None, now: datetime | None = None
) -> int:
    """End every open session of a person, except keep_token's (the one changing the password)."""
    where = [AuthSession.person_id == person_id]
    if keep_token:
        where.append(AuthSession.id != token_id(keep_token))
    return _end(engine, where, now or utcnow(), reason)


def purge_attempts(engine: Engine, older_than: timedelta = timedelta(days=30)) -> int:
    """Sign-in attempts hold addresses: keep them no longer than needed."""
    from sqlalchemy import delete

    with unit_of_work(engine) as session:
        result = session.execute(delete(SignInAttempt).where(SignInAttempt.attempted_at < utcnow() - older_than))
        return result.rowcount or 0
