"""A believable demo: one neighbourhood team with a leader, a counsellor and seven coproducers."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Engine, func, select

from db.engine import unit_of_work
from db.models import Alert, AlertStatus, HelpRequest, Person, Role
from monitor.alerts import actions, evaluation
from monitor.config import TOPICS, Settings
from monitor.demo import money as demo_money
from monitor.demo.checkins import load_demo_checkins
from monitor.demo.checkup import load_demo_checkup
from monitor.people import accounts as people
from monitor.people import age, auth
from monitor.people.access import SYSTEM
from monitor.requests.agreements import Agreement, current_agreement, record_agreement
from monitor.requests.log import RequestInput, add_in_session, coproducer_team

DEMO_TEAM = "Moerwijk"
DEMO_PASSWORD = "demo-wachtwoord"  # noqa: S105 - printed for the demo on purpose


@dataclass(frozen=True)
class DemoPerson:
    username: str
    name: str
    roles: tuple[Role, ...]
    language: str = "nl"


DEMO_PEOPLE = (
    DemoPerson("beheer", "Beheerder", (Role.ADMIN,)),
    DemoPerson("lotte", "Lotte de Vries", (Role.LEADER,)),
    DemoPerson("samira", "Samira El Idrissi", (Role.COUNSELLOR,)),
    DemoPerson("fatima", "Fatima Bakkali", (Role.COPRODUCER,)),
    DemoPerson("henk", "Henk Verbeek", (Role.COPRODUCER,)),
    DemoPerson("priya", "Priya Ramdin", (Role.COPRODUCER,), "en"),
    DemoPerson("youssef", "Youssef Amrani", (Role.COPRODUCER,)),
    DemoPerson("marieke", "Marieke Jansen", (Role.COPRODUCER,)),
    DemoPerson("ahmed", "Ahmed Yilmaz", (Role.COPRODUCER,), "en"),
    DemoPerson("daan", "Daan Visser", (Role.COPRODUCER,)),
)
# Daan is 17: the Working Hours Act keeps him from helping between 23:00 and 06:00 (issue 30).
DAAN_AGE_MONTHS = 17 * 12 + 5


def load_demo(engine: Engine) -> bool:
    """Add the demo team and people; False (and nothing changed) if the demo team is already there."""
    if people.team_id_by_name(engine, DEMO_TEAM) is not None:
        return False
    team_id = people.create_team(engine, SYSTEM, DEMO_TEAM)
    for person in DEMO_PEOPLE:
        person_id = people.create_person(
            engine, SYSTEM, person.username, person.name, DEMO_PASSWORD, person.language, must_change=False
        )
        for role in person.roles:
            people.grant_role(engine, SYSTEM, person_id, team_id, role)
    return True


def sign_in_lines() -> list[str]:
    return [f"  {p.username:<10} {', '.join(r.value for r in p.roles):<12} {p.name}" for p in DEMO_PEOPLE]


@dataclass(frozen=True)
class Pattern:
    """How often someone is approached, when, and about what, for the demo's requests."""

    per_week: int
    hours: tuple[int, ...]  # local hours at which they tend to be approached
    weekend_share: float
    topics: tuple[str, ...]
    beyond_role_share: float = 0.0
    referrals: tuple[str, ...] = ("none",)


PATTERNS = {
    # Approached often in the evenings and at weekends: the one whose load goes beyond the agreement.
    "fatima": Pattern(9, (10, 14, 19, 20, 21, 22, 23), 0.35, ("money", "housing", "mental_health", "children")),
    # Stays within the agreement: weekdays, office hours.
    "henk": Pattern(4, (10, 11, 13, 14, 15), 0.0, ("money", "housing")),
    # Takes on violence and addiction cases, often beyond their role.
    "youssef": Pattern(
        5, (11, 16, 20, 22, 1), 0.2, ("violence", "addiction"), 0.5, ("police", "gp", "team_professionals")
    ),
    "priya": Pattern(3, (10, 12, 15, 18), 0.1, ("children", "mental_health")),
    "marieke": Pattern(3, (9, 11, 14, 16), 0.05, ("housing", "money", "other")),
    "ahmed": Pattern(2, (13, 17, 19), 0.15, ("money", "addiction")),
    # After school and in the evenings; young people of the street come to him late.
    "daan": Pattern(3, (16, 17, 19, 20, 21), 0.3, ("children", "other")),
}
CHANNEL_WEIGHTS = {"street": 5, "door": 3, "centre": 3, "phone": 2, "message": 2, "other": 1}


