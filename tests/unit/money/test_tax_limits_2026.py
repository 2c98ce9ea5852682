"""The 2026 tax-free allowance limits in config.toml, at, under and over each; and the November reminder to add
next year's figures, sent once to each administrator."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import Engine, select

from db.engine import reading
from db.models import Notification
from monitor.config import Settings, load
from monitor.money import limits_reminder, tax_limits
from tests.unit import factories

LIMITS = load().allowances  # the figures in config.toml
D = Decimal


def _2026() -> tax_limits.YearLimits:
    limits = tax_limits.for_year(LIMITS, 2026)
    assert limits is not None and not limits.fallback, "config.toml has no figures of its own for 2026"
    return limits


@pytest.mark.parametrize(
    ("rate", "under_21", "over"),
    [
        ("5.74", False, False),
        ("5.75", False, False),
        ("5.76", False, True),
        ("3.39", True, False),
        ("3.40", True, False),
        ("3.41", True, True),
    ],
)
def test_the_2026_hourly_maximum(rate: str, under_21: bool, over: bool) -> None:
    assert (tax_limits.check_hourly(_2026(), D(rate), under_21) is not None) == over


@pytest.mark.parametrize(
    ("allowance", "expenses", "scope"),
    [
        ("219.99", "0", None),
        ("220.00", "0", None),
        ("220.01", "0", tax_limits.ALONE),
        ("210.00", "10.00", None),
        ("210.00", "10.01", tax_limits.WITH_EXPENSES),
    ],
)
def test_the_2026_monthly_maximum(allowance: str, expenses: str, scope: str | None) -> None:
    breach = tax_limits.check_month(_2026(), D(allowance), D(expenses))
    assert (breach.scope if breach else None) == scope


@pytest.mark.parametrize(
    ("allowance", "expenses", "scope"),
    [
        ("2199.99", "0", None),
        ("2200.00", "0", None),
        ("2200.01", "0", tax_limits.ALONE),
        ("2100.00", "100.01", tax_limits.WITH_EXPENSES),
    ],
)
def test_the_2026_yearly_maximum(allowance: str, expenses: str, scope: str | None) -> None:
    breach = tax_limits.check_year(_2026(), D(allowance), D(expenses))
    assert (breach.scope if breach else None) == scope


def test_2027_falls_back_to_the_2026_figures() -> None:
    later = tax_limits.for_year(LIMITS, 2027)
    assert later is not None and later.fallback and later.limits.year == 2026


# The November reminder ----------------------------------------------------------------------------------------------

NOV = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return replace(settings, allowances=LIMITS)


def _reminders(engine: Engine) -> list[tuple[int, str]]:
    with reading(engine) as session:
        rows = session.execute(
            select(Notification.person_id, Notification.params).where(Notification.kind == "tax_limits")
        ).all()
    return [(person_id, params) for person_id, params in rows]


def test_each_november_the_administrators_are_asked_once_for_next_years_figures(
    engine: Engine, settings: Settings
) -> None:
    team = factories.team(engine)
    assert limits_reminder.run(engine, settings, "worker-a", now=NOV) == 1
    assert limits_reminder.run(engine, settings, "worker-b", now=NOV.replace(day=20)) == 0  # claimed once
    reminders = _reminders(engine)
    assert [person_id for person_id, _ in reminders] == [team.admin.person_id]
    assert '"year": 2027' in reminders[0][1]


@pytest.mark.parametrize(
    "now",
    [
        datetime(2026, 10, 31, 12, 0, tzinfo=UTC),  # before November
        datetime(2026, 11, 30, 23, 30, tzinfo=UTC),  # already 1 December in Amsterdam
    ],
)
def test_outside_november_nobody_is_asked(engine: Engine, settings: Settings, now: datetime) -> None:
    factories.team(engine)
    assert limits_reminder.run(engine, settings, "worker", now=now) == 0
    assert _reminders(engine) == []


def test_nobody_is_asked_when_next_years_figures_are_there(engine: Engine, settings: Settings) -> None:
    factories.team(engine)
    assert limits_reminder.run(engine, settings, "worker", now=NOV.replace(year=2025)) == 0
    assert _reminders(engine) == []
