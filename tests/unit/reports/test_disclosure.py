"""Issue 27: no figure of the contribution report gives away a group below min_group, by subtracting one figure from
another: all teams minus each team, a longer period minus the shorter ones in it, the total minus the rows shown, the
period before, and the Excel and PDF against the page's figures. On demo-like data: the demo team with half a year of
history, the issue's small team Klein (2 coproducers, 6 requests, 3.5 hours) and a team of six. The rule itself is in
monitor/reports/disclosure.py and docs/privacy.md ("Disclosure control")."""

from __future__ import annotations

import re
import zlib
from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, time
from io import BytesIO

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import Engine, text, update

from db.models import HelpRequest, Role
from monitor.config import ReportSettings, Settings
from monitor.demo import load as demo
from monitor.errors import ValidationError
from monitor.people import accounts as people
from monitor.people.access import SYSTEM, Actor
from monitor.people.auth import actor_for_person
from monitor.reports import contribution, files
from monitor.reports import text as words
from monitor.reports.contribution import BREAKDOWNS, Report
from monitor.reports.disclosure import Cell, protect
from monitor.reports.periods import Period, months, period_containing
from tests.unit.reports.test_contribution import generate

NOW = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)
YEAR = period_containing("year", NOW.date())
QUARTERS = [period_containing("quarter", date(2026, m, 1)) for m in (1, 4, 7, 10)]
MONTHS = months(YEAR)


def actor(engine: Engine, username: str) -> Actor:
    person_id = people.person_id_by_username(engine, username)
    assert person_id is not None
    found = actor_for_person(engine, person_id)
    assert found is not None
    return found


@pytest.fixture
def city(engine: Engine, settings: Settings) -> dict[str, int]:
    """The demo team with 26 weeks of requests; Klein, with 2 coproducers, 6 requests and 3.5 hours in November; Laak,
    six coproducers from June to November. Lotte leads Moerwijk and Klein."""
    demo.load_demo(engine)
    demo.load_demo_requests(engine, settings, now=NOW, weeks=26)
    moerwijk = people.team_id_by_name(engine, demo.DEMO_TEAM)
    klein = people.create_team(engine, SYSTEM, "Klein")
    laak = people.create_team(engine, SYSTEM, "Laak")
    assert moerwijk is not None
    lotte = people.person_id_by_username(engine, "lotte")
    assert lotte is not None
    people.grant_role(engine, SYSTEM, lotte, klein, Role.LEADER)
    small = [people.create_person(engine, SYSTEM, f"klein{i}", f"Klein {i}", None) for i in range(2)]
    for person_id in small:
        people.grant_role(engine, SYSTEM, person_id, klein, Role.COPRODUCER)
    with engine.begin() as connection:
        next_id = connection.execute(text("SELECT MAX(id) FROM help_requests")).scalar() + 1
        for n, minutes in enumerate((30, 30, 30, 30, 30, 60)):  # 6 requests, 3.5 hours, as the issue found
            day = date(2026, 11, 2 + n)
            connection.execute(
                HelpRequest.__table__.insert(),
                {
                    "id": next_id + n,
                    "person_id": small[n % 2],
                    "team_id": klein,
                    "received_at": datetime.combine(day, time(10), tzinfo=UTC),
                    "local_date": day,
                    "local_weekday": day.weekday(),
                    "local_hour": 11,
                    "minutes": minutes,
                    "channel": "door",
                    "level": "individual",
                    "referred_to": "gp" if n else None,
                    "beyond_role": False,
                    "outside_hours": n == 0,
                    "outside_reason": "evening" if n == 0 else None,
                    "is_night": False,
                    "source": "import",
                    "topic_mask": 1,
                },
            )
    six = [people.create_person(engine, SYSTEM, f"laak{i}", f"Laak {i}", None) for i in range(6)]
    for person_id in six:
        people.grant_role(engine, SYSTEM, person_id, laak, Role.COPRODUCER)
    generate(engine, _Team(laak), six, 7, (date(2026, 6, 1), date(2026, 11, 24)))
    return {"Moerwijk": moerwijk, "Klein": klein, "Laak": laak}


