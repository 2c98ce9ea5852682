"""The demo's training and money: a training expiring soon, one expired, one to confirm; a year of allowances with a
reversal; an emergency fund that has run low."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import Engine, func, select

from db.engine import reading
from db.models import Payment
from monitor.demo import load as demo
from monitor.demo import money as demo_money
from monitor.money import emergency_fund, integrity
from monitor.people import accounts as people
from monitor.people import auth
from monitor.training import qualifications

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def test_the_demo_has_believable_training_and_money(engine: Engine, settings) -> None:  # type: ignore[no-untyped-def]
    demo.load_demo(engine)
    assert demo_money.load(engine, settings, NOW)
    assert not demo_money.load(engine, settings, NOW)  # only once
    team_id = people.team_id_by_name(engine, "Moerwijk")
    leader = auth.actor_for_person(engine, people.person_id_by_username(engine, "lotte"))  # type: ignore[arg-type]
    assert team_id is not None and leader is not None
    today = NOW.date()
    rows = {r.name: r for r in qualifications.team_overview(engine, leader, team_id, today, 60)}
    assert rows["Fatima Bakkali"].cells["housing"].status == qualifications.EXPIRING
    assert rows["Youssef Amrani"].cells["violence"].status == qualifications.EXPIRED  # the refresher waits
    assert rows["Henk Verbeek"].cells["addiction"].status == qualifications.TRAINED  # privacy basics covers all
    with reading(engine) as session:
        reversals = session.scalar(select(func.count()).where(Payment.reverses_id.is_not(None)))
        months = session.scalar(select(func.count(func.distinct(Payment.period))))
    assert reversals == 1 and months >= 6
    assert emergency_fund.balance(engine, leader, team_id) == Decimal("40.00")
    assert integrity.verify(engine).intact  # every demo payment and fund entry is in its hash chain
