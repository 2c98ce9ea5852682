"""Rounds of the check-up: a leader opens and closes one for a team; coproducers and leaders answer in the app,
partner professionals through a one-time private link. Answers are kept only as counts per statement and score
(checkup_tallies), apart from who answered, and results show only for a closed round with at least [reports]
min_group answers (least_answers).

Why results wait for the round to close: if they showed while answers still came in, a leader could compare the
results before and after one person answered and read that person's answers from the difference.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, case, func, insert, select, tuple_, update

from db.engine import reading, unit_of_work
from db.models import (
    CheckupInvite,
    CheckupParticipant,
    CheckupRound,
    CheckupTally,
    Role,
)
from monitor.checkup.scoring import Scores, from_item_scores
from monitor.checkup.statements import ITEMS, SCALE
from monitor.config import Settings
from monitor.config import settings as current_settings
from monitor.errors import NotFound, PermissionDenied, ValidationError
from monitor.i18n import N_
from monitor.people.access import Actor

MIN_RESPONDENTS = 3  # the least ever, whatever [reports] min_group says: fewer answers could be traced to a person
MAX_INVITES = 50
ANSWERING_ROLES = (Role.COPRODUCER, Role.LEADER)


@dataclass(frozen=True)
class RoundView:
    id: int
    team_id: int
    opened_at: datetime
    closed_at: datetime | None
    respondents: int

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


@dataclass(frozen=True)
class Results:
    round: RoundView
    scores: Scores | None  # None while the round is open or fewer than least_answers answered
    previous: Scores | None  # the team's previous closed round with enough answers, to compare with


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _require_leader(actor: Actor, team_id: int) -> None:
    if not actor.has_role(Role.LEADER, team_id):
        raise PermissionDenied(N_("Only the team's project leader can do this."))


def _may_answer(actor: Actor, team_id: int) -> bool:
    return not actor.is_system and any(actor.has_role(role, team_id) for role in ANSWERING_ROLES)


def _view(session, row: CheckupRound) -> RoundView:  # type: ignore[no-untyped-def]
    # Every set of answers holds every statement, so the first statement's counts add up to the respondents.
    count = session.scalar(
        select(func.sum(CheckupTally.count)).where(CheckupTally.round_id == row.id, CheckupTally.item == ITEMS[0])
    )
    return RoundView(row.id, row.team_id, row.opened_at, row.closed_at, int(count or 0))


def _round(session, round_id: int) -> CheckupRound:  # type: ignore[no-untyped-def]
    row = session.get(CheckupRound, round_id)
    if row is None:
        raise NotFound(N_("This check-up round does not exist."))
    return row


def open_round(engine: Engine, actor: Actor, team_id: int, now: datetime | None = None) -> int:
    """Open a new round for team_id; a team has at most one open round."""
    _require_leader(actor, team_id)
    with unit_of_work(engine) as session:
        already = session.scalar(
            select(CheckupRound.id).where(CheckupRound.team_id == team_id, CheckupRound.closed_at.is_(None))
        )
        if already is not None:
            raise ValidationError(N_("This team already has an open check-up round. Close it first."))
        row = CheckupRound(team_id=team_id, opened_at=_now(now), opened_by=actor.person_id)
        session.add(row)
        session.flush()
        # Every count at once, in a fixed order: the order the rows were written says nothing about any answer.
        session.execute(
            insert(CheckupTally),
            [{"round_id": row.id, "item": item, "score": score, "count": 0} for item in ITEMS for score in SCALE],
        )
        return row.id


def close_round(engine: Engine, actor: Actor, round_id: int, now: datetime | None = None) -> None:
    with unit_of_work(engine) as session:
        row = _round(session, round_id)
        _require_leader(actor, row.team_id)
        if row.closed_at is None:
            row.closed_at = _now(now)
            session.execute(update(CheckupInvite).where(CheckupInvite.round_id == round_id).values(used=True))


def rounds(engine: Engine, actor: Actor, team_id: int) -> list[RoundView]:
    """The team's rounds, newest first, with how many answered (never who)."""
    _require_leader(actor, team_id)
    with reading(engine) as session:
        rows = session.scalars(
            select(CheckupRound).where(CheckupRound.team_id == team_id).order_by(CheckupRound.opened_at.desc())
        ).all()
        return [_view(session, row) for row in rows]


