"""The checks behind the allowance alerts: a month over the monthly maximum, a year going to exceed the yearly
maximum, an hourly agreement above the hourly maximum, and an agreed payment still unpaid after its month ended."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from monitor.config import Settings
from monitor.money import ledger, tax_limits
from monitor.money.allowances import (
    HOURLY,
    NONE,
    due_for_month,
    expected_cents,
    in_force,
    minutes_by_month,
    months_between,
    versions_for,
)
from monitor.money.amounts import add_months, euros, month_end, month_start
from monitor.money.closed_months import minutes_of_ended_months
from monitor.money.tax_limits import Breach
from monitor.requests.agreements import versions_of as demarcation_versions_of

LOOK_BACK_MONTHS = 12
MonthlyMinutes = dict[tuple[int, date], int]  # (person, first day of the month): minutes logged


@dataclass(frozen=True)
class MonthBreach:
    period: date
    breach: Breach


@dataclass(frozen=True)
class YearBreach:
    breach: Breach
    paid_cents: int  # allowance paid for this year's months so far
    expected_cents: int  # what the agreement will still pay this year


@dataclass(frozen=True)
class Overdue:
    period: date  # the oldest month not (fully) paid
    missing_cents: int
    months: int  # how many months are overdue


def month_breaches(session: Session, settings: Settings, person_ids: list[int], today: date) -> dict[int, MonthBreach]:
    """Per person, the latest month of the last year whose allowance (alone or with expenses) crossed the maximum."""
    first = add_months(month_start(today), -(LOOK_BACK_MONTHS - 1))
    paid = ledger.paid_by_month(session, person_ids, first, month_end(today))
    result: dict[int, MonthBreach] = {}
    for (pid, period, kind), cents in sorted(paid.items(), key=lambda item: item[0][1]):
        if kind != ledger.ALLOWANCE or cents <= 0:
            continue
        limits = tax_limits.for_year(settings.allowances, period.year)
        if limits is None:
            continue
        expenses = paid.get((pid, period, ledger.EXPENSE), 0)
        breach = tax_limits.check_month(limits, euros(cents), euros(expenses))
        if breach is not None:
            result[pid] = MonthBreach(period, breach)
    return result


def _overdue_months(settings: Settings, today: date) -> tuple[date, date]:
    """The first and last month overdue() looks at: the year up to the latest month that ended overdue_days ago."""
    last = month_start(today)
    while month_end(last) + timedelta(days=settings.allowances.overdue_days) >= today:
        last = add_months(last, -1)
    return add_months(last, -(LOOK_BACK_MONTHS - 1)), last


def first_day_read(settings: Settings, today: date) -> date:
    """The earliest day whose requests the allowance checks read on today: the year's first, or the first of the
    twelve months overdue() looks at, up to 13 months and a half back. No rule reads further back."""
    return min(date(today.year, 1, 1), _overdue_months(settings, today)[0])


def monthly_minutes(session: Session, settings: Settings, person_ids: list[int], today: date) -> MonthlyMinutes:
    """The minutes per month of everyone on an hourly allowance, over every month year_breaches and overdue look at:
    one read for both checks instead of one each. The months that have ended come from what the evaluations before
    kept while the requests did not change (monitor.money.closed_months); only this month is read every time."""
    histories = versions_for(session, person_ids)
    hourly = [pid for pid, history in histories.items() if any(t.kind == HOURLY for t in history)]
    this_month = month_start(today)
    first = first_day_read(settings, today)
    ended = (
        minutes_of_ended_months(session, hourly, first, this_month - timedelta(days=1)) if first < this_month else {}
    )
    return {**ended, **minutes_by_month(session, hourly, max(first, this_month), month_end(today))}


def year_breaches(
    session: Session, settings: Settings, person_ids: list[int], today: date, minutes: MonthlyMinutes | None = None
) -> dict[int, YearBreach]:
    """Per person, this year's allowance, paid plus what the agreement will still pay, against the yearly maximum.

    Everyone's agreements, payments and logged minutes are read in a few grouped queries, not a few per person;
    minutes, from monthly_minutes, saves reading the minutes again.
    """
    limits = tax_limits.for_year(settings.allowances, today.year)
    if limits is None or not person_ids:
        return {}
    histories = versions_for(session, person_ids)
    paying = [pid for pid, history in histories.items() if any(t.kind != NONE for t in history)]
    year_start, year_end = date(today.year, 1, 1), date(today.year, 12, 31)
    paid = ledger.paid_by_month(session, person_ids, year_start, year_end)
    hourly = [pid for pid in paying if any(t.kind == HOURLY for t in histories[pid])]
    if minutes is None:
        minutes = minutes_by_month(session, hourly, year_start, month_end(today))
    demarcations = demarcation_versions_of(session, hourly)
    months = months_between(year_start, date(today.year, 12, 1))
    allowances: dict[int, dict[date, int]] = defaultdict(dict)
    expenses_of: dict[int, int] = defaultdict(int)
    for (p, m, k), cents in paid.items():
        if k == ledger.ALLOWANCE:
            allowances[p][m] = cents
        elif k == ledger.EXPENSE:
            expenses_of[p] += cents
    result: dict[int, YearBreach] = {}
    for pid in person_ids:
        allowance = allowances.get(pid, {})
        expenses = expenses_of.get(pid, 0)
        if pid not in paying and not allowance and not expenses:
            continue
        history = histories[pid]
        expected = 0
        for month in months:
            if month < month_start(today):
                due = due_for_month(session, pid, month, history, minutes)
            else:
                due = expected_cents(session, settings, pid, month, history, demarcations.get(pid, []))
            expected += max(0, due - allowance.get(month, 0))
        paid_total = sum(allowance.values())
        breach = tax_limits.check_year(limits, euros(paid_total + expected), euros(expenses))
        if breach:
            result[pid] = YearBreach(breach, paid_total, expected)
    return result


def year_breach(session: Session, settings: Settings, person_id: int, today: date) -> YearBreach | None:
    """year_breaches for one person."""
    return year_breaches(session, settings, [person_id], today).get(person_id)


def hourly_breaches(
    session: Session, settings: Settings, person_ids: list[int], today: date
) -> dict[int, tuple[Breach, bool]]:
    """Per person, an hourly agreement in force today above the maximum per hour; with whether the under-21 maximum
    applied. One query for everyone's agreements."""
    limits = tax_limits.for_year(settings.allowances, today.year)
    if limits is None:
        return {}
    result: dict[int, tuple[Breach, bool]] = {}
    for pid, history in versions_for(session, person_ids).items():
        terms = in_force(history, today)
        if terms.kind != HOURLY:
            continue
        under_21 = terms.under_21_on(today)
        breach = tax_limits.check_hourly(limits, terms.amount, under_21)
        if breach:
            result[pid] = (breach, under_21)
    return result


