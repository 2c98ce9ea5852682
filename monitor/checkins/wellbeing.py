"""The WHO-5 wellbeing pulse: always optional, seen by the coproducer, by the counsellor only while the coproducer
allows it, never by leaders or administrators.

A wellbeing score is health data (GDPR article 9): skipping has no consequence, and no function here returns a score
to anyone but its owner, or to a counsellor of their team while their switch is on. A low or falling score opens a
check-in (monitor.checkins.opening) whose reason says so without the number.

The answers and the score are stored only encrypted, as one Fernet token with the keys of the counsellor's notes
(monitor/checkins/crypto.py), so a dump of the database holds no health data; `monitor rotate-notes` re-encrypts them
too. Whether a score prompts a check-in is decided here, when the answers come in, so no query needs a plain score.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from db.engine import reading, unit_of_work
from db.models import Membership, Role, WellbeingAnswer, WellbeingPreference
from monitor.checkins import crypto, opening, who5
from monitor.config import Settings
from monitor.errors import PermissionDenied
from monitor.i18n import N_
from monitor.people.access import Actor
from monitor.requests.log import coproducer_team


@dataclass(frozen=True)
class Score:
    answered_at: datetime
    score: int


@dataclass(frozen=True)
class Submitted:
    score: int
    prompted: bool  # a check-in was opened (or its reason added) because of this score


@dataclass(frozen=True)
class Answers:
    """One decrypted answer set: the five items (0-5) in the form's order, and the score (0-100)."""

    items: tuple[int, ...]
    score: int


def seal(answers: Sequence[int], score: int, keys: list[str] | None = None) -> str:
    """The answers and score as one Fernet token with the newest notes key (the only form they are stored in)."""
    return crypto.encrypt(json.dumps({"items": list(answers), "score": score}), keys)


def unseal(token: str, keys: list[str] | None = None) -> Answers:
    """The answers and score in a stored token; NotesKeyWrong when none of the keys opens it."""
    data = json.loads(crypto.decrypt(token, keys))
    return Answers(tuple(int(item) for item in data["items"]), int(data["score"]))


def _own(actor: Actor) -> int:
    if actor.person_id is None or actor.is_system or not actor.has_role(Role.COPRODUCER):
        raise PermissionDenied(N_("Only a coproducer answers the wellbeing questions, for themselves."))
    return actor.person_id


def _scores(session: Session, person_id: int, limit: int, keys: list[str] | None) -> list[Score]:
    rows = session.execute(
        select(WellbeingAnswer.answered_at, WellbeingAnswer.ciphertext)
        .where(WellbeingAnswer.person_id == person_id)
        .order_by(WellbeingAnswer.answered_at.desc(), WellbeingAnswer.id.desc())
        .limit(limit)
    ).all()
    return [Score(at, unseal(token, keys).score) for at, token in reversed(rows)]


def _last_answered(session: Session, person_id: int) -> datetime | None:
    return session.scalar(select(func.max(WellbeingAnswer.answered_at)).where(WellbeingAnswer.person_id == person_id))


def _preference(session: Session, person_id: int) -> WellbeingPreference:
    pref = session.get(WellbeingPreference, person_id)
    if pref is None:
        pref = WellbeingPreference(person_id=person_id, share_with_counsellor=False)
        session.add(pref)
    return pref


def submit(
    engine: Engine,
    settings: Settings,
    actor: Actor,
    answers: Sequence[int],
    now: datetime | None = None,
    keys: list[str] | None = None,
) -> Submitted:
    """Keep the coproducer's WHO-5 answers; a score at or under checkins.who5_low, or a drop of who5_drop, prompts."""
    person_id = _own(actor)
    score = who5.score(answers)
    ciphertext = seal(answers, score, keys)
    now = now or datetime.now(UTC)
    with unit_of_work(engine) as session:
        previous = _scores(session, person_id, 1, keys)
        session.add(WellbeingAnswer(person_id=person_id, answered_at=now, ciphertext=ciphertext))
        cfg = settings.checkins
        reason = who5.prompt_reason(score, previous[0].score if previous else None, cfg.who5_low, cfg.who5_drop)
        team_id = coproducer_team(session, person_id)
        if reason is None or team_id is None:
            return Submitted(score, False)
        opening.open_checkin(session, settings, person_id, team_id, reason, {}, now)
        return Submitted(score, True)


def my_scores(engine: Engine, actor: Actor, limit: int = 26, keys: list[str] | None = None) -> list[Score]:
    """The coproducer's own scores, oldest first (the last year at one every two weeks)."""
    person_id = _own(actor)
    with reading(engine) as session:
        return _scores(session, person_id, limit, keys)


def pulse_due(engine: Engine, settings: Settings, actor: Actor, now: datetime | None = None) -> bool:
    """Whether to offer the questions: no answer and no skip in the last checkins.pulse_days."""
    person_id = _own(actor)
    since = (now or datetime.now(UTC)) - timedelta(days=settings.checkins.pulse_days)
    with reading(engine) as session:
        last = _last_answered(session, person_id)
        pref = session.get(WellbeingPreference, person_id)
        skipped = pref.pulse_skipped_at if pref else None
    return not (last and last > since) and not (skipped and skipped > since)


def skip_pulse(engine: Engine, actor: Actor, now: datetime | None = None) -> None:
    """Not now: the questions come back after checkins.pulse_days. Nothing else follows from skipping."""
    person_id = _own(actor)
    with unit_of_work(engine) as session:
        _preference(session, person_id).pulse_skipped_at = now or datetime.now(UTC)


def sharing(engine: Engine, actor: Actor) -> bool:
    """Whether the coproducer lets the counsellor see their scores (off unless they turned it on)."""
    person_id = _own(actor)
    with reading(engine) as session:
        pref = session.get(WellbeingPreference, person_id)
        return bool(pref and pref.share_with_counsellor)


def set_sharing(engine: Engine, actor: Actor, share: bool, now: datetime | None = None) -> None:
    """The coproducer's switch; turning it off hides their scores from the counsellor at once."""
    person_id = _own(actor)
    with unit_of_work(engine) as session:
        pref = _preference(session, person_id)
        pref.share_with_counsellor = share
        pref.changed_at = now or datetime.now(UTC)


def shared_scores(
    engine: Engine, actor: Actor, person_id: int, limit: int = 26, keys: list[str] | None = None
) -> list[Score] | None:
    """A coproducer's scores for a counsellor of their team, or None while the coproducer does not share them."""
    with reading(engine) as session:
        teams = session.scalars(
            select(Membership.team_id).where(Membership.person_id == person_id, Membership.role == Role.COPRODUCER)
        ).all()
        if actor.is_system or not any(actor.has_role(Role.COUNSELLOR, team) for team in teams):
            raise PermissionDenied(N_("Only the coproducer and, if they allow it, their counsellor see these scores."))
        pref = session.get(WellbeingPreference, person_id)
        if not (pref and pref.share_with_counsellor):
            return None
        return _scores(session, person_id, limit, keys)


def rotate_all(engine: Engine, keys: list[str] | None = None) -> int:
    """Re-encrypt every stored answer set with the newest key (for `monitor rotate-notes`); returns how many."""
    cipher = crypto.cipher(keys)
    with unit_of_work(engine) as session:
        rows = session.scalars(select(WellbeingAnswer).with_for_update()).all()
        for row in rows:
            row.ciphertext = cipher.rotate(row.ciphertext.encode("ascii")).decode("ascii")
        return len(rows)