def load_demo_requests(engine: Engine, settings: Settings, now: datetime | None = None, weeks: int = 8) -> int:
    """Add weeks of requests for the demo coproducers, unless they already have some. Returns how many were added.

    Besides the random history, each coproducer gets a few fixed recent requests so that every burden rule fires
    whatever the day of the week (see _recent); the rules are then evaluated and the leader acknowledges one alert.
    """
    now = now or datetime.now(UTC)
    rng = random.Random(20261123)  # noqa: S311 - demo data, not security
    _narrow_youssef(engine, settings, now)
    _daan_is_17(engine, settings, now)
    added = 0
    with unit_of_work(engine) as session:
        for username, pattern in PATTERNS.items():
            person_id = session.scalar(select(Person.id).where(Person.username == username))
            team_id = coproducer_team(session, person_id) if person_id else None
            if person_id is None or team_id is None:
                continue
            if session.scalar(select(func.count()).where(HelpRequest.person_id == person_id)):
                continue
            for moment in _moments(rng, pattern, now, settings, weeks):
                topics = tuple(
                    sorted(set(rng.sample(pattern.topics, k=rng.choice((1, 1, 2)) if len(pattern.topics) > 1 else 1)))
                )
                data = RequestInput(
                    minutes=rng.choice((5, 15, 15, 30, 30, 45, 60, 90)),
                    channel=rng.choices(list(CHANNEL_WEIGHTS), weights=list(CHANNEL_WEIGHTS.values()))[0],
                    topics=topics,
                    received_at=moment,
                    level=rng.choice((None, "individual", "individual", "group")),
                    beyond_role=rng.random() < pattern.beyond_role_share,
                    referred_to=rng.choice(pattern.referrals),
                )
                add_in_session(session, settings, SYSTEM, person_id, team_id, data, "demo", moment)
                added += 1
            for data in _recent(username, now, settings):
                add_in_session(session, settings, SYSTEM, person_id, team_id, data, "demo", now)
                added += 1
    if added:
        demo_money.load(engine, settings, now)  # before the rules run, so the training and allowance alerts fire
        evaluation.evaluate(engine, settings, at=now)
        _acknowledge_one(engine, now)
        load_demo_checkins(engine, settings, now)  # after the alerts, whose check-in prompts it builds on
        team_id = people.team_id_by_name(engine, DEMO_TEAM)
        if team_id is not None:
            load_demo_checkup(engine, team_id, now)
    return added


def _narrow_youssef(engine: Engine, settings: Settings, now: datetime) -> None:
    """Youssef agreed not to take on violence; he does anyway, so "problems outside the agreement" fires."""
    person_id = people.person_id_by_username(engine, "youssef")
    if person_id is None:
        return
    today = now.astimezone(settings.tz).date()
    if current_agreement(engine, SYSTEM, person_id, today, settings.demarcation).valid_from is not None:
        return
    defaults = Agreement.from_defaults(settings.demarcation)
    narrowed = replace(
        defaults,
        valid_from=today - timedelta(weeks=12),
        topics=tuple(t for t in TOPICS if t != "violence"),
    )
    record_agreement(engine, SYSTEM, person_id, narrowed)


