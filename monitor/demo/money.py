"""The demo's training and money: a believable catalogue, records (one expiring soon, one expired, one waiting to be
confirmed), allowance agreements that make each allowance alert fire, a year of payments with one reversal,
and an emergency fund that has run low."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Engine, func, select

from db.engine import reading
from db.models import Training
from monitor.config import TOPICS, Settings
from monitor.money import allowances, emergency_fund, ledger, monthly_run
from monitor.money.amounts import add_months, month_start
from monitor.people import accounts as people
from monitor.people import age, auth
from monitor.people.access import Actor
from monitor.training import records as training
from monitor.training import reminders as training_reminders

CATALOGUE = (
    ("Mentale EHBO", "MIND Academie", 12, 36, ("mental_health",)),
    ("Huiselijk geweld en kindermishandeling herkennen", "Veilig Thuis Haaglanden", 4, 24, ("violence", "children")),
    ("Basis schuldhulp", "SchuldHulpMaatje", 8, 36, ("money",)),
    ("Verslaving herkennen", "Brijder Verslavingszorg", 6, 24, ("addiction",)),
    ("Huisuitzetting voorkomen", "Gemeente Den Haag", 3, 24, ("housing",)),
    ("Omgaan met agressie", "Weerbaar Trainingen", 6, 12, ("violence",)),
    ("Basis privacy", "Wijkteam Moerwijk", 2, None, TOPICS),
)


@dataclass(frozen=True)
class DemoRecord:
    username: str
    training: str
    days_ago: int
    confirmed: bool = True


def _records(today: date) -> tuple[DemoRecord, ...]:
    # Fatima's eviction prevention (24 months) runs out in 30 days; Youssef's handling aggression (12 months) ran
    # out a month ago and he recorded the refresher himself, which waits for Lotte to confirm it.
    eviction_soon = (today - add_months(today + timedelta(days=30), -24)).days
    return (
        DemoRecord("fatima", "Mentale EHBO", 700),
        DemoRecord("fatima", "Basis schuldhulp", 400),
        DemoRecord("fatima", "Huisuitzetting voorkomen", eviction_soon),
        DemoRecord("henk", "Basis schuldhulp", 300),
        DemoRecord("henk", "Huisuitzetting voorkomen", 200),
        DemoRecord("henk", "Basis privacy", 500),
        DemoRecord("youssef", "Verslaving herkennen", 250),
        DemoRecord("youssef", "Omgaan met agressie", 400),
        DemoRecord("youssef", "Omgaan met agressie", 5, confirmed=False),
        DemoRecord("priya", "Huiselijk geweld en kindermishandeling herkennen", 90),
        DemoRecord("priya", "Mentale EHBO", 30, confirmed=False),
        DemoRecord("marieke", "Huisuitzetting voorkomen", 150),
        DemoRecord("marieke", "Basis privacy", 150),
        DemoRecord("ahmed", "Basis schuldhulp", 60),
    )


# (kind, euros, under 21): Fatima's 200 a month goes over 2,100 a year; Henk's 175 is at it, but not with expenses;
# Ahmed (under 21) gets more per hour than the under-21 maximum; Priya's month two months ago was not paid.
TERMS = {
    "fatima": ("monthly", "200", False),
    "henk": ("monthly", "175", False),
    "youssef": ("hourly", "5.00", False),
    "priya": ("monthly", "150", False),
    "ahmed": ("hourly", "3.50", True),
}


def load(engine: Engine, settings: Settings, now: datetime) -> bool:
    """Add the demo's training and money unless the team already has a catalogue. True when added."""
    team_id = people.team_id_by_name(engine, "Moerwijk")
    leader_id = people.person_id_by_username(engine, "lotte")
    leader = auth.actor_for_person(engine, leader_id) if leader_id else None
    if team_id is None or leader is None:
        return False
    with reading(engine) as session:
        if session.scalar(select(func.count()).where(Training.team_id == team_id)):
            return False
    today = now.astimezone(settings.tz).date()
    ids = {
        name: training.add_training(engine, leader, team_id, name, provider, hours, months, topics)
        for name, provider, hours, months, topics in CATALOGUE
    }
    person = {
        p: people.person_id_by_username(engine, p) for p in ("fatima", "henk", "youssef", "priya", "marieke", "ahmed")
    }
    for record in _records(today):
        pid = person[record.username]
        if pid is None:
            continue
        actor = leader if record.confirmed else auth.actor_for_person(engine, pid)
        assert actor is not None
        completed = today - timedelta(days=record.days_ago)
        training.record_training(engine, actor, pid, ids[record.training], completed, today=today, now=now)
    _money(engine, settings, leader, team_id, person, today, now)
    training_reminders.send_expiry_reminders(engine, settings, now)
    return True


def _money(
    engine: Engine,
    settings: Settings,
    leader: Actor,
    team_id: int,
    person: dict[str, int | None],
    today: date,
    now: datetime,
) -> None:
    start = add_months(month_start(today), -11)
    for username, (kind, amount, young) in TERMS.items():
        pid = person[username]
        if pid is not None:
            if young:  # turns 21 in 14 months
                born = add_months(month_start(today), 14 - 12 * age.ALLOWANCE_ADULT)
                age.set_birth_month(engine, leader, pid, born, today)
            allowances.record_terms(engine, leader, pid, start, kind, Decimal(amount))
    skipped = person["priya"]
    for back in range(11, 0, -1):
        period = add_months(month_start(today), -back)
        paid_on = min(today, add_months(period, 1) + timedelta(days=2))
        due = [p.person_id for p in monthly_run.propose(engine, settings, leader, team_id, period)]
        chosen = [pid for pid in due if not (back == 2 and pid == skipped)]
        if chosen:
            monthly_run.confirm(engine, settings, leader, team_id, period, chosen, paid_on, today, now)
    henk, marieke = person["henk"], person["marieke"]
    two_back = add_months(month_start(today), -2)
    if henk is not None:
        expense = ledger.PaymentInput(
            henk,
            "expense",
            two_back,
            Decimal("40.00"),
            today,
            "bank",
            receipt_reference="NS-bon 2231",
            note="treinkaartje",
        )
        ledger.record_payment(engine, leader, expense, today, now)
    if marieke is not None:  # paid to the wrong person, then corrected
        wrong = ledger.PaymentInput(marieke, "allowance", two_back, Decimal("175.00"), today, "bank")
        wrong_id = ledger.record_payment(engine, leader, wrong, today, now)
        ledger.reverse_payment(engine, leader, wrong_id, "Bedoeld voor Henk, niet voor Marieke", today, now)
    emergency_fund.top_up(engine, leader, team_id, Decimal("150"), today - timedelta(days=40), "Gift van de wijkkerk")
    payouts = (
        ("fatima", "25", "money", 30, "Boodschappen tot de uitkering komt"),
        ("youssef", "20", "violence", 21, "Nieuw slot op de deur"),
        ("henk", "30", "housing", 12, "Middel tegen schimmel"),
        ("priya", "35", "children", 3, "Schoolspullen"),
    )  # the demo team's language is Dutch, so the notes a leader typed are too
    for username, amount, topic, days_ago, note in payouts:
        pid = person[username]
        if pid is not None:
            emergency_fund.pay_out(
                engine, settings, leader, team_id, Decimal(amount), today - timedelta(days=days_ago), pid, topic, note
            )
