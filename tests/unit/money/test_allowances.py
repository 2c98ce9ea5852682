"""Allowances: the tax-free limits just under, at and over; the monthly run; and the rules that tell the leader."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine, select

from db.engine import reading
from db.models import Alert, Notification
from monitor.alerts import actions, evaluation
from monitor.config import Settings, load
from monitor.errors import PermissionDenied, ValidationError
from monitor.money import allowances, checks, ledger, monthly_run, tax_limits
from monitor.money.ledger import PaymentInput
from monitor.people import age
from monitor.people.access import SYSTEM
from monitor.requests import log as requests
from monitor.requests.log import RequestInput
from monitor.training import records as training
from tests.unit import factories

LIMITS = load().allowances  # the figures in config.toml
L2024 = tax_limits.for_year(LIMITS, 2024)
L2025 = tax_limits.for_year(LIMITS, 2025)
D = Decimal


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The test settings with the allowance limits of config.toml."""
    return replace(settings, allowances=LIMITS)


@pytest.mark.parametrize(
    ("allowance", "expenses", "scope"),
    [
        ("209.99", "0", None),
        ("210.00", "0", None),
        ("210.01", "0", tax_limits.ALONE),
        ("200.00", "10.00", None),  # together exactly at the maximum
        ("200.00", "10.01", tax_limits.WITH_EXPENSES),
        ("0", "500.00", None),  # receipted costs alone have no maximum
    ],
)
def test_the_monthly_maximum(allowance: str, expenses: str, scope: str | None) -> None:
    assert L2025 is not None
    breach = tax_limits.check_month(L2025, D(allowance), D(expenses))
    assert (breach.scope if breach else None) == scope


@pytest.mark.parametrize(
    ("allowance", "expenses", "scope"),
    [
        ("2099.99", "0", None),
        ("2100.00", "0", None),
        ("2100.01", "0", tax_limits.ALONE),
        ("2000", "100.01", "with_expenses"),
    ],
)
def test_the_yearly_maximum(allowance: str, expenses: str, scope: str | None) -> None:
    assert L2025 is not None
    breach = tax_limits.check_year(L2025, D(allowance), D(expenses))
    assert (breach.scope if breach else None) == scope


@pytest.mark.parametrize(
    ("year", "rate", "under_21", "over"),
    [
        (2025, "5.59", False, False),
        (2025, "5.60", False, False),
        (2025, "5.61", False, True),
        (2025, "3.29", True, False),
        (2025, "3.30", True, False),
        (2025, "3.31", True, True),
        (2024, "5.50", False, False),
        (2024, "5.55", False, True),  # over in 2024, within in 2025: the year boundary counts
        (2024, "3.26", True, True),
    ],
)
def test_the_hourly_maximum_per_year_and_age(year: int, rate: str, under_21: bool, over: bool) -> None:
    limits = tax_limits.for_year(LIMITS, year)
    assert limits is not None and not limits.fallback
    assert (tax_limits.check_hourly(limits, D(rate), under_21) is not None) == over


def test_a_year_without_figures_uses_the_latest_year_before_it_and_says_so() -> None:
    later = tax_limits.for_year(LIMITS, 2028)
    assert later is not None and later.fallback and later.limits.year == 2026
    earlier = tax_limits.for_year(LIMITS, 2019)
    assert earlier is not None and earlier.fallback and earlier.limits.year == 2024
    assert tax_limits.for_year(replace(LIMITS, limits={}), 2025) is None


# The monthly run --------------------------------------------------------------------------------------------------

TODAY = date(2025, 6, 20)


def _log(engine: Engine, settings: Settings, person_id: int, day: date, minutes: int) -> None:
    moment = datetime(day.year, day.month, day.day, 10, 0, tzinfo=settings.tz).astimezone(UTC)
    data = RequestInput(minutes, "door", ("money",), received_at=moment)
    requests.log_request(engine, settings, SYSTEM, person_id, data, now=moment)