def rounds_to_answer(engine: Engine, actor: Actor) -> list[RoundView]:
    """Open rounds in actor's teams that actor has not answered yet."""
    team_ids = {team for team, role in actor.memberships if role in ANSWERING_ROLES}
    if not team_ids or actor.is_system:
        return []
    with reading(engine) as session:
        answered = select(CheckupParticipant.round_id).where(CheckupParticipant.person_id == actor.person_id)
        rows = session.scalars(
            select(CheckupRound)
            .where(
                CheckupRound.team_id.in_(team_ids),
                CheckupRound.closed_at.is_(None),
                CheckupRound.id.not_in(answered),
            )
            .order_by(CheckupRound.opened_at)
        ).all()
        return [_view(session, row) for row in rows]


def _check_answers(answers: Mapping[int, int]) -> dict[int, int]:
    missing = [item for item in ITEMS if item not in answers]
    if missing:
        raise ValidationError(
            N_("Answer every statement; still open: {numbers}."), numbers=", ".join(str(i) for i in missing)
        )
    if set(answers) - set(ITEMS) or any(answers[item] not in SCALE for item in ITEMS):
        raise ValidationError(N_("An answer is not on the scale. Choose one of the five answers."))
    return {item: int(answers[item]) for item in ITEMS}


def _store(session, round_id: int, answers: dict[int, int]) -> None:  # type: ignore[no-untyped-def]
    """Count answers into the round's tallies; no row of one person's answers is written.

    One UPDATE touches all of the round's counts (adding 1 to the answers given, 0 to the rest): had it touched only
    the 26 it raises, PostgreSQL's row versions (xmin) would show which ones the person who answered last gave.
    """
    given = [(item, score) for item, score in answers.items()]
    session.execute(
        update(CheckupTally)
        .where(CheckupTally.round_id == round_id)
        .values(count=CheckupTally.count + case((tuple_(CheckupTally.item, CheckupTally.score).in_(given), 1), else_=0))
    )


def answer(engine: Engine, actor: Actor, round_id: int, answers: Mapping[int, int]) -> None:
    """Save actor's answers to an open round of their team, once; who answered is kept apart from what (counts)."""
    checked = _check_answers(answers)
    with unit_of_work(engine) as session:
        row = _round(session, round_id)
        if not _may_answer(actor, row.team_id):
            raise PermissionDenied(N_("Only the team's coproducers and leaders answer this check-up."))
        if row.closed_at is not None:
            raise ValidationError(N_("This check-up round is closed."))
        if session.get(CheckupParticipant, (round_id, actor.person_id)) is not None:
            raise ValidationError(N_("You already answered this round. Thank you!"))
        session.add(CheckupParticipant(round_id=round_id, person_id=actor.person_id))
        _store(session, round_id, checked)


def make_invites(engine: Engine, actor: Actor, round_id: int, count: int, language: str) -> list[str]:
    """count one-time secrets for partner professionals; shown once, only their hashes are kept."""
    if not 1 <= count <= MAX_INVITES:
        raise ValidationError(N_("Make between 1 and {most} links at a time."), most=MAX_INVITES)
    tokens = [secrets.token_urlsafe(24) for _ in range(count)]
    with unit_of_work(engine) as session:
        row = _round(session, round_id)
        _require_leader(actor, row.team_id)
        if row.closed_at is not None:
            raise ValidationError(N_("This check-up round is closed."))
        session.add_all(
            CheckupInvite(round_id=round_id, token_hash=_token_hash(t), language=language, used=False) for t in tokens
        )
    return tokens


