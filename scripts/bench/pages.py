"""The busiest pages' queries and the contribution report; the pages as Streamlit runs them (AppTest): the save click
on Log a request and a rerun of the leader's team page."""

from __future__ import annotations

import argparse
from dataclasses import replace
from datetime import date, datetime, timedelta

from sqlalchemy import Engine, select

from bench.city import City
from bench.report import Report, median_of, wall_and_cpu
from db.engine import reading
from db.models import Membership, Person, Role
from monitor.alerts import evaluation as alerts
from monitor.alerts import team_load
from monitor.config import ReportSettings, Settings
from monitor.i18n import gettext_for
from monitor.people.access import SYSTEM, Actor
from monitor.reports import contribution
from monitor.reports.periods import period_containing
from monitor.requests import exporting, workload
from monitor.requests.vocab import CHANNELS, MINUTE_CHOICES
from monitor.ui import workload_cache
from monitor.ui.harness import Harness


def page_runs(engine: Engine, city: City, args: argparse.Namespace, report: Report) -> None:
    """The pages as Streamlit runs them, in this process (AppTest), signed in as the page tests sign in.

    Each is run once first (imports, the first queries), then timed --repeat times: the save click on Log a request
    (a coproducer; choices vary, so the page never asks "Save again?") and a rerun of the leader's team overview.
    """
    with reading(engine) as session:
        leader = session.scalar(
            select(Membership.person_id).where(Membership.team_id == city.teams[-1], Membership.role == Role.LEADER)
        )
        language = session.scalar(select(Person.language).where(Person.id == city.coproducers[-1]))
    _ = gettext_for(language or "nl")
    url = engine.url.render_as_string(hide_password=False)
    with Harness(url) as harness:
        harness.sign_in(city.coproducers[-1])
        at = harness.app().run()
        at.switch_page("pages/log_request.py").run()
        assert not at.exception, at.exception
        saves = iter(range(10_000))

        def choose() -> None:
            i = next(saves)
            form = f"log-{at.session_state['log_form']}"
            at.pills(key=f"{form}-channel").set_value(CHANNELS[i % len(CHANNELS)])
            at.pills(key=f"{form}-topics").set_value(["money"])
            at.pills(key=f"{form}-minutes").set_value(MINUTE_CHOICES[i % len(MINUTE_CHOICES)]).run()
            # A person takes seconds to fill in the form, in which the rules' worker judges their last save: wait for
            # it, so that a click is not timed with the previous click's evaluation running beside it in this
            # process (that evaluation is timed on its own: "evaluate one person").
            assert workload_cache.wait_for_rules(30), "the rules' worker did not finish"

        def click() -> None:
            next(b for b in at.button if b.label == _("Save")).click().run()
            assert not at.exception and at.success, at.exception

        choose()
        click()
        wall, cpu = wall_and_cpu(args.repeat, click, before=choose)
        report.line("save click", wall, "Log a request: the save click")
        report.line(None, cpu, "  its CPU time (this process, all threads: the rules' worker judging the person too)")

        harness.sign_in(leader)
        at = harness.app().run()
        assert not at.exception and at.title and at.title[0].value == _("My team"), at.exception
        wall, cpu = wall_and_cpu(args.repeat, at.run)
        report.line("team page", wall, "My team: a rerun of the leader's overview")
        report.line(None, cpu, "  its CPU time")
        cold, _cpu = wall_and_cpu(args.repeat, at.run, before=workload_cache.clear)
        report.line(None, cold, "  the same with the team's cached history forgotten (as after a save in the team)")


def page_queries(
    engine: Engine,
    settings: Settings,
    city: City,
    now: datetime,
    today: date,
    repeat: int,
    check: bool,
    report: Report,
) -> None:
    """The queries of My week, the team overview, a quarter's export, one person's evaluation and the contribution
    report, each the median of repeat runs."""
    team_id, person_id = city.teams[-1], city.coproducers[-1]
    leader = Actor(
        person_id=None, username="bench", display_name="Bench", memberships=frozenset({(team_id, Role.LEADER)})
    )
    eight_weeks = today - timedelta(weeks=8)
    pages = {
        "My week: totals, 8 weeks by day, arrivals, topics": lambda: (
            workload.totals(engine, SYSTEM, person_id, today - timedelta(days=6), today),
            workload.by_day(engine, SYSTEM, person_id, eight_weeks, today),
            workload.arrivals(engine, SYSTEM, person_id, eight_weeks, today),
            workload.topics(engine, SYSTEM, person_id, eight_weeks, today),
        ),
        "My team: overview of one team": lambda: team_load.overview(engine, settings, leader, team_id, today),
        "export one team, one quarter": lambda: exporting.export_rows(
            engine, settings, SYSTEM, team_id, today - timedelta(days=91), today
        ),
        "evaluate one person (the rules' worker after a save)": lambda: alerts.evaluate(
            engine, settings, at=now, person_ids=[person_id]
        ),
    }
    for name, run in pages.items():
        report.line(None, median_of(repeat, run), name)
    # A tiny city (the test of this script) has fewer coproducers than the report's minimum group; the work is the
    # same SQL either way.
    report_settings = replace(settings, reports=ReportSettings(min_group=1))
    last_year = period_containing("year", today).previous()
    report.line(
        "report" if check else None,
        median_of(repeat, lambda: contribution.contribution(engine, report_settings, SYSTEM, last_year, None)),
        "contribution report: last year, every team",
    )
