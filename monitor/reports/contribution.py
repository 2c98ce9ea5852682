"""The contribution report's figures, added up in SQL over the (team, local date) index. No names, no free text.

Every breakdown (kind of problem, level, how people were approached, referrals) is counted per coproducer in SQL and
then merged: a row with fewer than [reports] min_group coproducers behind it goes into "other", so no one person's
work can be picked out. A report over fewer coproducers than that is not given at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, case, func, select

from db.engine import reading
from db.models import HelpRequest, RequestTopic, Role, Team
from monitor.config import Settings
from monitor.errors import PermissionDenied, ValidationError
from monitor.i18n import N_
from monitor.people.access import Actor
from monitor.reports.periods import Period
from monitor.requests.vocab import CHANNELS, LEVELS, REFERRALS

OTHER = "other"
NOT_RECORDED = "not_recorded"
BREAKDOWNS = ("topic", "level", "channel", "referral")


@dataclass(frozen=True)
class Row:
    key: str  # a code of monitor.requests.vocab, "other" (merged small groups) or "not_recorded"
    requests: int
    minutes: int
    coproducers: int


@dataclass(frozen=True)
class Totals:
    requests: int
    minutes: int
    coproducers: int
    outside_hours: int
    night: int

    @property
    def hours(self) -> float:
        return self.minutes / 60

    def share(self, part: int) -> float:
        return part / self.requests if self.requests else 0.0


@dataclass(frozen=True)
class Report:
    period: Period
    team_ids: tuple[int, ...]
    team_names: tuple[str, ...]
    totals: Totals
    previous: Totals | None  # None when the period before had fewer than min_group coproducers
    breakdowns: dict[str, list[Row]]  # topic, level, channel, referral -> rows, largest first, "other" last
    min_group: int


def report_teams(engine: Engine, actor: Actor) -> list[tuple[int, str]]:
    """The teams actor may report on: every team for an administrator, the teams they lead for a leader."""
    if not (actor.is_admin or actor.teams_with(Role.LEADER)):
        raise PermissionDenied(N_("Only project leaders and administrators can see the contribution report."))
    with reading(engine) as session:
        query = select(Team.id, Team.name).order_by(Team.name)
        if not actor.is_admin:
            query = query.where(Team.id.in_(actor.teams_with(Role.LEADER)))
        return [(row.id, row.name) for row in session.execute(query)]


def _scope(engine: Engine, actor: Actor, team_id: int | None) -> list[tuple[int, str]]:
    allowed = report_teams(engine, actor)
    if team_id is None:
        return allowed
    chosen = [team for team in allowed if team[0] == team_id]
    if not chosen:
        raise PermissionDenied(N_("You can only report on the teams you lead."))
    return chosen


def _where(team_ids: list[int], period: Period) -> list[Any]:
    return [
        HelpRequest.team_id.in_(team_ids),
        HelpRequest.local_date >= period.start,
        HelpRequest.local_date <= period.end,
        HelpRequest.deleted_at.is_(None),
    ]


# The codes each breakdown counts, read from one pass over the period (see _per_person_wide).
_COLUMNS = {"channel": HelpRequest.channel, "level": HelpRequest.level, "referral": HelpRequest.referred_to}
_KEYS = {
    "channel": CHANNELS,
    "level": (*LEVELS, NOT_RECORDED),
    "referral": tuple(code for code in REFERRALS if code != "none"),  # only requests passed on to someone
}


def _is(breakdown: str, key: str) -> Any:
    column = _COLUMNS[breakdown]
    return column.is_(None) if key == NOT_RECORDED else column == key


def _per_person_wide(session, team_ids: list[int], period: Period) -> tuple[Totals, dict[str, list[Any]]]:  # type: ignore[no-untyped-def]
    """The totals and the channel, level and referral breakdowns per coproducer in one scan of the period.

    One row per coproducer with a count and a sum of minutes per code (conditional aggregation), so a year of a
    city is read once instead of once per breakdown.
    """
    columns: list[Any] = [
        HelpRequest.person_id,
        func.count(),
        func.sum(HelpRequest.minutes),
        func.sum(case((HelpRequest.outside_hours, 1), else_=0)),
        func.sum(case((HelpRequest.is_night, 1), else_=0)),
    ]
    layout: list[tuple[str, str]] = []
    for breakdown, keys in _KEYS.items():
        for key in keys:
            columns.append(func.sum(case((_is(breakdown, key), 1), else_=0)))
            columns.append(func.sum(case((_is(breakdown, key), HelpRequest.minutes), else_=0)))
            layout.append((breakdown, key))
    rows = session.execute(select(*columns).where(*_where(team_ids, period)).group_by(HelpRequest.person_id)).all()
    totals = [0, 0, 0, 0, 0]
    per_person: dict[str, list[Any]] = {breakdown: [] for breakdown in _KEYS}
    for row in rows:
        person = row[0]
        totals = [
            totals[0] + int(row[1]),
            totals[1] + int(row[2] or 0),
            totals[2] + 1,
            totals[3] + int(row[3] or 0),
            totals[4] + int(row[4] or 0),
        ]
        for index, (breakdown, key) in enumerate(layout):
            count = int(row[5 + 2 * index] or 0)
            if count:
                per_person[breakdown].append((key, person, count, int(row[6 + 2 * index] or 0)))
    requests, minutes, coproducers, outside, night = totals
    return Totals(requests, minutes, coproducers, outside, night), per_person


def _totals(session, team_ids: list[int], period: Period) -> Totals:  # type: ignore[no-untyped-def]
    row = session.execute(
        select(
            func.count(HelpRequest.id),
            func.coalesce(func.sum(HelpRequest.minutes), 0),
            func.count(HelpRequest.person_id.distinct()),
            func.coalesce(func.sum(case((HelpRequest.outside_hours, 1), else_=0)), 0),
            func.coalesce(func.sum(case((HelpRequest.is_night, 1), else_=0)), 0),
        ).where(*_where(team_ids, period))
    ).one()
    return Totals(*(int(value) for value in row))


def _per_person_topics(session, team_ids: list[int], period: Period) -> list[Any]:  # type: ignore[no-untyped-def]
    """(topic, person, requests, minutes) rows: a request about two kinds of problem counts for both."""
    return session.execute(
        select(RequestTopic.topic, HelpRequest.person_id, func.count(), func.sum(HelpRequest.minutes))
        .join(RequestTopic, RequestTopic.request_id == HelpRequest.id)
        .where(*_where(team_ids, period))
        .group_by(RequestTopic.topic, HelpRequest.person_id)
    ).all()


def merge_small_groups(
    rows: list[Any], min_group: int, recount: Callable[[list[str]], tuple[int, int]] | None = None
) -> list[Row]:
    """Sum (key, person, requests, minutes) rows per key; keys with fewer than min_group people go into "other".

    If "other" itself has fewer than min_group people it is left out, so a small group cannot be worked out either.
    recount gives (requests, minutes) of the merged keys together where one request can have several keys (kinds of
    problem), so that "other" counts such a request once.
    """
    per_key: dict[str, tuple[int, int, set[int]]] = {}
    for key, person, count, minutes in rows:
        requests, total, people = per_key.get(key, (0, 0, set()))
        per_key[key] = (requests + int(count), total + int(minutes or 0), people | {person})
    kept: list[Row] = []
    other_requests, other_minutes, other_people, merged = 0, 0, set(), []
    for key, (requests, minutes, people) in per_key.items():
        if key != OTHER and len(people) >= min_group:
            kept.append(Row(key, requests, minutes, len(people)))
        else:
            other_requests += requests
            other_minutes += minutes
            other_people |= people
            merged.append(key)
    kept.sort(key=lambda row: (-row.requests, row.key))
    if other_people and len(other_people) >= min_group:
        if recount is not None and len(merged) > 1:
            other_requests, other_minutes = recount(sorted(merged))
        kept.append(Row(OTHER, other_requests, other_minutes, len(other_people)))
    return kept


def _recount_topics(session, team_ids: list[int], period: Period) -> Callable[[list[str]], tuple[int, int]]:  # type: ignore[no-untyped-def]
    def recount(topics: list[str]) -> tuple[int, int]:
        about = select(RequestTopic.request_id).where(RequestTopic.topic.in_(topics))
        row = session.execute(
            select(func.count(), func.coalesce(func.sum(HelpRequest.minutes), 0)).where(
                *_where(team_ids, period), HelpRequest.id.in_(about)
            )
        ).one()
        return int(row[0]), int(row[1])

    return recount


def contribution(
    engine: Engine, settings: Settings, actor: Actor, period: Period, team_id: int | None = None
) -> Report:
    """The report for one team, or all teams actor may see (team_id None). Refused for fewer than min_group people."""
    teams = _scope(engine, actor, team_id)
    team_ids = [team for team, _name in teams]
    min_group = settings.reports.min_group
    with reading(engine) as session:
        totals, per_person = _per_person_wide(session, team_ids, period)
        if totals.coproducers < min_group:
            raise ValidationError(
                N_(
                    "Fewer than {count} coproducers logged requests in this period, so the report is not shown: "
                    "their work could be recognised. Choose a longer period or all teams."
                ),
                count=min_group,
            )
        previous: Totals | None = _totals(session, team_ids, period.previous())
        if previous is not None and previous.coproducers < min_group:
            previous = None
        per_person["topic"] = _per_person_topics(session, team_ids, period)
        recount = {"topic": _recount_topics(session, team_ids, period)}
        breakdowns = {name: merge_small_groups(per_person[name], min_group, recount.get(name)) for name in BREAKDOWNS}
    return Report(
        period=period,
        team_ids=tuple(team_ids),
        team_names=tuple(name for _team, name in teams),
        totals=totals,
        previous=previous,
        breakdowns=breakdowns,
        min_group=min_group,
    )


def change(current: float, previous: float) -> float | None:
    """The relative change against the previous period (0.25 = 25% more); None when there was nothing before."""
    return (current - previous) / previous if previous else None
