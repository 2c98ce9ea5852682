"""The checks behind the allowance alerts: a month over the monthly maximum, a year going to exceed the yearly
maximum, an hourly agreement above the hourly maximum, and an agreed payment still unpaid after its month ended."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from monitor.config import Settings
from monitor.money import ledger, tax_limits
from monitor.money.allowances import HOURLY, NONE, due_for_month, expected_cents, in_force, months_between, versions
from monitor.money.amounts import add_months, euros, month_end, month_start
from monitor.money.tax_limits import Breach

LOOK_BACK_MONTHS = 12


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


def year_breach(session: Session, settings: Settings, person_id: int, today: date) -> YearBreach | None:
    """This year's allowance, paid plus what the agreement will still pay, against the yearly maximum."""
    limits = tax_limits.for_year(settings.allowances, today.year)
    if limits is None:
        return None
    history = versions(session, person_id)
    paid = ledger.paid_by_month(session, [person_id], date(today.year, 1, 1), date(today.year, 12, 31))
    allowance = {m: c for (_p, m, k), c in paid.items() if k == ledger.ALLOWANCE}
    expenses = sum(c for (_p, _m, k), c in paid.items() if k == ledger.EXPENSE)
    paid_total = sum(allowance.values())
    expected = 0
    for month in months_between(date(today.year, 1, 1), date(today.year, 12, 1)):
        if month < month_start(today):
            still = due_for_month(session, person_id, month, history) - allowance.get(month, 0)
        else:
            still = expected_cents(session, settings, person_id, month, history) - allowance.get(month, 0)
        expected += max(0, still)
    breach = tax_limits.check_year(limits, euros(paid_total + expected), euros(expenses))
    return YearBreach(breach, paid_total, expected) if breach else None


def hourly_breach(session: Session, settings: Settings, person_id: int, today: date) -> tuple[Breach, bool] | None:
    """An hourly agreement in force today above the maximum per hour; with whether the under-21 maximum applied."""
    terms = in_force(versions(session, person_id), today)
    limits = tax_limits.for_year(settings.allowances, today.year)
    if terms.kind != HOURLY or limits is None:
        return None
    under_21 = terms.under_21_on(today)
    breach = tax_limits.check_hourly(limits, terms.amount, under_21)
    return (breach, under_21) if breach else None


def overdue(session: Session, settings: Settings, person_ids: list[int], today: date) -> dict[int, Overdue]:
    """Per person, agreed allowances not (fully) paid `overdue_days` after the end of their month (last year)."""
    last = month_start(today)  # back to the latest month that ended more than overdue_days ago
    while month_end(last) + timedelta(days=settings.allowances.overdue_days) >= today:
        last = add_months(last, -1)
    first = add_months(last, -(LOOK_BACK_MONTHS - 1))
    paid = ledger.paid_by_month(session, person_ids, first, month_end(last))
    result: dict[int, Overdue] = {}
    for pid in person_ids:
        history = versions(session, pid)
        if all(t.kind == NONE for t in history):
            continue
        missing = []
        for month in months_between(first, last):
            due = due_for_month(session, pid, month, history)
            short = due - paid.get((pid, month, ledger.ALLOWANCE), 0)
            if due > 0 and short > 0:
                missing.append((month, short))
        if missing:
            result[pid] = Overdue(missing[0][0], missing[0][1], len(missing))
    return result
