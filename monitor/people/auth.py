"""Sign-in that slows guessing down without locking anyone out, and server-side sessions that end on idle time,
lifetime, sign-out or a new password."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import Engine, and_, bindparam, delete, func, select, update
from sqlalchemy.orm import Session, selectinload

from db.engine import reading, unit_of_work
from db.models import AuthSession, KnownDevice, Membership, Person, Role, SignInAttempt, utcnow
from monitor.config import AuthSettings
from monitor.people import security_log
from monitor.people.access import Actor, require_admin
from monitor.people.passwords import needs_rehash, rehash, verify_password

# Per address, failures only slow the answer down (by at most this long), never refuse it: a shared address (a
# community centre's wifi, or a proxy that is not in [auth] trusted_proxies) carries many people.
MAX_ADDRESS_DELAY_SECONDS = 10.0
# last_seen_at is written at most this often, so that Streamlit reruns do not write on every click.
TOUCH_EVERY = timedelta(seconds=60)
# An address is slowed down only after this many times the failures that slow an account.
ADDRESS_FACTOR = 4


class Outcome(StrEnum):
    SIGNED_IN = "signed_in"
    WRONG = "wrong"
    THROTTLED = "throttled"


@dataclass(frozen=True)
class SignInResult:
    outcome: Outcome
    token: str | None = None
    person_id: int | None = None
    delay_seconds: float = 0.0
    retry_after_seconds: float = 0.0
    device_token: str | None = None  # a new known-device cookie to set, after a success from a new browser


@dataclass(frozen=True)
class SlowedAccount:
    username: str
    failures: int
    until: datetime


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
    between guesses at someone else's and never be slowed down.
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


def account_delay(cfg: AuthSettings, failures: int) -> float:
    """The wait after an account's latest failure: slowdown_seconds, doubling per failure, at most max_delay."""
    over = failures - cfg.slow_after_failures
    if over < 0:
        return 0.0
    return min(cfg.max_delay_seconds, cfg.slowdown_seconds * 2 ** min(over, 30))


def _address_delay(cfg: AuthSettings, failures: int) -> float:
    over = failures - cfg.slow_after_failures * ADDRESS_FACTOR + 1
    return min(MAX_ADDRESS_DELAY_SECONDS, cfg.slowdown_seconds * over) if over > 0 else 0.0


def _known_device(session: Session, cfg: AuthSettings, device_token: str | None, username: str, now: datetime) -> bool:
    """Whether this browser signed in to this account within known_device_days (its device cookie is ours, names the
    account, and the server has not forgotten it: a cookie kept longer, or copied, counts for nothing)."""
    if not device_token:
        return False
    owner = session.scalar(
        select(Person.username)
        .join(KnownDevice, KnownDevice.person_id == Person.id)
        .where(
            KnownDevice.id == token_id(device_token),
            KnownDevice.created_at > now - timedelta(days=cfg.known_device_days),
        )
    )
    return owner == username


def forget_devices(session: Session, person_id: int) -> None:
    """A new password starts afresh: no browser of the person's skips the wait any more until it signs in again."""
    session.execute(delete(KnownDevice).where(KnownDevice.person_id == person_id))


def _account_wait(session: Session, cfg: AuthSettings, username: str, device_token: str | None, now: datetime) -> float:
    if _known_device(session, cfg, device_token, username, now):
        return 0.0
    since = now - timedelta(minutes=cfg.failure_window_minutes)
    count, latest = _failures(session, SignInAttempt.username, username, since)
    if not latest:
        return 0.0
    until = latest + timedelta(seconds=account_delay(cfg, count))
    return max(0.0, (until - now).total_seconds())


def account_wait(
    engine: Engine, cfg: AuthSettings, username: str, device_token: str | None = None, now: datetime | None = None
) -> float:
    """Seconds before the account takes another password (0: now); a known device does not wait."""
    with reading(engine) as session:
        return _account_wait(session, cfg, normalise_username(username), device_token, now or utcnow())