class _Team:
    def __init__(self, team_id: int) -> None:
        self.id = team_id


def report_or_none(
    engine: Engine, settings: Settings, reader: Actor, period: Period, team_id: int | None
) -> Report | None:
    try:
        return contribution.contribution(engine, settings, reader, period, team_id)
    except ValidationError:
        return None


def figures(report: Report | None) -> Counter[tuple[str, ...]]:
    """Every additive figure of a report by name: requests and minutes of the totals and of each row."""
    found: Counter[tuple[str, ...]] = Counter()
    if report is None:
        return found
    t = report.totals
    found["requests",] = t.requests
    found["minutes",] = t.minutes
    for breakdown, rows in report.breakdowns.items():
        for row in rows:
            found[breakdown, row.key, "requests"] = row.requests
            found[breakdown, row.key, "minutes"] = row.minutes
    return found


def check_alone(report: Report | None, min_group: int) -> None:
    """Within one report: every row has min_group coproducers, and where rows split the total (how people came, the
    level) they add up to it exactly, so the total minus the rows shown is nothing hidden."""
    if report is None:
        return
    assert report.totals.coproducers >= min_group
    for rows in report.breakdowns.values():
        assert all(row.coproducers >= min_group for row in rows), rows
    for breakdown in ("channel", "level"):
        rows = report.breakdowns[breakdown]
        assert sum(r.requests for r in rows) == report.totals.requests, breakdown
        assert sum(r.minutes for r in rows) == report.totals.minutes, breakdown
    assert sum(r.requests for r in report.breakdowns["referral"]) <= report.totals.requests


def test_no_subtraction_gives_away_a_group_below_the_minimum(
    city: dict[str, int], engine: Engine, settings: Settings
) -> None:
    min_group = settings.reports.min_group
    readers = [(actor(engine, "beheer"), city), (actor(engine, "lotte"), {k: city[k] for k in ("Moerwijk", "Klein")})]
    for reader, teams in readers:
        for period in [*MONTHS, *QUARTERS, YEAR]:
            everyone = report_or_none(engine, settings, reader, period, None)
            each = {name: report_or_none(engine, settings, reader, period, team) for name, team in teams.items()}
            for report in (everyone, *each.values()):
                check_alone(report, min_group)
            # All teams minus one team is the sum of the other teams' own reports: nothing that is not shown anyway.
            assert figures(everyone) == sum((figures(r) for r in each.values()), Counter()), period
            assert each["Klein"] is None  # below min_group in every month: refused, and in no "all teams"
            if everyone is not None:
                assert "Klein" not in everyone.team_names
                assert everyone.previous == (
                    r.totals if (r := report_or_none(engine, settings, reader, period.previous(), None)) else None
                )
        # A longer period minus the shorter ones in it: the year is its quarters, a quarter its months.
        for team in (None, *teams.values()):
            for whole, parts in [(YEAR, QUARTERS)] + [(q, months(q)) for q in QUARTERS]:
                total = figures(report_or_none(engine, settings, reader, whole, team))
                assert total == sum(
                    (figures(report_or_none(engine, settings, reader, p, team)) for p in parts), Counter()
                )


def test_the_issues_subtraction_all_teams_minus_moerwijk_is_not_klein(
    city: dict[str, int], engine: Engine, settings: Settings
) -> None:
    november = period_containing("month", NOW.date())
    admin = actor(engine, "beheer")
    everyone = contribution.contribution(engine, settings, admin, november, None)
    moerwijk = contribution.contribution(engine, settings, admin, november, city["Moerwijk"])
    laak = contribution.contribution(engine, settings, admin, november, city["Laak"])
    gap = (everyone.totals.requests - moerwijk.totals.requests, everyone.totals.minutes - moerwijk.totals.minutes)
    assert gap == (laak.totals.requests, laak.totals.minutes)  # Laak's own figures, not Klein's 6 requests, 3.5 h
    assert ("Klein", november.start) in everyone.left_out
    with pytest.raises(ValidationError):
        contribution.contribution(engine, settings, actor(engine, "lotte"), november, city["Klein"])