def test_the_monthly_run_proposes_exactly_what_is_due_and_nothing_twice(engine: Engine, settings: Settings) -> None:
    team = factories.team(engine)
    fatima, henk = team.coproducer.person_id, team.other_coproducer.person_id
    allowances.record_terms(engine, team.leader, fatima, date(2025, 1, 1), "monthly", D("150"))
    allowances.record_terms(engine, team.leader, henk, date(2025, 5, 10), "hourly", D("5.00"))  # from 1 May
    _log(engine, settings, henk, date(2025, 5, 6), 90)
    _log(engine, settings, henk, date(2025, 5, 20), 45)  # 2.25 hours: EUR 11.25
    _log(engine, settings, henk, date(2025, 6, 2), 600)  # another month
    may = date(2025, 5, 1)

    proposals = monthly_run.propose(engine, settings, team.leader, team.id, may)
    assert [(p.person_id, p.kind, p.minutes, p.amount_cents) for p in proposals] == [
        (fatima, "monthly", 0, 15000),
        (henk, "hourly", 135, 1125),
    ]
    april = monthly_run.propose(engine, settings, team.leader, team.id, date(2025, 4, 1))
    assert [(p.person_id, p.amount_cents) for p in april] == [(fatima, 15000)]  # Henk had no agreement yet

    ids = monthly_run.confirm(engine, settings, team.leader, team.id, may, [fatima, henk], date(2025, 6, 1), TODAY)
    assert len(ids) == 2
    assert monthly_run.propose(engine, settings, team.leader, team.id, may) == []
    assert monthly_run.confirm(engine, settings, team.leader, team.id, may, [fatima, henk], TODAY, TODAY) == []
    paid = ledger.team_payments(engine, team.leader, team.id)
    assert sorted((p.person_id, p.amount_cents, p.reference) for p in paid) == [
        (fatima, 15000, "allowance 2025-05"),
        (henk, 1125, "allowance 2025-05"),
    ]

    # A payment reversed is due again; one paid in part proposes the rest
    [fatima_may] = [p for p in paid if p.person_id == fatima]
    ledger.reverse_payment(engine, team.leader, fatima_may.id, "wrong account", TODAY)
    ledger.record_payment(engine, team.leader, PaymentInput(fatima, "allowance", may, D("100"), TODAY), TODAY)
    [rest] = monthly_run.propose(engine, settings, team.leader, team.id, may)
    assert (rest.person_id, rest.due_cents, rest.paid_cents, rest.amount_cents) == (fatima, 15000, 10000, 5000)


def test_two_leaders_confirming_the_monthly_run_at_once_pay_once(engine: Engine, settings: Settings) -> None:
    import threading

    team = factories.team(engine)
    fatima = team.coproducer.person_id
    allowances.record_terms(engine, team.leader, fatima, date(2025, 1, 1), "monthly", D("150"))
    may = date(2025, 5, 1)
    barrier = threading.Barrier(2)
    results: list[list[int]] = []

    def confirm() -> None:
        barrier.wait()
        results.append(monthly_run.confirm(engine, settings, team.leader, team.id, may, [fatima], TODAY, TODAY))

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(len(ids) for ids in results) == [0, 1]
    assert [p.amount_cents for p in ledger.team_payments(engine, team.leader, team.id)] == [15000]


def test_a_proposal_that_would_cross_a_maximum_says_so(engine: Engine, settings: Settings) -> None:
    team = factories.team(engine)
    fatima = team.coproducer.person_id
    allowances.record_terms(engine, team.leader, fatima, date(2025, 1, 1), "monthly", D("200"))
    expense = PaymentInput(fatima, "expense", date(2025, 5, 1), D("20"), TODAY, receipt_reference="bus card")
    ledger.record_payment(engine, team.leader, expense, TODAY)
    [proposal] = monthly_run.propose(engine, settings, team.leader, team.id, date(2025, 5, 1))
    assert proposal.breach is not None
    assert (proposal.breach.limit, proposal.breach.scope) == (tax_limits.MONTH, tax_limits.WITH_EXPENSES)


