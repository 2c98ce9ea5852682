"""The Dutch tax-free volunteer allowance maxima (per hour, month and year, from config.toml) and the checks.

All maxima hold at once and months cannot be averaged: crossing any one makes the whole allowance taxable. Receipted
costs alone have no maximum, but once there is an allowance the tax office counts allowance and costs together, so
each check looks at the allowance alone and at the allowance plus expenses. Being exactly at a maximum is allowed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from monitor.config import AllowanceLimits, AllowanceSettings

HOUR, MONTH, YEAR = "hour", "month", "year"
ALONE, WITH_EXPENSES = "allowance", "with_expenses"


@dataclass(frozen=True)
class YearLimits:
    """The figures used for `year`: its own, or (fallback) those of the latest year config.toml has."""

    year: int
    limits: AllowanceLimits

    @property
    def fallback(self) -> bool:
        return self.limits.year != self.year

    def per_hour(self, under_21: bool) -> Decimal:
        return self.limits.per_hour_under_21 if under_21 else self.limits.per_hour


@dataclass(frozen=True)
class Breach:
    limit: str  # HOUR, MONTH or YEAR
    scope: str  # ALONE, or WITH_EXPENSES: the allowance plus reimbursed expenses
    amount: Decimal
    maximum: Decimal


def for_year(settings: AllowanceSettings, year: int) -> YearLimits | None:
    """The maxima for year; without figures for it, the latest earlier year's (or the earliest known). None: none."""
    if not settings.limits:
        return None
    if year in settings.limits:
        return YearLimits(year, settings.limits[year])
    earlier = [y for y in settings.limits if y < year]
    chosen = max(earlier) if earlier else min(settings.limits)
    return YearLimits(year, settings.limits[chosen])


def _check(limit: str, maximum: Decimal, allowance: Decimal, expenses: Decimal) -> Breach | None:
    if allowance > maximum:
        return Breach(limit, ALONE, allowance, maximum)
    if allowance > 0 and allowance + expenses > maximum:
        return Breach(limit, WITH_EXPENSES, allowance + expenses, maximum)
    return None


def check_month(limits: YearLimits, allowance: Decimal, expenses: Decimal = Decimal(0)) -> Breach | None:
    """A month's allowance (and expenses) against the monthly maximum."""
    return _check(MONTH, limits.limits.per_month, allowance, expenses)


def check_year(limits: YearLimits, allowance: Decimal, expenses: Decimal = Decimal(0)) -> Breach | None:
    """A year's allowance (and expenses), paid or expected, against the yearly maximum."""
    return _check(YEAR, limits.limits.per_year, allowance, expenses)


def check_hourly(limits: YearLimits, rate: Decimal, under_21: bool) -> Breach | None:
    """An allowance per hour against the maximum per hour for the person's age group."""
    maximum = limits.per_hour(under_21)
    return Breach(HOUR, ALONE, rate, maximum) if rate > maximum else None