def test_what_a_hidden_team_did_changes_no_figure(city: dict[str, int], engine: Engine, settings: Settings) -> None:
    """Stronger than any subtraction: the reports do not depend on Klein's requests at all."""
    admin = actor(engine, "beheer")
    periods = [period_containing("month", NOW.date()), QUARTERS[3], YEAR]
    before = [report_or_none(engine, settings, admin, p, None) for p in periods]
    with engine.begin() as connection:
        connection.execute(
            update(HelpRequest)
            .where(HelpRequest.team_id == city["Klein"])
            .values(minutes=HelpRequest.minutes * 3, channel="phone", topic_mask=6, outside_hours=True, is_night=True)
        )
    assert [report_or_none(engine, settings, admin, p, None) for p in periods] == before


def pdf_text(pdf: bytes) -> str:
    """The text the PDF shows, from its (deflated) content streams."""
    shown = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            content = zlib.decompress(stream)
        except zlib.error:
            continue
        shown += [part.decode("latin-1") for part in re.findall(rb"\((.*?)\)\s*Tj", content, re.S)]
    return "\n".join(shown)


def test_the_excel_and_pdf_hold_the_pages_figures_and_nothing_more(
    city: dict[str, int], engine: Engine, settings: Settings
) -> None:
    report = contribution.contribution(engine, settings, actor(engine, "beheer"), QUARTERS[3], None)

    def label(_breakdown: str, key: str) -> str:
        return key

    book = load_workbook(BytesIO(files.workbook(report, "en", label)))
    summary = {row[0]: row[1:3] for row in book.worksheets[0].iter_rows(values_only=True) if row and row[0]}
    t, p = report.totals, report.previous
    assert summary["Requests"] == (t.requests, p.requests if p else None)
    assert summary["Active coproducers"] == (t.coproducers, p.coproducers if p else None)
    assert summary["Outside agreed hours"][0] == t.outside_hours
    for sheet, breakdown in zip(book.worksheets[1:], BREAKDOWNS, strict=True):
        rows = [row for row in sheet.iter_rows(min_row=2, values_only=True) if row and row[1] is not None]
        assert rows == [
            (r.key, r.requests, round(r.minutes / 60, 1), r.coproducers) for r in report.breakdowns[breakdown]
        ]
    shown = pdf_text(files.pdf(report, "en", label))
    assert words.headline(report, "en") in shown.replace("\n", " ") or words.headline(report, "en")[:40] in shown
    for breakdown in BREAKDOWNS:
        for row in report.breakdowns[breakdown]:
            assert f"{row.key}\n{row.requests}" in shown
    if report.left_out:
        assert "Klein" in shown


# The rule on its own, for any cells: hypothesis makes the groups. ---------------------------------------------------

people_ids = st.frozensets(st.integers(0, 12), min_size=1, max_size=10)
cells = st.dictionaries(
    st.sampled_from(("a", "b", "c", "d", "e", "other", "none")),
    st.builds(Cell, st.integers(1, 40), st.integers(0, 600), people_ids),
    min_size=1,
    max_size=7,
)


@hypothesis_settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(cells=cells, min_group=st.integers(1, 8))
def test_protect_shows_no_group_below_the_minimum_nor_leaves_one_as_the_rest(
    cells: dict[str, Cell], min_group: int
) -> None:
    outcome = protect(cells, min_group, never_shown=("none",))
    rest = frozenset().union(*(cell.people for code, cell in cells.items() if code not in outcome.shown))
    assert all(len(cells[code].people) >= min_group for code in outcome.shown)
    assert not rest or len(rest) >= min_group or not outcome.shown  # what the total minus the rows gives
    assert "none" not in outcome.shown + outcome.pooled and "other" not in outcome.shown
    other = frozenset().union(*(cells[code].people for code in outcome.pooled))
    assert outcome.other_shown == (len(other) >= min_group)
    # Nothing is hidden without need: a shown code was never hidden to protect a rest that needed no protecting.
    if all(len(c.people) >= min_group for k, c in cells.items() if k not in ("other", "none")) and not (
        {"other", "none"} & set(cells)
    ):
        assert set(outcome.shown) == set(cells)