def test_only_the_leader_records_allowance_terms(engine: Engine) -> None:
    team = factories.team(engine)
    with pytest.raises(PermissionDenied):
        allowances.record_terms(engine, team.coproducer, team.coproducer.person_id, TODAY, "monthly", D("500"))
    with pytest.raises(PermissionDenied):
        allowances.current_terms(engine, team.coproducer, team.other_coproducer.person_id, TODAY)
    with pytest.raises(ValidationError):
        allowances.record_terms(engine, team.leader, team.coproducer.person_id, TODAY, "monthly", D("0"))
    start = allowances.record_terms(engine, team.leader, team.coproducer.person_id, TODAY, "hourly", D("3.30"))
    terms = allowances.current_terms(engine, team.coproducer, team.coproducer.person_id, TODAY)
    assert (start, terms.kind, terms.amount, terms.under_21_until) == (date(2025, 6, 1), "hourly", D("3.30"), None)
    # Under 21 follows from the month of birth (issue 30): born in June 2004, 21 from 1 June 2025.
    age.set_birth_month(engine, team.leader, team.coproducer.person_id, date(2004, 6, 18), TODAY)
    terms = allowances.current_terms(engine, team.coproducer, team.coproducer.person_id, TODAY)
    assert (terms.under_21_until, terms.under_21_on(TODAY - timedelta(days=30)), terms.under_21_on(TODAY)) == (
        start,
        True,
        False,
    )


# The rules --------------------------------------------------------------------------------------------------------

AT = datetime(2025, 6, 20, 12, 0, tzinfo=UTC)


def _found(engine: Engine, settings: Settings, at: datetime = AT) -> dict[tuple[str, int], Alert]:
    evaluation.evaluate(engine, settings, at=at)
    with reading(engine) as session:
        return {(a.rule, a.person_id): a for a in session.scalars(select(Alert)).all()}


def _notified(engine: Engine, person_id: int) -> list[str]:
    with reading(engine) as session:
        return list(session.scalars(select(Notification.message).where(Notification.person_id == person_id)).all())


def test_allowance_rules_tell_the_leader_only(engine: Engine, settings: Settings) -> None:
    team = factories.team(engine)
    fatima, henk = team.coproducer.person_id, team.other_coproducer.person_id
    allowances.record_terms(engine, team.leader, fatima, date(2025, 1, 1), "monthly", D("200"))  # 2400 a year
    allowances.record_terms(engine, team.leader, henk, date(2025, 1, 1), "hourly", D("5.61"))
    for month in range(1, 6):
        period = date(2025, month, 1)
        ledger.record_payment(engine, team.leader, PaymentInput(fatima, "allowance", period, D("200"), TODAY), TODAY)
    # May is paid for Fatima; Henk's hours in April were never paid
    _log(engine, settings, henk, date(2025, 4, 8), 60)
    extra = PaymentInput(fatima, "allowance", date(2025, 5, 1), D("10.01"), TODAY, reference="bonus")
    ledger.record_payment(engine, team.leader, extra, TODAY)

    found = _found(engine, settings)
    assert found[("allowance_month", fatima)].value == pytest.approx(210.01)
    year = found[("allowance_year", fatima)]
    assert (year.value, year.threshold) == (pytest.approx(2410.01), 2100)  # 1010.01 paid + 7 x 200 still to pay
    assert found[("allowance_hourly", henk)].value == pytest.approx(5.61)
    overdue = found[("allowance_overdue", henk)]
    assert '"period_month": "2025-04"' in overdue.detail and '"missing_cents": 561' in overdue.detail
    assert ("allowance_overdue", fatima) not in found  # all her months until May are paid
    assert _notified(engine, fatima) == [] and _notified(engine, henk) == []
    assert len(_notified(engine, team.leader.person_id)) == 1  # the four new alerts in one message
    assert actions.my_alerts(engine, team.coproducer) == []