def record_failure(session: Session, username: str, address: str, now: datetime, kind: str) -> None:
    """Count a wrong password (at sign-in or when changing it) against the account and the address, and log it."""
    username = normalise_username(username)[:64]
    address = (address or "unknown")[:64]
    session.add(SignInAttempt(username=username, address=address, attempted_at=now, succeeded=False))
    person_id = session.scalar(select(Person.id).where(Person.username == username))
    security_log.record(session, kind, person_id, username, address, at=now)


def sign_in(
    engine: Engine,
    cfg: AuthSettings,
    username: str,
    password: str,
    address: str,
    now: datetime | None = None,
    device_token: str | None = None,
) -> SignInResult:
    """Check a username and password; on success open a session and return its token.

    Throttle, don't lock out: after slow_after_failures failures an account takes the next password only after a
    wait that doubles per failure (at most max_delay_seconds); attempts during the wait are not checked and do not
    count. A browser that signed in to the account before (device_token) never waits, so a neighbour guessing from
    elsewhere cannot keep the person out. Per address the answer only comes slower (delay_seconds), never refused.
    Unknown and known usernames get the same answers.
    """
    now = now or utcnow()
    username = normalise_username(username)[:64]
    address = (address or "unknown")[:64]
    with unit_of_work(engine) as session:
        wait = _account_wait(session, cfg, username, device_token, now)
        if wait > 0:
            person_id = session.scalar(select(Person.id).where(Person.username == username))
            security_log.record(session, "sign_in_throttled", person_id, username, address, at=now)
            return SignInResult(Outcome.THROTTLED, retry_after_seconds=wait)
        since = now - timedelta(minutes=cfg.failure_window_minutes)
        addr_count, _latest = _failures(session, SignInAttempt.address, address, since, reset_on_success=False)
        person = session.scalar(select(Person).where(Person.username == username))
        ok = verify_password(person.password_hash if person else None, password)
        ok = ok and person is not None and person.active
        if not ok or person is None:
            record_failure(session, username, address, now, "sign_in_failed")
            return SignInResult(Outcome.WRONG, delay_seconds=_address_delay(cfg, addr_count + 1))
        session.add(SignInAttempt(username=username, address=address, attempted_at=now, succeeded=True))
        if person.password_hash and needs_rehash(person.password_hash):
            person.password_hash = rehash(password)
        token = _open_session(session, person.id, address, now)
        new_device = None
        if not _known_device(session, cfg, device_token, username, now):
            new_device = secrets.token_urlsafe(32)
            session.add(KnownDevice(id=token_id(new_device), person_id=person.id, created_at=now))
        security_log.record(session, "signed_in", person.id, username, address, at=now)
        return SignInResult(Outcome.SIGNED_IN, token=token, person_id=person.id, device_token=new_device)


def slowed_accounts(
    engine: Engine, actor: Actor, cfg: AuthSettings, now: datetime | None = None
) -> list[SlowedAccount]:
    """Accounts that wait before taking a password now (typed usernames, so also names that do not exist)."""
    require_admin(actor)
    now = now or utcnow()
    since = now - timedelta(minutes=cfg.failure_window_minutes)
    with reading(engine) as session:
        names = session.scalars(
            select(SignInAttempt.username)
            .where(SignInAttempt.succeeded.is_(False), SignInAttempt.attempted_at > since)
            .group_by(SignInAttempt.username)
            .having(func.count() >= cfg.slow_after_failures)
        ).all()
        slowed = []
        for name in names:
            count, latest = _failures(session, SignInAttempt.username, name, since)
            until = latest + timedelta(seconds=account_delay(cfg, count)) if latest else now
            if count >= cfg.slow_after_failures:
                slowed.append(SlowedAccount(name, count, until))
        return sorted(slowed, key=lambda row: row.username)


def unlock(engine: Engine, actor: Actor, username: str, address: str = "") -> int:
    """Clear an account's failed sign-ins, so that it takes a password at once; returns how many were cleared."""
    require_admin(actor)
    username = normalise_username(username)
    with unit_of_work(engine) as session:
        result = session.execute(
            delete(SignInAttempt).where(SignInAttempt.username == username, SignInAttempt.succeeded.is_(False))
        )
        security_log.record(session, "unlocked", actor.person_id, username, address, "by administrator")
        return result.rowcount or 0