# The whole report on random small data sets: whatever hypothesis logs, no subtraction finds a small group. ----------

requests_of = st.lists(
    st.tuples(
        st.integers(0, 2),  # team
        st.integers(0, 6),  # person within the team
        st.integers(7, 9),  # month
        st.sampled_from((5, 30, 60)),
        st.sampled_from(("door", "phone", "street")),
        st.sampled_from(("individual", "group", None)),
        st.sampled_from(("gp", "none", None)),
        st.integers(1, 7),  # kinds of problem: bits of the first three
        st.booleans(),  # outside hours
        st.booleans(),  # at night
    ),
    max_size=80,
)


@hypothesis_settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(logged=requests_of, min_group=st.integers(2, 5))
def test_on_any_small_data_every_figure_is_a_sum_of_shown_cells(
    engine: Engine, settings: Settings, logged: list[tuple], min_group: int
) -> None:
    chosen = replace(settings, reports=ReportSettings(min_group=min_group))
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM help_requests"))
    teams = _teams(engine)
    rows = []
    for n, (t, p, month, minutes, channel, level, referral, bits, outside, night) in enumerate(logged):
        day = date(2026, month, 1 + n % 28)
        rows.append(
            {
                "id": n + 1,
                "person_id": teams[t][1][p],
                "team_id": teams[t][0],
                "received_at": datetime.combine(day, time(12), tzinfo=UTC),
                "local_date": day,
                "local_weekday": day.weekday(),
                "local_hour": 13,
                "minutes": minutes,
                "channel": channel,
                "level": level,
                "referred_to": referral,
                "beyond_role": False,
                "outside_hours": outside,
                "is_night": night,
                "source": "import",
                "topic_mask": bits,
            }
        )
    if rows:
        with engine.begin() as connection:
            connection.execute(HelpRequest.__table__.insert(), rows)
    admin = teams["admin"]
    quarter = QUARTERS[2]
    for team in (None, *(teams[t][0] for t in range(3))):
        whole = report_or_none(engine, chosen, admin, quarter, team)
        parts = [report_or_none(engine, chosen, admin, m, team) for m in months(quarter)]
        for report in (whole, *parts):
            check_alone(report, min_group)
        assert figures(whole) == sum((figures(p) for p in parts), Counter())
        if whole is not None and whole.totals.outside_hours is not None:
            assert whole.totals.outside_hours == sum(p.totals.outside_hours or 0 for p in parts if p)
    for period in (quarter, *months(quarter)):
        everyone = report_or_none(engine, chosen, admin, period, None)
        each = [report_or_none(engine, chosen, admin, period, teams[t][0]) for t in range(3)]
        assert figures(everyone) == sum((figures(r) for r in each), Counter())


_TEAMS: dict[str, dict] = {}


def _teams(engine: Engine) -> dict:
    """Three teams of seven coproducers and an administrator, made once per database."""
    key = str(engine.url)
    found = _TEAMS.get(key)
    if found is not None and people.team_id_by_name(engine, "T0") == found[0][0]:
        return found
    found = {}
    for t in range(3):
        team_id = people.create_team(engine, SYSTEM, f"T{t}")
        members = []
        for p in range(7):
            person_id = people.create_person(engine, SYSTEM, f"t{t}p{p}", f"T{t} P{p}", None)
            people.grant_role(engine, SYSTEM, person_id, team_id, Role.COPRODUCER)
            members.append(person_id)
        found[t] = (team_id, members)
    admin = people.create_person(engine, SYSTEM, "admin", "Admin", None)
    people.grant_role(engine, SYSTEM, admin, found[0][0], Role.ADMIN)
    found["admin"] = actor_for_person(engine, admin)
    _TEAMS[key] = found
    return found
