"""The contribution report's figures, added up in SQL over the report's covering index. No names, no free text.

Every breakdown (kind of problem, level, how people were approached, referrals) is counted per coproducer in SQL and
then merged: a row with fewer than [reports] min_group coproducers behind it goes into "other", so no one person's
work can be picked out. A report over fewer coproducers than that is not given at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BigInteger, Engine, func, literal, select

from db.engine import reading
from db.models import HelpRequest, Role, Team
from monitor.config import Settings
from monitor.errors import PermissionDenied, ValidationError
from monitor.i18n import N_, Np_
from monitor.people.access import Actor
from monitor.reports.periods import Period
from monitor.requests.vocab import CHANNELS, LEVELS, REFERRALS, TOPIC_BITS, TOPICS, topic_mask

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
    "topic": TOPICS,  # help_requests.topic_mask, the kinds of problem as bits (migration 0014)
}


def _is(breakdown: str, key: str) -> Any:
    if breakdown == "topic":  # a request may be about several kinds of problem: one bit each
        return HelpRequest.topic_mask.bitwise_and(TOPIC_BITS[key]) != 0
    column = _COLUMNS[breakdown]
    return column.is_(None) if key == NOT_RECORDED else column == key


# A request's count and minutes in one number, (minutes << 24) + 1, so that one sum per code gives both figures: it
# halves what SQLite does per row of a year (the count keeps the low 24 bits, 16 million requests of one coproducer;
# the BIGINT keeps PostgreSQL from overflowing, and leaves room for thousands of years of anyone's minutes).
_COUNT_BITS = 24


def _both(condition: Any) -> Any:
    """The packed count and minutes of the requests that meet condition (None when there are none)."""
    return func.sum(HelpRequest.minutes * literal(1 << _COUNT_BITS, BigInteger) + 1).filter(condition)


def _unpack(packed: Any) -> tuple[int, int]:
    """(requests, minutes) from a sum of _both; (0, 0) for None."""
    minutes, requests = divmod(int(packed or 0), 1 << _COUNT_BITS)
    return requests, minutes


@dataclass(frozen=True)
class _Coproducer:
    """One coproducer's requests in one team: the totals, and (requests, minutes) per code of each breakdown."""

    person: int
    requests: int
    minutes: int
    outside_hours: int
    night: int
    codes: dict[tuple[str, str], tuple[int, int]]  # (breakdown, code) -> requests, minutes; only codes they logged


def _coproducers(session, team_ids: list[int], period: Period, codes: bool = True) -> list[_Coproducer]:  # type: ignore[no-untyped-def]
    """The period's requests added up per team and coproducer in one scan, with a sum per code (FILTER, _both) if codes.

    Grouped in the order of ix_help_requests_report (migrations 0013 and 0014), which starts (team, coproducer, date)
    and holds every column read here, the kinds of problem as bits included: SQLite reads the index alone, each
    coproducer's period in turn, and adds up as it goes, without sorting a year of a city, reading the table or
    joining request_topics. Grouping by the codes as well would need that sort.
    """
    columns: list[Any] = [
        HelpRequest.person_id,
        func.count(),
        func.sum(HelpRequest.minutes),
        func.count().filter(HelpRequest.outside_hours),
        func.count().filter(HelpRequest.is_night),
    ]
    layout = [(breakdown, key) for breakdown, keys in _KEYS.items() for key in keys] if codes else []
    columns += [_both(_is(breakdown, key)) for breakdown, key in layout]
    rows = session.execute(
        select(*columns).where(*_where(team_ids, period)).group_by(HelpRequest.team_id, HelpRequest.person_id)
    ).all()
    return [
        _Coproducer(
            person=row[0],
            requests=int(row[1]),
            minutes=int(row[2] or 0),
            outside_hours=int(row[3] or 0),
            night=int(row[4] or 0),
            codes={code: _unpack(packed) for code, packed in zip(layout, row[5:], strict=True) if packed},
        )
        for row in rows
    ]


def _totals(coproducers: list[_Coproducer]) -> Totals:
    return Totals(
        requests=sum(c.requests for c in coproducers),
        minutes=sum(c.minutes for c in coproducers),
        coproducers=len({c.person for c in coproducers}),  # once, however many teams they logged for
        outside_hours=sum(c.outside_hours for c in coproducers),
        night=sum(c.night for c in coproducers),
    )


def _per_person(coproducers: list[_Coproducer], breakdown: str) -> list[Any]:
    """(code, person, requests, minutes) rows of one breakdown, for merge_small_groups (which adds them up)."""
    return [
        (key, c.person, requests, minutes)
        for c in coproducers
        for (name, key), (requests, minutes) in c.codes.items()
        if name == breakdown
    ]


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
        """The requests about any of topics, each once. Grouped as _coproducers, so that SQLite takes the same path
        through ix_help_requests_report: ungrouped, it would read the table through ix_help_requests_team_date."""
        rows = session.execute(
            select(func.count(), func.sum(HelpRequest.minutes))
            .where(*_where(team_ids, period), HelpRequest.topic_mask.bitwise_and(topic_mask(topics)) != 0)
            .group_by(HelpRequest.team_id, HelpRequest.person_id)
        ).all()
        return sum(int(count) for count, _minutes in rows), sum(int(minutes or 0) for _count, minutes in rows)

    return recount


def contribution(
    engine: Engine, settings: Settings, actor: Actor, period: Period, team_id: int | None = None
) -> Report:
    """The report for one team, or all teams actor may see (team_id None). Refused for fewer than min_group people."""
    teams = _scope(engine, actor, team_id)
    team_ids = [team for team, _name in teams]
    min_group = settings.reports.min_group
    with reading(engine) as session:
        coproducers = _coproducers(session, team_ids, period)
        totals = _totals(coproducers)
        if totals.coproducers < min_group:
            raise ValidationError(
                Np_(
                    "Fewer than {count} coproducer logged requests in this period, so the report is not shown: "
                    "their work could be recognised. Choose a longer period or all teams.",
                    "Fewer than {count} coproducers logged requests in this period, so the report is not shown: "
                    "their work could be recognised. Choose a longer period or all teams.",
                ),
                count=min_group,
            )
        previous: Totals | None = _totals(_coproducers(session, team_ids, period.previous(), codes=False))
        if previous is not None and previous.coproducers < min_group:
            previous = None
        per_person = {name: _per_person(coproducers, name) for name in _KEYS}
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
