"""AppTest for the training and allowance pages: Training, Allowances and Emergency fund for the leader; My training
and My allowance for the coproducer."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from db.engine import reading
from db.models import FundEntry, Payment, Role, Training, TrainingRecord
from monitor.config import settings
from monitor.money import allowances, emergency_fund, ledger
from monitor.people import auth
from monitor.people.access import SYSTEM
from monitor.requests import log as requests
from monitor.training import records as training
from tests.pages.conftest import World, by_label, confirmation, texts

TODAY = requests.local_now(settings()).date()


@pytest.fixture
def team(world: World) -> dict[str, int]:
    """Lotte leads; Fatima and Henk are coproducers; a small catalogue; Fatima recorded a training herself."""
    ids = {
        "lotte": world.person_in(Role.LEADER),
        "fatima": world.person_in(Role.COPRODUCER),
        "henk": world.person("henk", "Henk Verbeek", Role.COPRODUCER),
    }
    debt = training.add_training(world.engine, SYSTEM, world.team_id, "Debt-help basics", "", 6, 36, ("money",))
    ids["ehbo"] = training.add_training(
        world.engine, SYSTEM, world.team_id, "Mental-health first aid", "MIND", 8, 24, ("mental_health",)
    )
    fatima = auth.actor_for_person(world.engine, ids["fatima"])
    assert fatima is not None
    ids["record"] = training.record_training(world.engine, fatima, ids["fatima"], debt, TODAY - timedelta(days=3))
    return ids


def open_page(world: World, person_id: int, page: str) -> AppTest:
    world.sign_in(person_id)
    at = world.app().run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def test_the_leader_confirms_a_training_and_sees_the_heatmap(world: World, team: dict[str, int]) -> None:
    at = open_page(world, team["lotte"], "pages/training.py")
    assert texts(at.title) == ["Training"]
    assert len(at.get("plotly_chart")) == 1
    assert "**Fatima Bakkali** · Debt-help basics" in texts(at.markdown)
    at.session_state["training-tab"] = "Records"  # the leader opens the Records tab
    at.run()
    by_label(at.button, "Confirm").click().run()
    assert not at.exception, at.exception
    # In the Records tab where the leader confirmed it, and that tab stays open
    assert confirmation(at, "records") == ("Records", ["Confirmed: Debt-help basics for Fatima Bakkali."])
    assert at.session_state["training-tab"] == "Records"
    with reading(world.engine) as session:
        assert session.get(TrainingRecord, team["record"]).confirmed_by == team["lotte"]  # type: ignore[union-attr]


def test_the_leader_adds_a_training_to_the_catalogue(world: World, team: dict[str, int]) -> None:
    at = open_page(world, team["lotte"], "pages/training.py")
    by_label(at.text_input, "Name").set_value("Handling aggression")
    by_label(at.pills, "Prepares for").set_value(["violence"])
    by_label(at.button, "Add").click().run()
    assert not at.exception, at.exception
    assert confirmation(at, "catalogue") == ("Catalogue", ["Handling aggression was added to the catalogue."])
    with reading(world.engine) as session:
        added = session.scalars(select(Training).where(Training.name == "Handling aggression")).one()
    assert (added.topics, added.valid_months) == ("violence", 24)


def test_the_coproducer_sees_her_row_and_records_a_training(world: World, team: dict[str, int]) -> None:
    at = open_page(world, team["fatima"], "pages/my_training.py")
    assert texts(at.title) == ["My training"]
    lines = texts(at.markdown)
    assert ":gray[:material/remove:] **Money and debts** · Not trained" in lines  # her own record is not confirmed yet
    assert any("waiting for your leader to confirm" in line for line in lines)
    assert "**Mental-health first aid**" in lines
    assert any(line.startswith("Opens up:") and "Mental health" in line for line in lines)
    by_label(at.selectbox, "Training").set_value(by_label(at.selectbox, "Training").options[1])
    [save] = [b for b in at.get("form_submit_button") if b.label == "Save"]
    save.click().run()
    assert not at.exception, at.exception
    assert confirmation(at, "my-training") == (None, ["Saved. Your project leader will confirm it."])  # by the form
    assert texts(at.success) == ["Saved. Your project leader will confirm it."]  # and nowhere else
    with reading(world.engine) as session:
        assert len(session.scalars(select(TrainingRecord).where(TrainingRecord.person_id == team["fatima"])).all()) == 2


def test_the_leader_records_and_reverses_a_payment(world: World, team: dict[str, int]) -> None:
    at = open_page(world, team["lotte"], "pages/allowances.py")
    assert texts(at.title) == ["Allowances"]
    by_label(at.text_input, "Amount (€)").set_value("150,00")  # a Dutch comma is read as a decimal, in English too
    by_label(at.text_input, "Reference (e.g. bank transfer)").set_value("bank 42")
    [save] = [b for b in at.get("form_submit_button") if b.label == "Save the payment"]
    save.click().run()
    assert not at.exception, at.exception
    assert confirmation(at, "payments") == ("Payments", ["The payment to Fatima Bakkali was saved."])
    assert by_label(at.text_input, "Reference (e.g. bank transfer)").value == ""  # the form starts fresh
    with reading(world.engine) as session:
        [payment] = session.scalars(select(Payment)).all()
    assert (payment.person_id, payment.amount_cents, payment.reference) == (team["fatima"], 15000, "bank 42")

    by_label(at.button, "Reverse").click().run()
    by_label(at.text_input, "Why is it reversed?").set_value("paid twice")
    [confirm] = [b for b in at.button if b.label == "Reverse" and b.key == f"reverse-save-{payment.id}"]
    confirm.click().run()
    assert not at.exception, at.exception
    with reading(world.engine) as session:
        assert sorted(session.scalars(select(Payment.amount_cents)).all()) == [-15000, 15000]


def test_the_monthly_run_proposes_and_confirms(world: World, team: dict[str, int]) -> None:
    last_month = date(TODAY.year, TODAY.month, 1) - timedelta(days=1)
    allowances.record_terms(world.engine, SYSTEM, team["fatima"], last_month, "monthly", Decimal("120"))
    at = open_page(world, team["lotte"], "pages/allowances.py")
    assert by_label(at.checkbox, "Fatima Bakkali · €120.00").value is True
    by_label(at.button, "Confirm 1 payment").click().run()
    assert not at.exception, at.exception
    with reading(world.engine) as session:
        [payment] = session.scalars(select(Payment)).all()
    assert (payment.amount_cents, payment.period) == (12000, last_month.replace(day=1))
    assert any(text.startswith("Nothing is due for") for text in texts(at.success))


def test_the_emergency_fund_takes_a_payout(world: World, team: dict[str, int]) -> None:
    emergency_fund.top_up(world.engine, SYSTEM, world.team_id, Decimal("60"), TODAY)
    at = open_page(world, team["lotte"], "pages/emergency_fund.py")
    assert at.metric[0].value == "€60.00"
    [save] = [b for b in at.get("form_submit_button") if b.label == "Save the payout"]
    save.click().run()
    assert not at.exception, at.exception
    assert at.metric[0].value == "€35.00"
    assert "The fund is below €50.00. Top it up in time." in texts(at.warning)
    with reading(world.engine) as session:
        amounts = sorted(session.scalars(select(FundEntry.amount_cents)).all())
    assert amounts == [-2500, 6000]


def test_an_ambiguous_payout_is_echoed_back_before_it_is_saved(world: World, team: dict[str, int]) -> None:
    emergency_fund.top_up(world.engine, SYSTEM, world.team_id, Decimal("2000"), TODAY)
    at = open_page(world, team["lotte"], "pages/emergency_fund.py")
    [save] = [b for b in at.get("form_submit_button") if b.label == "Save the payout"]
    at.text_input(key="payout-0-amount").set_value("1,250")
    save.click().run()
    assert "€1,250.00: is that right? Then save again." in texts(at.warning)
    assert at.text_input(key="payout-0-amount").value == "1,250"  # kept while asking, not the first value (25.00)
    with reading(world.engine) as session:
        assert session.scalars(select(FundEntry.amount_cents)).all() == [200000]
    [save] = [b for b in at.get("form_submit_button") if b.label == "Save the payout"]
    save.click().run()  # saved again without typing it again
    assert not at.exception, at.exception
    with reading(world.engine) as session:
        assert sorted(session.scalars(select(FundEntry.amount_cents)).all()) == [-125000, 200000]


def test_a_wrong_amount_gets_a_message_and_saves_nothing(world: World, team: dict[str, int]) -> None:
    at = open_page(world, team["lotte"], "pages/allowances.py")
    by_label(at.text_input, "Amount (€)").set_value("twelve")
    [save] = [b for b in at.get("form_submit_button") if b.label == "Save the payment"]
    save.click().run()
    # Markdown's escape of "12.50" ("12\\.50") reads 12.50.
    assert "Write an amount in euros, for example 12.50." in [text.replace("\\", "") for text in texts(at.error)]
    with reading(world.engine) as session:
        assert session.scalars(select(Payment)).all() == []


def test_the_coproducer_sees_her_payments_and_not_henks(world: World, team: dict[str, int]) -> None:
    for pid, amount in ((team["fatima"], "110"), (team["henk"], "95")):
        data = ledger.PaymentInput(pid, "allowance", TODAY, Decimal(amount), TODAY, reference="bank")
        ledger.record_payment(world.engine, SYSTEM, data, TODAY)
    at = open_page(world, team["fatima"], "pages/my_allowance.py")
    assert texts(at.title) == ["My allowance"]
    assert at.metric[0].value == "€110.00"
    lines = texts(at.markdown)
    assert "**€110.00** · Volunteer allowance" in lines
    assert not any("95" in line for line in lines)
    assert len(at.get("plotly_chart")) == 1


@pytest.mark.parametrize(
    ("role", "page"),
    [
        (Role.COPRODUCER, "pages/training.py"),
        (Role.COPRODUCER, "pages/allowances.py"),
        (Role.COPRODUCER, "pages/emergency_fund.py"),
        (Role.LEADER, "pages/my_training.py"),
        (Role.LEADER, "pages/my_allowance.py"),
    ],
)
def test_the_pages_refuse_other_roles(world: World, role: Role, page: str) -> None:
    world.sign_in(world.person_in(role))
    at = world.app(page).run()
    assert texts(at.error) == ["You do not have access to this page."]


def test_saving_in_the_second_tab_keeps_it_open_with_the_confirmation_there(world: World, team: dict[str, int]) -> None:
    """Allowances: the allowance agreement is saved in the Agreements tab, not the first; the page stays on that tab
    and says so below the form. Emergency fund: a top-up in the Top-up tab, likewise."""
    world.sign_in(team["lotte"])
    at = world.app().run()
    at.switch_page("pages/allowances.py")
    at.session_state["allowances-tab"] = "Agreements"  # the leader opened the third tab
    at.run()
    by_label(at.tabs[2].text_input, "Amount (€ per month or per hour)").set_value("150")
    [save] = [b for b in at.get("form_submit_button") if b.label == "Save the agreement"]
    save.click().run()
    assert not at.exception, at.exception
    assert at.session_state["allowances-tab"] == "Agreements"
    assert confirmation(at, "terms") == ("Agreements", ["The allowance of Fatima Bakkali was saved."])

    at.switch_page("pages/emergency_fund.py")
    at.session_state["fund-tab"] = "Top-up"
    at.run()
    [save] = [b for b in at.get("form_submit_button") if b.label == "Save the top-up"]
    save.click().run()
    assert not at.exception, at.exception
    assert at.session_state["fund-tab"] == "Top-up"
    assert confirmation(at, "topup") == ("Top-up", ["The top-up was saved."])
    assert at.metric[0].value == "€100.00"
