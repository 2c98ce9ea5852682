"""The payments ledger: append-only, corrected by reversals, exact amounts, and nobody sees another's payments."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine, delete, func, select, text, update
from sqlalchemy.exc import DBAPIError

from db.engine import reading, unit_of_work
from db.models import FundEntry, Payment
from monitor.errors import PermissionDenied, ValidationError
from monitor.money import emergency_fund, ledger, ledger_export
from monitor.money.ledger import PaymentInput
from tests.unit import factories

TODAY = date(2025, 6, 20)


def pay(engine: Engine, team: factories.Team, amount: str, kind: str = "allowance", **extra: object) -> int:
    data = PaymentInput(
        person_id=extra.pop("person_id", team.coproducer.person_id),  # type: ignore[arg-type]
        kind=kind,
        period=extra.pop("period", date(2025, 5, 1)),  # type: ignore[arg-type]
        amount=Decimal(amount),
        paid_on=date(2025, 6, 2),
        reference="bank 2025-06",
        **extra,  # type: ignore[arg-type]
    )
    return ledger.record_payment(engine, team.leader, data, TODAY)


def test_a_reversal_corrects_a_payment_and_nothing_is_deleted(engine: Engine) -> None:
    team = factories.team(engine)
    pid = team.coproducer.person_id
    first = pay(engine, team, "150.00")
    wrong = pay(engine, team, "15.00")  # meant to be 50.00
    pay(engine, team, "12.35", "expense", receipt_reference="bon 17")
    reversal = ledger.reverse_payment(engine, team.leader, wrong, "typed 15 instead of 50", TODAY)
    pay(engine, team, "50.00")

    totals = ledger.year_totals(engine, team.coproducer, pid, 2025)
    assert (totals.allowance_cents, totals.expense_cents) == (20000, 1235)
    assert totals.allowance_by_month == {5: 20000}
    rows = {r.id: r for r in ledger.person_payments(engine, team.coproducer, pid)}
    assert len(rows) == 5  # the mistake and its reversal both stay
    assert rows[wrong].reversed_by == reversal
    assert (rows[reversal].amount, rows[reversal].reverses_id) == (Decimal("-15.00"), wrong)
    assert rows[first].reversed_by is None

    with pytest.raises(ValidationError, match="already been reversed"):
        ledger.reverse_payment(engine, team.leader, wrong, "again", TODAY)
    with pytest.raises(ValidationError, match="cannot be reversed"):
        ledger.reverse_payment(engine, team.leader, reversal, "undo the undo", TODAY)
    with pytest.raises(ValidationError):
        ledger.reverse_payment(engine, team.leader, first, "  ", TODAY)


def test_the_ledger_cannot_be_changed_or_deleted_in_place(engine: Engine) -> None:
    team = factories.team(engine)
    payment = pay(engine, team, "100.00")
    assert not [name for name in dir(ledger) if name.startswith(("update", "delete", "edit", "remove", "change"))]
    for statement in (
        update(Payment).where(Payment.id == payment).values(amount_cents=1),
        delete(Payment).where(Payment.id == payment),
    ):
        with pytest.raises(DBAPIError, match="append-only"), unit_of_work(engine) as session:
            session.execute(statement)
    with reading(engine) as session:
        assert session.scalar(select(Payment.amount_cents).where(Payment.id == payment)) == 10000


def test_amounts_are_exact_and_checked(engine: Engine) -> None:
    team = factories.team(engine)
    for amount in ("0.1", "0.2"):
        pay(engine, team, amount)
    assert ledger.year_totals(engine, team.leader, team.coproducer.person_id, 2025).allowance_cents == 30
    with pytest.raises(ValidationError, match="two decimals"):
        pay(engine, team, "10.005")
    with pytest.raises(ValidationError, match="more than zero"):
        pay(engine, team, "-5")
    with pytest.raises(ValidationError, match="receipt"):
        pay(engine, team, "5", "expense")
    with pytest.raises(ValidationError, match="kind of problem"):
        pay(engine, team, "25", "emergency")


def test_a_coproducer_never_sees_another_coproducers_payments(engine: Engine) -> None:
    team = factories.team(engine)
    other_team = factories.team(engine, "Transvaal", prefix="t")
    pay(engine, team, "100.00")
    pay(engine, team, "80.00", person_id=team.other_coproducer.person_id)
    henk = team.other_coproducer.person_id
    own = ledger.person_payments(engine, team.coproducer, team.coproducer.person_id)
    assert [p.person_id for p in own] == [team.coproducer.person_id]
    for actor, call in (
        (team.coproducer, lambda a: ledger.person_payments(engine, a, henk)),
        (team.coproducer, lambda a: ledger.year_totals(engine, a, henk, 2025)),
        (team.coproducer, lambda a: ledger.team_payments(engine, a, team.id)),
        (team.counsellor, lambda a: ledger.person_payments(engine, a, henk)),
        (other_team.leader, lambda a: ledger.person_payments(engine, a, henk)),
        (other_team.leader, lambda a: ledger.team_payments(engine, a, team.id)),
    ):
        with pytest.raises(PermissionDenied):
            call(actor)
    with pytest.raises(PermissionDenied):  # a coproducer cannot record a payment, not even to themselves
        ledger.record_payment(
            engine,
            team.coproducer,
            PaymentInput(team.coproducer.person_id, "allowance", TODAY, Decimal("5"), TODAY),
            TODAY,
        )
    assert len(ledger.team_payments(engine, team.leader, team.id)) == 2


def test_filters_on_the_team_ledger(engine: Engine) -> None:
    team = factories.team(engine)
    pay(engine, team, "100.00", period=date(2025, 4, 1))
    pay(engine, team, "100.00", period=date(2025, 5, 1))
    pay(engine, team, "7.50", "expense", receipt_reference="bon 1", period=date(2025, 5, 1))
    pay(engine, team, "80.00", person_id=team.other_coproducer.person_id)
    rows = ledger.team_payments
    assert len(rows(engine, team.leader, team.id)) == 4
    assert len(rows(engine, team.leader, team.id, kind="expense")) == 1
    assert len(rows(engine, team.leader, team.id, person_id=team.other_coproducer.person_id)) == 1
    assert len(rows(engine, team.leader, team.id, start=date(2025, 5, 1), end=date(2025, 5, 31))) == 3


def test_an_emergency_payment_comes_out_of_the_fund_and_its_reversal_puts_it_back(engine: Engine) -> None:
    team = factories.team(engine)
    emergency_fund.top_up(engine, team.leader, team.id, Decimal("100"), TODAY)
    payment = pay(engine, team, "25.00", "emergency", topic="money")
    assert emergency_fund.balance(engine, team.leader, team.id) == Decimal("75.00")
    ledger.reverse_payment(engine, team.leader, payment, "paid from the wrong fund", TODAY)
    assert emergency_fund.balance(engine, team.leader, team.id) == Decimal("100.00")
    with reading(engine) as session:
        assert session.scalar(select(func.count()).select_from(FundEntry)) == 3


def test_the_excel_export_reads_back_with_exact_amounts(engine: Engine) -> None:
    team = factories.team(engine)
    wrong = pay(engine, team, "15.00")
    ledger.reverse_payment(engine, team.leader, wrong, '=HYPERLINK("x")', TODAY)
    pay(engine, team, "12.35", "expense", receipt_reference="bon 17")
    content = ledger_export.to_file(ledger.team_payments(engine, team.leader, team.id), "xlsx")
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    table = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert table[0] == list(ledger_export.COLUMNS)
    body = [dict(zip(table[0], row, strict=True)) for row in table[1:]]
    assert [(r["kind"], Decimal(str(r["amount_eur"]))) for r in body] == [
        ("allowance", Decimal("15.00")),
        ("expense", Decimal("12.35")),
        ("allowance", Decimal("-15.00")),  # the reversal, paid (booked) later
    ]
    assert body[2]["reverses"] == wrong
    assert body[2]["note"].startswith("'=")  # a formula is not run by the spreadsheet
    assert body[1]["receipt_reference"] == "bon 17"
    assert sum(Decimal(str(r["amount_eur"])) for r in body) == Decimal("12.35")


def test_the_database_refuses_an_expense_without_receipt(engine: Engine) -> None:
    team = factories.team(engine)
    with pytest.raises(DBAPIError), unit_of_work(engine) as session:
        session.execute(
            text(
                "INSERT INTO payments (person_id, team_id, kind, period, amount_cents, paid_on, reference, recorded_at)"
                " VALUES (:p, :t, 'expense', '2025-05-01', 100, '2025-05-02', '', '2025-05-02 10:00:00')"
            ),
            {"p": team.coproducer.person_id, "t": team.id},
        )
