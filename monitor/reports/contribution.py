"""The contribution report's figures, added up in SQL over the report's covering index. No names, no free text.

Every figure is built from cells of one team in one calendar month, under the disclosure rule of
monitor/reports/disclosure.py: a team-month with fewer than [reports] min_group coproducers is left out, a code with
fewer is counted under "other" (with as many more as it takes for nothing hidden to follow from the rest), and a
quarter, a year or all teams add up only the cells shown. The breakdowns (kind of problem, level, how people were
approached, referrals) are counted per coproducer in SQL, one month at a time, and merged here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import BigInteger, Engine, and_, func, literal, select

from db.engine import reading
from db.models import HelpRequest, Role, Team
from monitor.config import Settings
from monitor.errors import PermissionDenied, ValidationError
from monitor.i18n import N_, Np_
from monitor.people.access import Actor
from monitor.reports.disclosure import OTHER, Cell, add, enough, part_shown, protect
from monitor.reports.periods import Period, months
from monitor.requests.vocab import CHANNELS, LEVELS, REFERRALS, TOPIC_BITS, TOPICS

NOT_RECORDED = "not_recorded"
BREAKDOWNS = ("topic", "level", "channel", "referral")
__all__ = ["OTHER", "NOT_RECORDED", "BREAKDOWNS", "Row", "Totals", "Report", "contribution", "report_teams", "change"]


@dataclass(frozen=True)
class Row:
    key: str  # a code of monitor.requests.vocab, "other" (codes too small to show on their own) or "not_recorded"
    requests: int
    minutes: int
    coproducers: int


@dataclass(frozen=True)
class Totals:
    requests: int
    minutes: int
    coproducers: int
    outside_hours: int | None  # None when a team-month had too few coproducers outside (or inside) agreed hours
    night: int | None  # the same for the night

    @property
    def hours(self) -> float:
        return self.minutes / 60

    def share(self, part: int) -> float:
        return part / self.requests if self.requests else 0.0


@dataclass(frozen=True)
class Report:
    period: Period
    team_ids: tuple[int, ...]
    team_names: tuple[str, ...]  # the teams with figures in the report
    totals: Totals
    previous: Totals | None  # None when no team-month of the period before had min_group coproducers
    breakdowns: dict[str, list[Row]]  # topic, level, channel, referral -> rows, largest first, "other" last
    min_group: int
    left_out: tuple[tuple[str, date], ...] = ()  # (team name, first day of the month) with too few coproducers


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


# The codes each breakdown counts. A referral to nobody (or not recorded) is counted, so that the rule knows who is
# behind the rest of the requests, but never shown.
_COLUMNS = {"channel": HelpRequest.channel, "level": HelpRequest.level, "referral": HelpRequest.referred_to}
_KEYS = {
    "channel": CHANNELS,
    "level": (*LEVELS, NOT_RECORDED),
    "referral": (*REFERRALS, NOT_RECORDED),
    "topic": TOPICS,  # help_requests.topic_mask, the kinds of problem as bits (migration 0014)
}
_NEVER_SHOWN = {"referral": ("none", NOT_RECORDED)}


def _is(breakdown: str, key: str) -> Any:
    if breakdown == "topic":  # a request may be about several kinds of problem: one bit each
        return HelpRequest.topic_mask.bitwise_and(TOPIC_BITS[key]) != 0
    column = _COLUMNS[breakdown]
    return column.is_(None) if key == NOT_RECORDED else column == key


# A request's count and minutes in one number, (minutes << 24) + 1, so that one sum per code gives both figures: it
# halves what SQLite does per row of a year (the count keeps the low 24 bits, 16 million requests of one coproducer;
# the BIGINT keeps PostgreSQL from overflowing, and leaves room for thousands of years of anyone's minutes).
_COUNT_BITS = 24
_LOW_BITS = (1 << _COUNT_BITS) - 1


def _both(condition: Any) -> Any:
    """The packed count and minutes of the requests that meet condition (None when there are none)."""
    return func.sum(HelpRequest.minutes * literal(1 << _COUNT_BITS, BigInteger) + 1).filter(condition)


def _unpack(packed: Any) -> tuple[int, int]:
    """(requests, minutes) from a sum of _both; (0, 0) for None."""
    minutes, requests = divmod(int(packed or 0), 1 << _COUNT_BITS)
    return requests, minutes


@dataclass(frozen=True)
class _Coproducer:
    """One coproducer's requests in one team and month: the totals, and (requests, minutes) per code of each
    breakdown."""

    team: int
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
    coproducer's period in turn, and adds up as it goes, without sorting, reading the table or joining
    request_topics. Grouping by the codes, or by month, as well would need that sort: the report asks once a month.
    """
    columns: list[Any] = [
        HelpRequest.team_id,
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
            team=row[0],
            person=row[1],
            requests=int(row[2]),
            minutes=int(row[3] or 0),
            outside_hours=int(row[4] or 0),
            night=int(row[5] or 0),
            # (requests, minutes) per code, unpacked inline: a year of a city has tens of thousands of them.
            codes={
                code: (int(p) & _LOW_BITS, int(p) >> _COUNT_BITS) for code, p in zip(layout, row[6:], strict=True) if p
            },
        )
        for row in rows
    ]


