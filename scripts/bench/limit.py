"""The limit the rules are measured against: hand-written SQL, one GROUP BY per family of rules, over the same windows
and the same people as the rules read, and the (person, rule) pairs it finds, which must be exactly the rules'.

The families (each one statement over the requests, plus the small tables a family needs beside it):

- the days: per person and local day over the last 14 days (hours_over from Monday, outside_hours, night and
  no_rest_day over the last 7 days, short_rest over the last 7 days and the day before, long_average's 7 days and
  12-hour days, beyond_role's 14 days);
- the long window: per person over the last 16 weeks, with the last 7 days and the 4 weeks before them apart
  (long_average's average and rising_load);
- the kinds of problem: per person, day and topic_mask over the last 7 days (topics_outside, and outside_training
  with the training records beside it);
- under 18 at night: the night-time requests of the people under 18 over the last 7 days (minor_at_night);
- the allowances: the minutes per person and month of the people on an hourly allowance over every month the checks
  read (from checks.first_day_read), with the agreements and payments beside it (the four allowance rules).

What is judged from the figures is plain Python beside the SQL (a comparison per person, as the rules do); the
allowance checks' arithmetic is the app's own (monitor.money.checks, given these minutes), and minor_at_night's
"any minute in the night" is the rule's own function. Snoozes and per-team switches are not applied: the benchmark's
city has none.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import Engine, case, func, or_, select
from sqlalchemy.orm import Session

from db.engine import reading
from db.models import HelpRequest
from monitor.alerts.findings import context
from monitor.alerts.rules.base import Context, epoch_seconds
from monitor.alerts.rules.minor_at_night import at_night
from monitor.config import Settings
from monitor.money import checks
from monitor.money.allowances import HOURLY, minutes_by_month, versions_for
from monitor.money.amounts import month_end
from monitor.people import age
from monitor.requests.vocab import AGREEABLE, topics_of
from monitor.training.records import coverage, trainings_for_topics

Pair = tuple[int, str]  # (person, rule)


def hand_pairs(engine: Engine, settings: Settings, at: datetime) -> set[Pair]:
    """Every (person, rule) the rules would find at `at`, by the hand-written SQL (one read transaction)."""
    with reading(engine) as session:
        ctx = context(session, settings, at, None)
        if not ctx.people:
            return set()
        pairs: set[Pair] = set()
        pairs |= _days(session, ctx)
        pairs |= _long_window(session, ctx)
        pairs |= _kinds(session, ctx)
        pairs |= _minors(session, ctx)
        pairs |= _allowances(session, ctx)
    return pairs


def _days(session: Session, ctx: Context) -> set[Pair]:
    rules = ctx.settings.rules
    today = ctx.today
    first = min(ctx.week_start, today - timedelta(days=7), today - timedelta(days=rules.beyond_role_days - 1))
    came = epoch_seconds(session, HelpRequest.received_at)
    rows = session.execute(
        select(
            HelpRequest.person_id,
            HelpRequest.local_date,
            func.sum(HelpRequest.minutes),
            func.count().filter(HelpRequest.outside_hours),
            func.count().filter(HelpRequest.is_night),
            func.count().filter(HelpRequest.beyond_role),
            func.min(came),
            func.max(came + HelpRequest.minutes * 60),
        )
        .where(*ctx.live(first, today))
        .group_by(HelpRequest.person_id, HelpRequest.local_date)
    ).all()
    week_start, (start, _end) = ctx.week_start, ctx.last_7_days
    beyond_from = today - timedelta(days=rules.beyond_role_days - 1)
    rest_limit = round(rules.rest_hours * 3600)
    by_person: dict[int, dict] = defaultdict(dict)  # type: ignore[type-arg]
    for person_id, day, minutes, outside, night, beyond, first_came, last_ended in rows:
        by_person[person_id][day] = (int(minutes), outside, night, beyond, float(first_came), float(last_ended))
    pairs: set[Pair] = set()
    for person_id, days in by_person.items():
        agreement = ctx.people[person_id].agreement
        week = [v for d, v in days.items() if d >= start]
        if sum(v[0] for d, v in days.items() if d >= week_start) / 60 > agreement.hours_per_week:
            pairs.add((person_id, "hours_over"))
        if sum(v[1] for v in week) > agreement.max_outside_requests_per_week:
            pairs.add((person_id, "outside_hours"))
        if sum(v[2] for v in week) > agreement.max_night_requests_per_week:
            pairs.add((person_id, "night"))
        if len(week) >= 7:
            pairs.add((person_id, "no_rest_day"))
        if sum(v[3] for d, v in days.items() if d >= beyond_from) >= rules.beyond_role_times:
            pairs.add((person_id, "beyond_role"))
        for day, values in days.items():
            before = days.get(day - timedelta(days=1))
            if day >= start and before is not None and max(0, round(values[4] - before[5])) < rest_limit:
                pairs.add((person_id, "short_rest"))
        if any(v[0] > rules.day_max_hours * 60 for v in week) or sum(v[0] for v in week) / 60 > rules.week_max_hours:
            pairs.add((person_id, "long_average"))
    return pairs


def _long_window(session: Session, ctx: Context) -> set[Pair]:
    rules = ctx.settings.rules
    start, today = ctx.last_7_days
    first = min(today - timedelta(weeks=rules.average_weeks) + timedelta(days=1), start - timedelta(days=28))
    average_from = today - timedelta(weeks=rules.average_weeks) + timedelta(days=1)
    rising_from = start - timedelta(days=28)
    rows = session.execute(
        select(
            HelpRequest.person_id,
            func.sum(case((HelpRequest.local_date >= average_from, HelpRequest.minutes), else_=0)),
            func.sum(case((HelpRequest.local_date >= start, HelpRequest.minutes), else_=0)),
            func.sum(
                case(
                    (
                        (HelpRequest.local_date >= rising_from) & (HelpRequest.local_date < start),
                        HelpRequest.minutes,
                    ),
                    else_=0,
                )
            ),
        )
        .where(*ctx.live(first, today))
        .group_by(HelpRequest.person_id)
    ).all()
    pairs: set[Pair] = set()
    for person_id, long_minutes, recent, earlier in rows:
        if int(long_minutes or 0) / 60 / rules.average_weeks > rules.average_max_hours:
            pairs.add((person_id, "long_average"))
        hours, average = int(recent or 0) / 60, int(earlier or 0) / 60 / 4
        if hours >= rules.rising_min_hours and hours >= rules.rising_factor * average:
            pairs.add((person_id, "rising_load"))
    return pairs


def _kinds(session: Session, ctx: Context) -> set[Pair]:
    start, end = ctx.last_7_days
    rows = session.execute(
        select(HelpRequest.person_id, HelpRequest.local_date, HelpRequest.topic_mask)
        .where(*ctx.live(start, end), HelpRequest.topic_mask.bitwise_and(AGREEABLE) != 0)
        .group_by(HelpRequest.person_id, HelpRequest.local_date, HelpRequest.topic_mask)
    ).all()
    catalogue = trainings_for_topics(session, {c.team_id for c in ctx.people.values()})
    trained_people = [pid for pid, c in ctx.people.items() if catalogue.get(c.team_id)]
    trained = coverage(session, trained_people, start, end) if trained_people else {}
    pairs: set[Pair] = set()
    for person_id, day, mask in rows:
        topics = topics_of(mask & AGREEABLE)
        if any(topic not in ctx.people[person_id].agreement.topics for topic in topics):
            pairs.add((person_id, "topics_outside"))
        if person_id in trained and any(not any(c.covers(topic, day) for c in trained[person_id]) for topic in topics):
            pairs.add((person_id, "outside_training"))
    return pairs


def _minors(session: Session, ctx: Context) -> set[Pair]:
    start, end = ctx.last_7_days
    rules = ctx.settings.rules
    born = age.birth_months(session, ctx.people)
    minors = [pid for pid, month in born.items() if age.under(month, age.ADULT, start)]
    if not minors:
        return set()
    night_from, night_until = rules.minor_night_from, rules.minor_night_until
    rows = session.execute(
        select(HelpRequest.person_id, HelpRequest.local_date, HelpRequest.received_at, HelpRequest.minutes).where(
            *ctx.live(start, end),
            HelpRequest.person_id.in_(minors),
            or_(
                HelpRequest.local_hour >= night_from,
                HelpRequest.local_hour < night_until,
                HelpRequest.local_hour * 60 + HelpRequest.minutes > night_from * 60 - 59,
            ),
        )
    ).all()
    tz = ctx.settings.tz
    return {
        (person_id, "minor_at_night")
        for person_id, day, came, minutes in rows
        if age.under(born[person_id], age.ADULT, day) and at_night(came, minutes, night_from, night_until, tz)
    }


def _allowances(session: Session, ctx: Context) -> set[Pair]:
    settings, today, people = ctx.settings, ctx.today, list(ctx.people)
    hourly = [pid for pid, history in versions_for(session, people).items() if any(t.kind == HOURLY for t in history)]
    minutes = minutes_by_month(session, hourly, checks.first_day_read(settings, today), month_end(today))
    pairs: set[Pair] = set()
    pairs |= {(pid, "allowance_month") for pid in checks.month_breaches(session, settings, people, today)}
    pairs |= {(pid, "allowance_year") for pid in checks.year_breaches(session, settings, people, today, minutes)}
    pairs |= {(pid, "allowance_hourly") for pid in checks.hourly_breaches(session, settings, people, today)}
    pairs |= {(pid, "allowance_overdue") for pid in checks.overdue(session, settings, people, today, minutes)}
    return pairs


def rules_pairs(engine: Engine, settings: Settings, at: datetime) -> set[Pair]:
    """The (person, rule) pairs the rules find at `at`, as the evaluation reads them."""
    from monitor.alerts.findings import run_rules

    _ctx, findings, _people, _known = run_rules(engine, settings, at, None)
    return {(person_id, rule) for rule, person_id in findings}
