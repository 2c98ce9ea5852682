"""Euros held exactly: amounts are stored as integer cents and handled as Decimal, never as float; calendar months."""

from __future__ import annotations

import calendar
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from dateutil.relativedelta import relativedelta

from monitor.errors import ValidationError
from monitor.i18n import N_

CENT = Decimal("0.01")
MAX_CENTS = 10_000_000  # EUR 100,000: more than any one line of this ledger should ever be


def to_cents(amount: Decimal | int | str) -> int:
    """Euros (a Decimal, an int or a text such as "12,50") to whole cents; refuses more than two decimals."""
    try:
        value = Decimal(str(amount).strip().replace(",", ".")) if isinstance(amount, str) else Decimal(amount)
    except InvalidOperation:
        raise ValidationError(N_("Write an amount in euros, for example 25 or 12.50.")) from None
    if not value.is_finite() or value != value.quantize(CENT):
        raise ValidationError(N_("Write an amount in euros with at most two decimals, for example 12.50."))
    cents = int(value * 100)
    if abs(cents) > MAX_CENTS:
        raise ValidationError(N_("That amount is too large for this ledger."))
    return cents


def euros(cents: int) -> Decimal:
    """Cents to euros, exactly."""
    return (Decimal(cents) / 100).quantize(CENT)


def round_cents(amount: Decimal) -> int:
    """A computed amount in euros (e.g. rate x hours) to whole cents, halves rounded up."""
    return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the last day of the month when that month is shorter (31 Jan + 1 = 28/29 Feb)."""
    return day + relativedelta(months=months)


def months_of_year(year: int) -> list[date]:
    return [date(year, month, 1) for month in range(1, 13)]