def _recount_topics(session, month: Period, pooled: dict[int, int]) -> dict[int, tuple[int, int]]:  # type: ignore[no-untyped-def]
    """Per team, the month's requests about any of its pooled kinds of problem (team -> their bits), each once.

    One scan of the month, one sum per distinct set of kinds, grouped as _coproducers so that SQLite takes the same
    path through ix_help_requests_report."""
    masks = sorted(set(pooled.values()))
    teams_of = {mask: [team for team, bits in pooled.items() if bits == mask] for mask in masks}
    columns = [
        _both(and_(HelpRequest.team_id.in_(teams_of[mask]), HelpRequest.topic_mask.bitwise_and(mask) != 0))
        for mask in masks
    ]
    rows = session.execute(
        select(HelpRequest.team_id, *columns)
        .where(*_where(sorted(pooled), month))
        .group_by(HelpRequest.team_id, HelpRequest.person_id)
    ).all()
    found: dict[int, tuple[int, int]] = defaultdict(lambda: (0, 0))
    for team, *sums in rows:
        requests, minutes = _unpack(sums[masks.index(pooled[team])])
        found[team] = (found[team][0] + requests, found[team][1] + minutes)
    return dict(found)


@dataclass
class _Sum:
    """Shown cells added up in place: a year of a city adds thousands, and new sets of people each time are slow."""

    requests: int = 0
    minutes: int = 0
    people: set[int] = field(default_factory=set)

    def add(self, cell: Cell) -> None:
        self.requests += cell.requests
        self.minutes += cell.minutes
        self.people.update(cell.people)

    def row(self, key: str) -> Row:
        return Row(key, self.requests, self.minutes, len(self.people))


def _by_code() -> dict[str, dict[str, _Sum]]:
    return {name: defaultdict(_Sum) for name in BREAKDOWNS}


@dataclass
class _Figures:
    """The shown cells of a period, added up: what the report shows, and the team-months left out."""

    total: _Sum = field(default_factory=_Sum)
    outside: _Sum | None = field(default_factory=_Sum)  # None once a team-month could not show it
    night: _Sum | None = field(default_factory=_Sum)
    teams: set[int] = field(default_factory=set)
    left_out: list[tuple[int, date]] = field(default_factory=list)
    rows: dict[str, dict[str, _Sum]] = field(default_factory=_by_code)
    other: dict[str, _Sum] = field(default_factory=lambda: defaultdict(_Sum))

    def totals(self) -> Totals:
        return Totals(
            requests=self.total.requests,
            minutes=self.total.minutes,
            coproducers=len(self.total.people),  # once, however many teams and months they logged in
            outside_hours=self.outside.requests if self.outside is not None else None,
            night=self.night.requests if self.night is not None else None,
        )

    def breakdown(self, name: str) -> list[Row]:
        rows = sorted((total.row(code) for code, total in self.rows[name].items()), key=lambda r: (-r.requests, r.key))
        other = self.other.get(name)
        return rows + ([other.row(OTHER)] if other else [])


def _count(part: list[tuple[int, int]]) -> Cell:
    """(person, count) pairs as a cell of requests (no minutes)."""
    return Cell(sum(n for _person, n in part), 0, frozenset(person for person, n in part if n))


def _cells(people: list[_Coproducer]) -> dict[str, dict[str, Cell]]:
    """A team-month's cells per breakdown and code, from its coproducers' sums, in one pass."""
    sums: dict[str, dict[str, list[Any]]] = {name: {} for name in BREAKDOWNS}
    for c in people:
        for (name, code), (requests, minutes) in c.codes.items():
            found = sums[name].get(code)
            if found is None:
                sums[name][code] = [requests, minutes, [c.person]]
            else:
                found[0] += requests
                found[1] += minutes
                found[2].append(c.person)
    return {
        name: {code: Cell(r, m, frozenset(who)) for code, (r, m, who) in codes.items()} for name, codes in sums.items()
    }


