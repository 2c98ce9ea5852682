"""The contribution report's figures, added up in SQL over the report's covering index. No names, no free text.

Every breakdown (kind of problem, level, how people were approached, referrals) is counted per coproducer in SQL and
then merged: a row with fewer than [reports] min_group coproducers behind it goes into "other", so no one person's
work can be picked out. A report over fewer coproducers than that is not given at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, func, select

from db.engine import reading
from db.models import HelpRequest, RequestTopic, Role, Team
from monitor.config import Settings
from monitor.errors import PermissionDenied, ValidationError
from monitor.i18n import N_
from monitor.people.access import Actor
from monitor.reports.periods import Period
from monitor.requests.vocab import CHANNELS, LEVELS, REFERRALS, TOPICS

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


# The codes each breakdown counts; the rest (a referral of "none", say) is in the totals only.
_COLUMNS = {"channel": HelpRequest.channel, "level": HelpRequest.level, "referral": HelpRequest.referred_to}
_KEYS = {
    "channel": CHANNELS,
    "level": (*LEVELS, NOT_RECORDED),
    "referral": tuple(code for code in REFERRALS if code != "none"),  # only requests passed on to someone
}


@dataclass(frozen=True)
class _Group:
    """The requests of one coproducer in one team with one channel, level and referral."""

    person: int
    codes: dict[str, str | None]  # channel, level, referral -> the code, None when not recorded
    requests: int
    minutes: int
    outside_hours: int
    night: int


def _groups(session, team_ids: list[int], period: Period) -> list[_Group]:  # type: ignore[no-untyped-def]
    """The period's requests added up per team, coproducer, channel, level and referral, in one scan.

    The GROUP BY is the column order of ix_help_requests_report (migration 0013), which holds every column read here:
    SQLite then reads the index alone, in order, and adds up as it goes, without sorting a year of a city or reading
    the table (a city has a few hundred such groups per coproducer at most). Counting per code in SQL instead (a CASE
    per code and row) cost more than the scan itself.
    """
    rows = session.execute(
        select(
            HelpRequest.person_id,
            *_COLUMNS.values(),
            func.count(),
            func.sum(HelpRequest.minutes),
            func.count().filter(HelpRequest.outside_hours),
            func.count().filter(HelpRequest.is_night),
        )
        .where(*_where(team_ids, period))
        .group_by(HelpRequest.team_id, HelpRequest.person_id, *_COLUMNS.values())
    ).all()
    return [
        _Group(
            person=row[0],
            codes=dict(zip(_COLUMNS, row[1:4], strict=True)),
            requests=int(row[4]),
            minutes=int(row[5] or 0),
            outside_hours=int(row[6] or 0),
            night=int(row[7] or 0),
        )
        for row in rows
    ]


def _totals(groups: list[_Group]) -> Totals:
    return Totals(
        requests=sum(group.requests for group in groups),
        minutes=sum(group.minutes for group in groups),
        coproducers=len({group.person for group in groups}),  # once, however many teams they logged for
        outside_hours=sum(group.outside_hours for group in groups),
        night=sum(group.night for group in groups),
    )


def _per_person(groups: list[_Group], breakdown: str) -> list[Any]:
    """(code, person, requests, minutes) rows of one breakdown, for merge_small_groups (which adds them up)."""
    rows = []
    for group in groups:
        key = group.codes[breakdown]
        if key is None and breakdown == "level":
            key = NOT_RECORDED
        if key in _KEYS[breakdown]:
            rows.append((key, group.person, group.requests, group.minutes))
    return rows


def _per_person_topics(session, team_ids: list[int], period: Period) -> list[Any]:  # type: ignore[no-untyped-def]
    """(topic, person, requests, minutes) rows: a request about two kinds of problem counts for both.

    Grouped by team and coproducer, the order of ix_help_requests_report, with a count per kind of problem, so that
    SQLite adds up as it reads instead of sorting the joined year; kinds of problem the vocabulary does not know
    (none are saved, see monitor.requests.log) are still counted, by a second query that only runs if there are any.
    """
    known = list(TOPICS)
    columns: list[Any] = [HelpRequest.person_id]
    for topic in known:
        about = RequestTopic.topic == topic
        columns += [func.count().filter(about), func.sum(HelpRequest.minutes).filter(about)]
    columns.append(func.count())  # more than the known ones counted: a kind of problem the vocabulary lacks
    joined = select(*columns).join(RequestTopic, RequestTopic.request_id == HelpRequest.id)
    rows = session.execute(
        joined.where(*_where(team_ids, period)).group_by(HelpRequest.team_id, HelpRequest.person_id)
    ).all()
    per_person = [
        (topic, row[0], int(row[1 + 2 * index]), int(row[2 + 2 * index] or 0))
        for row in rows
        for index, topic in enumerate(known)
        if row[1 + 2 * index]
    ]
    if any(row[-1] > sum(row[1:-1:2]) for row in rows):
        per_person += session.execute(
            select(RequestTopic.topic, HelpRequest.person_id, func.count(), func.sum(HelpRequest.minutes))
            .join(RequestTopic, RequestTopic.request_id == HelpRequest.id)
            .where(*_where(team_ids, period), RequestTopic.topic.not_in(known))
            .group_by(RequestTopic.topic, HelpRequest.person_id)
        ).all()
    return per_person


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
        groups = _groups(session, team_ids, period)
        totals = _totals(groups)
        if totals.coproducers < min_group:
            raise ValidationError(
                N_(
                    "Fewer than {count} coproducers logged requests in this period, so the report is not shown: "
                    "their work could be recognised. Choose a longer period or all teams."
                ),
                count=min_group,
            )
        previous: Totals | None = _totals(_groups(session, team_ids, period.previous()))
        if previous is not None and previous.coproducers < min_group:
            previous = None
        per_person = {name: _per_person(groups, name) for name in _KEYS}
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