def hourly_breach(session: Session, settings: Settings, person_id: int, today: date) -> tuple[Breach, bool] | None:
    """hourly_breaches for one person."""
    return hourly_breaches(session, settings, [person_id], today).get(person_id)


def overdue(
    session: Session, settings: Settings, person_ids: list[int], today: date, minutes: MonthlyMinutes | None = None
) -> dict[int, Overdue]:
    """Per person, agreed allowances not (fully) paid `overdue_days` after the end of their month (last year);
    minutes, from monthly_minutes, saves reading the minutes again."""
    first, last = _overdue_months(settings, today)
    paid = ledger.paid_by_month(session, person_ids, first, month_end(last))
    histories = versions_for(session, person_ids)
    hourly = [pid for pid, history in histories.items() if any(t.kind == HOURLY for t in history)]
    if minutes is None:
        minutes = minutes_by_month(session, hourly, first, month_end(last))
    result: dict[int, Overdue] = {}
    months = months_between(first, last)
    for pid in person_ids:
        history = histories[pid]
        if all(t.kind == NONE for t in history):
            continue
        missing = []
        for month in months:
            due = due_for_month(session, pid, month, history, minutes)
            short = due - paid.get((pid, month, ledger.ALLOWANCE), 0)
            if due > 0 and short > 0:
                missing.append((month, short))
        if missing:
            result[pid] = Overdue(missing[0][0], missing[0][1], len(missing))
    return result