def _daan_is_17(engine: Engine, settings: Settings, now: datetime) -> None:
    """Daan's leader recorded his month of birth: he is 17, so his late evenings raise "under 18 at night"."""
    person_id = people.person_id_by_username(engine, "daan")
    if person_id is None:
        return
    today = now.astimezone(settings.tz).date()
    born = today.replace(day=1)
    months = born.year * 12 + born.month - 1 - DAAN_AGE_MONTHS
    age.set_birth_month(engine, SYSTEM, person_id, date(months // 12, months % 12 + 1, 1), today)


def _at(day: date, clock: time, settings: Settings) -> datetime:
    return datetime.combine(day, clock, tzinfo=settings.tz).astimezone(UTC)


def _recent(username: str, now: datetime, settings: Settings) -> list[RequestInput]:
    """Fixed requests of the last days that make each rule fire, at times that lie before now on any weekday.

    fatima: over her hours this week (critical) and often outside hours, a day of over 12 hours and a night of 7 hours'
    rest; youssef: at night, on violence, beyond his role; marieke: a request on each of the last 7 days (no rest
    day); priya: a busy week after quiet ones; daan (17): after 23:00.
    """
    local = now.astimezone(settings.tz)
    today = local.date()
    monday = datetime.combine(today - timedelta(days=today.weekday()), time(0), tzinfo=settings.tz)
    elapsed = local - monday
    if username == "fatima":
        # 5 x 150 minutes spread over the part of this week that has passed: 12.5 hours, over 125% of 8.
        week = [monday + elapsed * (i + 1) / 6 for i in range(5)]
        evenings = [_at(today - timedelta(days=d), time(21, 15), settings) for d in range(1, 5)]
        crisis, late, early = (today - timedelta(days=d) for d in (3, 2, 1))
        long_day = [  # three days ago a crisis took her whole day: 13 hours
            RequestInput(360, "door", ("housing",), received_at=_at(crisis, time(7, 0), settings)),
            RequestInput(420, "centre", ("housing",), received_at=_at(crisis, time(13, 30), settings)),
        ]
        short_night = [  # late in the evening, and at a door again at 07:00
            RequestInput(30, "street", ("money",), received_at=_at(late, time(23, 30), settings)),
            RequestInput(15, "door", ("money",), received_at=_at(early, time(7, 0), settings)),
        ]
        return (
            [RequestInput(150, "door", ("money",), received_at=m.astimezone(UTC)) for m in week]
            + [RequestInput(20, "phone", ("housing",), received_at=m) for m in evenings]
            + long_day
            + short_night
        )
    if username == "youssef":
        nights = [_at(today - timedelta(days=d), time(2, 30), settings) for d in (1, 2, 3)]
        return [
            RequestInput(45, "street", ("violence",), received_at=m, beyond_role=True, referred_to="police")
            for m in nights
        ]
    if username == "marieke":
        days = [_at(today - timedelta(days=d), time(11, 0), settings) for d in range(1, 7)]
        midnight = datetime.combine(today, time(0), tzinfo=settings.tz)
        days.append((midnight + (local - midnight) / 2).astimezone(UTC))  # today, before now
        return [RequestInput(15, "centre", ("housing",), received_at=m) for m in days]
    if username == "daan":
        late = [_at(today - timedelta(days=d), time(23, 15), settings) for d in (1, 4)]
        return [RequestInput(20, "message", ("children",), received_at=m) for m in late]
    if username == "priya":
        busy = [_at(today - timedelta(days=d), time(15, 0), settings) for d in (1, 2, 3, 4)]
        return [RequestInput(90, "centre", ("children",), received_at=m) for m in busy]
    return []


def _acknowledge_one(engine: Engine, now: datetime) -> None:
    """Lotte has already looked at Fatima's hours, so the life of an alert shows in the demo."""
    leader_id = people.person_id_by_username(engine, "lotte")
    fatima_id = people.person_id_by_username(engine, "fatima")
    leader = auth.actor_for_person(engine, leader_id) if leader_id else None
    if leader is None or fatima_id is None:
        return
    with unit_of_work(engine) as session:
        alert_id = session.scalar(
            select(Alert.id).where(
                Alert.person_id == fatima_id, Alert.rule == "hours_over", Alert.status == AlertStatus.OPEN
            )
        )
    if alert_id is not None:
        note = "Met Fatima gesproken; twee geldzaken overgedragen aan de schuldhulp."
        actions.acknowledge(engine, leader, alert_id, note, now)


def _moments(rng: random.Random, pattern: Pattern, now: datetime, settings: Settings, weeks: int) -> list[datetime]:
    local_now = now.astimezone(settings.tz)
    result = []
    for _ in range(pattern.per_week * weeks):
        day = local_now.date() - timedelta(days=rng.randrange(0, weeks * 7))
        if rng.random() < pattern.weekend_share:
            day -= timedelta(days=(day.weekday() - 5) % 7)  # the Saturday on or before
        elif day.weekday() >= 5:
            day -= timedelta(days=day.weekday() - 4)  # the Friday before
        clock = time(rng.choice(pattern.hours), rng.choice((0, 10, 20, 30, 40, 50)))
        moment = datetime.combine(day, clock, tzinfo=settings.tz).astimezone(UTC)
        if moment < now:
            result.append(moment)
    # A few from the last day, so that "My week" has something to show whatever day the demo is loaded.
    for _ in range(2):
        result.append(now - timedelta(hours=rng.randrange(1, 24), minutes=rng.randrange(0, 60)))
    return sorted(result)