def _open_invite(session, token: str) -> tuple[int, str] | None:  # type: ignore[no-untyped-def]
    row = session.execute(
        select(CheckupInvite.round_id, CheckupInvite.language)
        .join(CheckupRound, CheckupRound.id == CheckupInvite.round_id)
        .where(
            CheckupInvite.token_hash == _token_hash(token),
            CheckupInvite.used.is_(False),
            CheckupRound.closed_at.is_(None),
        )
    ).first()
    return (row[0], row[1]) if row else None


def invite(engine: Engine, token: str) -> tuple[int, str] | None:
    """(round id, language) of an unused link to an open round, else None."""
    with reading(engine) as session:
        return _open_invite(session, token)


def answer_by_invite(engine: Engine, token: str, answers: Mapping[int, int]) -> bool:
    """Save a partner's answers and use up the link; False when the link is unknown, used or its round closed."""
    checked = _check_answers(answers)
    with unit_of_work(engine) as session:
        found = _open_invite(session, token)
        if found is None:
            return False
        # One conditional update claims the link, so a double submit or two tabs save one response.
        claimed = session.execute(
            update(CheckupInvite)
            .where(CheckupInvite.token_hash == _token_hash(token), CheckupInvite.used.is_(False))
            .values(used=True)
        ).rowcount
        if claimed != 1:
            return False
        _store(session, found[0], checked)
    return True


def _scores(session, round_id: int, respondents: int) -> Scores:  # type: ignore[no-untyped-def]
    totals = session.execute(
        select(CheckupTally.item, func.sum(CheckupTally.score * CheckupTally.count), func.sum(CheckupTally.count))
        .where(CheckupTally.round_id == round_id)
        .group_by(CheckupTally.item)
    ).all()
    means = {int(item): int(total) / int(count) for item, total, count in totals if count}
    return from_item_scores(respondents, means)


def least_answers(settings: Settings | None = None) -> int:
    """How many must answer before a round's results show: [reports] min_group, the disclosure rule of every figure
    shown to more than one person (monitor/reports/disclosure.py), and never fewer than MIN_RESPONDENTS."""
    return max(MIN_RESPONDENTS, (settings or current_settings()).reports.min_group)


def results(engine: Engine, actor: Actor, round_id: int, settings: Settings | None = None) -> Results:
    """A round's scores for its team's leaders and coproducers: only closed, with at least least_answers answers."""
    least = least_answers(settings)

    def _visible(view: RoundView) -> bool:
        return not view.is_open and view.respondents >= least

    with reading(engine) as session:
        row = _round(session, round_id)
        if not _may_answer(actor, row.team_id):
            raise PermissionDenied(N_("Only the team's coproducers and leaders see the check-up results."))
        view = _view(session, row)
        scores = _scores(session, row.id, view.respondents) if _visible(view) else None
        previous = None
        earlier = session.scalars(
            select(CheckupRound)
            .where(
                CheckupRound.team_id == row.team_id,
                CheckupRound.opened_at < row.opened_at,
                CheckupRound.closed_at.is_not(None),
            )
            .order_by(CheckupRound.opened_at.desc())
        ).all()
        for other in earlier:
            other_view = _view(session, other)
            if _visible(other_view):
                previous = _scores(session, other.id, other_view.respondents)
                break
    return Results(round=view, scores=scores, previous=previous)


def closed_rounds(engine: Engine, actor: Actor) -> list[RoundView]:
    """Closed rounds of actor's teams (for coproducers and leaders to look at the results), newest first."""
    team_ids = {team for team, role in actor.memberships if role in ANSWERING_ROLES}
    if not team_ids:
        return []
    with reading(engine) as session:
        rows = session.scalars(
            select(CheckupRound)
            .where(CheckupRound.team_id.in_(team_ids), CheckupRound.closed_at.is_not(None))
            .order_by(CheckupRound.opened_at.desc())
        ).all()
        return [_view(session, row) for row in rows]