def must_change_password(engine: Engine, person_id: int) -> bool:
    """Whether the person still signs in with a password someone else chose (they must pick their own first)."""
    with reading(engine) as session:
        return bool(session.scalar(select(Person.must_change_password).where(Person.id == person_id)))


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


# Read on every run of every page (home.py resumes the session, a button's callback too): one prebuilt statement for
# the session, its person and their memberships, instead of three ORM loads in two transactions.
_SESSION_PERSON = (
    select(
        AuthSession.created_at,
        AuthSession.last_seen_at,
        AuthSession.ended_at,
        Person.id,
        Person.username,
        Person.display_name,
        Person.language,
        Person.active,
        Membership.team_id,
        Membership.role,
    )
    .join(Person, Person.id == AuthSession.person_id)
    .outerjoin(Membership, Membership.person_id == Person.id)
    .where(AuthSession.id == bindparam("sid"))
)


def resume(engine: Engine, cfg: AuthSettings, token: str | None, now: datetime | None = None) -> Actor | None:
    """The person a session token belongs to, or None if it is unknown, ended or expired."""
    if not token:
        return None
    now = now or utcnow()
    sid = token_id(token)
    with reading(engine) as session:
        rows = session.connection().execute(_SESSION_PERSON, {"sid": sid}).all()
    if not rows or rows[0].ended_at is not None:
        return None
    row = rows[0]
    reason = None
    if now - row.created_at >= timedelta(hours=cfg.absolute_hours):
        reason = "lifetime"
    elif now - row.last_seen_at >= timedelta(minutes=cfg.idle_minutes):
        reason = "idle"
    if reason:
        _end(engine, [AuthSession.id == sid], now, reason)
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        with unit_of_work(engine) as session:
            session.execute(
                update(AuthSession)
                .where(AuthSession.id == sid, AuthSession.ended_at.is_(None))
                .values(last_seen_at=now)
            )
    if not row.active:
        return None
    return Actor(
        person_id=row.id,
        username=row.username,
        display_name=row.display_name,
        language=row.language,
        memberships=frozenset((r.team_id, Role(r.role)) for r in rows if r.team_id is not None),
    )


def _end(engine: Engine, where: list, now: datetime, reason: str) -> int:  # type: ignore[type-arg]
    with unit_of_work(engine) as session:
        result = session.execute(
            update(AuthSession)
            .where(and_(*where), AuthSession.ended_at.is_(None))
            .values(ended_at=now, ended_reason=reason)
        )
        return result.rowcount or 0


def sign_out(engine: Engine, token: str | None, now: datetime | None = None, address: str = "") -> None:
    """End the session on the server; the cookie that still holds the token is worthless from now on."""
    if not token:
        return
    now = now or utcnow()
    sid = token_id(token)
    with unit_of_work(engine) as session:
        row = session.get(AuthSession, sid)
        if row is None or row.ended_at is not None:
            return
        row.ended_at, row.ended_reason = now, "signed_out"
        username = session.scalar(select(Person.username).where(Person.id == row.person_id)) or ""
        security_log.record(session, "signed_out", row.person_id, username, address, at=now)


def end_sessions_of(
    engine: Engine, person_id: int, reason: str, keep_token: str | None = None, now: datetime | None = None
) -> int:
    """End every open session of a person, except keep_token's (the one changing the password)."""
    where = [AuthSession.person_id == person_id]
    if keep_token:
        where.append(AuthSession.id != token_id(keep_token))
    ended = _end(engine, where, now or utcnow(), reason)
    if ended:
        with unit_of_work(engine) as session:
            username = session.scalar(select(Person.username).where(Person.id == person_id)) or ""
            security_log.record(session, "sessions_ended", person_id, username, detail=f"{reason}: {ended}")
    return ended