def test_payment_alerts_never_prompt_the_counsellor_even_when_critical_or_long_open(
    engine: Engine, settings: Settings
) -> None:
    critical = replace(
        settings, rules=replace(settings.rules, severity={**settings.rules.severity, "allowance_hourly": "critical"})
    )
    team = factories.team(engine)
    henk = team.other_coproducer.person_id
    allowances.record_terms(engine, team.leader, henk, date(2025, 1, 1), "hourly", D("5.61"))
    _found(engine, critical)
    _found(engine, critical, at=AT + timedelta(days=20))
    assert found_rules(engine) >= {"allowance_hourly"}
    assert _notified(engine, team.counsellor.person_id) == []
    with reading(engine) as session:
        assert session.scalars(select(Alert.counsellor_prompted_at)).all() == [None] * len(found_rules(engine, True))


def found_rules(engine: Engine, every: bool = False) -> set[str] | list[str]:  # type: ignore[type-arg]
    with reading(engine) as session:
        rules = list(session.scalars(select(Alert.rule)).all())
    return rules if every else set(rules)


def test_the_overdue_alert_waits_the_days_after_the_month_ended(engine: Engine, settings: Settings) -> None:
    team = factories.team(engine)
    fatima = team.coproducer.person_id
    allowances.record_terms(engine, team.leader, fatima, date(2025, 5, 1), "monthly", D("100"))
    # May ended on 31 May; 14 days later is 14 June: not yet overdue then, overdue on 15 June
    assert ("allowance_overdue", fatima) not in _found(engine, settings, datetime(2025, 6, 14, 12, tzinfo=UTC))
    assert ("allowance_overdue", fatima) in _found(engine, settings, datetime(2025, 6, 15, 12, tzinfo=UTC))


def test_outside_training_names_the_training_that_would_cover_it(engine: Engine, settings: Settings) -> None:
    team = factories.team(engine)
    fatima = team.coproducer.person_id
    debt = training.add_training(engine, team.leader, team.id, "Debt-help basics", "", 6, 36, ("money",))
    training.add_training(engine, team.leader, team.id, "Handling aggression", "", 3, 24, ("violence",))
    day = date(2025, 6, 19)
    moment = datetime(2025, 6, 19, 10, tzinfo=settings.tz).astimezone(UTC)
    for topics in (("money",), ("money", "violence"), ("housing",)):
        data = RequestInput(30, "door", topics, received_at=moment)
        requests.log_request(engine, settings, SYSTEM, fatima, data, now=moment)

    alert = _found(engine, settings)[("outside_training", fatima)]
    assert alert.value == 4
    assert '"topics": ["housing", "money", "violence"]' in alert.detail
    assert '"trainings": "Debt-help basics, Handling aggression"' in alert.detail

    # Recorded by herself it does not count yet; confirmed it does
    record = training.record_training(engine, team.coproducer, fatima, debt, day, today=day)
    assert '"money"' in _found(engine, settings)[("outside_training", fatima)].detail
    training.confirm_record(engine, team.leader, record)
    alert = _found(engine, settings)[("outside_training", fatima)]
    assert alert.value == 2 and '"money"' not in alert.detail


def test_a_team_without_a_catalogue_gets_no_outside_training_alerts(engine: Engine, settings: Settings) -> None:
    team = factories.team(engine)
    moment = datetime(2025, 6, 19, 10, tzinfo=settings.tz).astimezone(UTC)
    data = RequestInput(30, "door", ("money",), received_at=moment)
    requests.log_request(engine, settings, SYSTEM, team.coproducer.person_id, data, now=moment)
    assert not [key for key in _found(engine, settings) if key[0] == "outside_training"]


@pytest.mark.parametrize(
    ("today", "first"),
    [
        (date(2026, 12, 3), date(2025, 11, 1)),  # overdue looks at Nov 2025 - Oct 2026 (November not 14 days over)
        (date(2026, 1, 14), date(2024, 12, 1)),  # December not yet 14 days over: Dec 2024 - Nov 2025
        (date(2026, 1, 15), date(2025, 1, 1)),  # Jan - Dec 2025
        (date(2026, 7, 1), date(2025, 6, 1)),  # Jun 2025 - May 2026, before this year's first day
    ],
)
def test_the_first_day_the_allowance_checks_read(settings: Settings, today: date, first: date) -> None:
    """The benchmark's baseline of history rests on this: no check reads requests from before it."""
    assert checks.first_day_read(settings, today) == first