def _add_team_month(figures: _Figures, people: list[_Coproducer], min_group: int, codes: bool) -> dict[str, Any]:
    """Add one team-month's shown cells to figures; returns what kinds of problem it pooled, for a recount."""
    whole = Cell(sum(c.requests for c in people), sum(c.minutes for c in people), frozenset(c.person for c in people))
    counted = {"outside": [(c.person, c.outside_hours) for c in people], "night": [(c.person, c.night) for c in people]}
    for name, counts in counted.items():
        part = _count(counts)
        rest = _count([(c.person, c.requests - n) for c, (_p, n) in zip(people, counts, strict=True)])
        current = getattr(figures, name)
        # All or nothing: a share over only some team-months would not say what it is a share of.
        if current is not None and part_shown(part, rest, min_group):
            current.add(part)
        else:
            setattr(figures, name, None)
    figures.total.add(whole)
    pooled_topics: dict[str, Any] = {}
    if not codes:
        return pooled_topics
    for name, cells in _cells(people).items():
        outcome = protect(cells, min_group, _NEVER_SHOWN.get(name, ()))
        for code in outcome.shown:
            figures.rows[name][code].add(cells[code])
        if not outcome.other_shown:
            continue
        other = add(cells[code] for code in outcome.pooled)
        if name == "topic" and len(outcome.pooled) > 1:  # a request about two pooled kinds is one request in "other"
            pooled_topics = {"cell": other, "bits": sum(TOPIC_BITS[code] for code in outcome.pooled)}
        else:
            figures.other[name].add(other)
    return pooled_topics


def _figures(session, teams: list[int], period: Period, min_group: int, codes: bool = True) -> _Figures:  # type: ignore[no-untyped-def]
    """The period's figures under the disclosure rule, a month at a time (monitor/reports/disclosure.py)."""
    figures = _Figures()
    for month in months(period):
        per_team: dict[int, list[_Coproducer]] = defaultdict(list)
        for c in _coproducers(session, teams, month, codes):
            per_team[c.team].append(c)
        recount: dict[int, Cell] = {}
        bits: dict[int, int] = {}
        for team, people in sorted(per_team.items()):
            if not enough({c.person for c in people}, min_group):
                figures.left_out.append((team, month.start))  # primary suppression of the whole team-month
                continue
            figures.teams.add(team)
            pooled = _add_team_month(figures, people, min_group, codes)
            if pooled:
                recount[team], bits[team] = pooled["cell"], pooled["bits"]
        if bits:
            for team, (requests, minutes) in _recount_topics(session, month, bits).items():
                figures.other["topic"].add(Cell(requests, minutes, recount[team].people))
    return figures


def contribution(
    engine: Engine, settings: Settings, actor: Actor, period: Period, team_id: int | None = None
) -> Report:
    """The report for one team, or all teams actor may see (team_id None), under the disclosure rule; refused when
    no team had min_group coproducers in any month of the period."""
    teams = _scope(engine, actor, team_id)
    names = dict(teams)
    min_group = settings.reports.min_group
    with reading(engine) as session:
        figures = _figures(session, list(names), period, min_group)
        if not figures.teams:
            raise ValidationError(
                Np_(
                    "Fewer than {count} coproducer logged requests in each month of this period, so the report is "
                    "not shown: their work could be recognised. Choose another period or all teams.",
                    "Fewer than {count} coproducers logged requests in each month of this period, so the report is "
                    "not shown: their work could be recognised. Choose another period or all teams.",
                ),
                count=min_group,
            )
        before = _figures(session, list(names), period.previous(), min_group, codes=False)
    included = [team for team, _name in teams if team in figures.teams]
    return Report(
        period=period,
        team_ids=tuple(included),
        team_names=tuple(names[team] for team in included),
        totals=figures.totals(),
        previous=before.totals() if before.teams else None,
        breakdowns={name: figures.breakdown(name) for name in BREAKDOWNS},
        min_group=min_group,
        left_out=tuple(sorted((names[team], month) for team, month in figures.left_out)),
    )


def change(current: float, previous: float) -> float | None:
    """The relative change against the previous period (0.25 = 25% more); None when there was nothing before."""
    return (current - previous) / previous if previous else None
