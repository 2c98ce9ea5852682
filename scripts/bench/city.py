"""A city to time, as hard as a real one: teams with a leader, a counsellor and coproducers, a share on allowances, a
share on agreements of their own (fewer hours, other limits, kinds of problem left out), half the teams with a training
catalogue whose records expire, and loads that vary from person to person (some work within their hours and under
them, some far over), years of requests classified as the app does; fresh planner statistics; a copy of the database
for the growth. The city's "now" is a Sunday evening, so that the steady evaluations cross midnight and a week."""

from __future__ import annotations

import contextlib
import functools
import json
import random
import shutil
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import Connection, Engine, func, insert, select, text

from db.engine import make_engine
from db.models import (
    AllowanceAgreement,
    DemarcationVersion,
    HelpRequest,
    Membership,
    Person,
    RequestTopic,
    Role,
    Team,
    Training,
    TrainingRecord,
)
from monitor.config import TOPICS, Settings, parse
from monitor.requests.hours import classify
from monitor.requests.vocab import topic_mask

ROOT = Path(__file__).resolve().parent.parent.parent
CITY = {"teams": 50, "per_team": 10, "years": 1, "per_week": 58}  # ~1.5 M requests
HOURLY_SHARE, MONTHLY_SHARE = 0.2, 0.2
OWN_AGREEMENT_SHARE = 0.3  # coproducers on an agreement of their own
LOADS = (0.25, 0.5, 1.0, 1.5, 1.75)  # of per_week, drawn per coproducer (mean 1)
DAYTIME = (0.6, 0.9, 0.97, 1.0)  # the share of a coproducer's requests within the agreed weekday hours
# Half the teams keep a catalogue: three trainings that between them cover every kind of problem, valid for a while.
CATALOGUE = (
    ("Schulden en wonen", "money,housing", 12),
    ("Veiligheid", "violence,children", 24),
    ("GGZ", "mental_health,addiction", 18),
)


def city_now(real: datetime, settings: Settings) -> datetime:
    """The city's present: the last Sunday before `real`, at 23:50 local time, so that evaluations 15 minutes apart
    cross midnight into a new week (hours_over's week starts again; the 7-day windows move a day) and, an hour later,
    the alerts that cleared at midnight resolve."""
    local = real.astimezone(settings.tz)
    sunday = local.date() - timedelta(days=(local.weekday() + 1) % 7 or 7)
    return datetime.combine(sunday, time(23, 50), tzinfo=settings.tz).astimezone(UTC)


@dataclass(frozen=True)
class Profile:
    """How a coproducer works: how much (a share of per_week), and how much of it within the agreed hours."""

    load: float
    daytime: float


def profile(person_id: int) -> Profile:
    rng = random.Random(person_id * 7919)  # noqa: S311 - test data; the same for a person in every year loaded
    return Profile(rng.choice(LOADS), rng.choice(DAYTIME))


def config(url: str) -> Settings:
    """config.toml's settings (rules, limits, allowances) on the benchmark's database."""
    with open(ROOT / "config.toml", "rb") as file:
        return parse(tomllib.load(file), "config.toml", env={"MONITOR_DATABASE_URL": url})


@dataclass
class City:
    teams: list[int]
    coproducers: list[int]
    next_id: int = 1


def people(engine: Engine, teams: int, per_team: int, now: datetime) -> City:
    """Teams with a leader and coproducers; a share of them on hourly and monthly allowances."""
    rng = random.Random(11)  # noqa: S311 - test data
    city = City([], [])
    valid_from = date(now.year - 1, 1, 1)
    with engine.begin() as connection:
        for t in range(teams):
            team_id = connection.execute(insert(Team).values(name=f"Team {t:03d}").returning(Team.id)).scalar_one()
            city.teams.append(team_id)
            leader = member(connection, team_id, f"leader{t}", f"Leader {t}", Role.LEADER)
            member(connection, team_id, f"counsellor{t}", f"Counsellor {t}", Role.COUNSELLOR)
            trainings = catalogue(connection, team_id, now) if t % 2 == 0 else []
            for c in range(per_team):
                # One in twenty is 17, whom "under 18 at night" reads; of the others a third are 19, a third 30.
                number = t * per_team + c
                born = (date(now.year - 19, 2, 1), date(now.year - 30, 5, 1), None)[number % 3]
                birth_month = date(now.year - 17, 1, 1) if number % 20 == 7 else born
                person = member(connection, team_id, f"c{t}-{c}", f"Coproducer {t}-{c}", Role.COPRODUCER, birth_month)
                city.coproducers.append(person)
                if rng.random() < OWN_AGREEMENT_SHARE:
                    own_agreement(connection, rng, person, valid_from, now, leader)
                for training_id, months in trainings:
                    trained(connection, rng, person, training_id, months, now, leader)
                draw = rng.random()
                if draw < HOURLY_SHARE + MONTHLY_SHARE:
                    hourly = draw < HOURLY_SHARE
                    connection.execute(
                        insert(AllowanceAgreement).values(
                            person_id=person,
                            valid_from=valid_from,
                            kind="hourly" if hourly else "monthly",
                            amount_cents=rng.choice((450, 600)) if hourly else rng.choice((10_000, 25_000)),
                            created_at=now,
                        )
                    )
    return city


def catalogue(connection: Connection, team_id: int, now: datetime) -> list[tuple[int, int]]:
    """The team's trainings: (id, months valid)."""
    rows = [
        {"team_id": team_id, "name": name, "topics": topics, "valid_months": months, "hours": 8, "created_at": now}
        for name, topics, months in CATALOGUE
    ]
    ids = connection.execute(insert(Training).returning(Training.id), rows).scalars().all()
    return [(training_id, months) for training_id, (_n, _t, months) in zip(ids, CATALOGUE, strict=True)]


def trained(
    connection: Connection, rng: random.Random, person: int, training_id: int, months: int, now: datetime, by: int
) -> None:
    """Most have done a training, some long ago (expired, some in the last weeks), a few not confirmed yet."""
    if rng.random() < 0.15:
        return
    completed = now.date() - timedelta(days=rng.randrange(10, 30 * months + 60))
    confirmed = None if rng.random() < 0.1 else now
    until = completed + timedelta(days=30 * months)
    values = {"person_id": person, "training_id": training_id, "completed_on": completed, "valid_until": until}
    connection.execute(
        insert(TrainingRecord).values(
            **values, recorded_at=now, recorded_by=by, confirmed_at=confirmed, confirmed_by=by
        )
    )


@functools.cache
def default_availability() -> str:
    """config.toml's weekday hours as an agreement stores them (JSON)."""
    windows = config("sqlite://").demarcation.availability.items()
    return json.dumps({day: [f"{start:%H:%M}-{end:%H:%M}" for start, end in hours] for day, hours in windows})


def own_agreement(
    connection: Connection, rng: random.Random, person: int, valid_from: date, now: datetime, by: int
) -> None:
    """An agreement of their own: other hours and limits, and two kinds of problem left out."""
    topics = sorted(rng.sample(TOPICS, len(TOPICS) - 2))
    connection.execute(
        insert(DemarcationVersion).values(
            person_id=person,
            valid_from=valid_from,
            hours_per_week=rng.choice((16, 24, 36)),
            max_outside_requests_per_week=rng.choice((2, 5, 10)),
            max_night_requests_per_week=rng.choice((1, 3)),
            topics=",".join(topics),
            availability=default_availability(),
            created_at=now,
            created_by=by,
        )
    )


def member(
    connection: Connection, team_id: int, username: str, name: str, role: str, birth_month: date | None = None
) -> int:
    """A person with one role in the team; their id."""
    values = {"username": username, "display_name": name, "language": "nl", "birth_month": birth_month}
    person = connection.execute(insert(Person).values(**values).returning(Person.id)).scalar_one()
    connection.execute(insert(Membership).values(person_id=person, team_id=team_id, role=role))
    return person


def history(engine: Engine, city: City, per_week: int, now: datetime, first_day: int, last_day: int) -> int:
    """Requests of every coproducer received between last_day and first_day days before now; returns how many."""
    settings = config(str(engine.url))
    rng = random.Random(7 + first_day)  # noqa: S311 - test data
    availability = settings.demarcation.availability
    tz = settings.tz
    with engine.connect() as connection:
        rows = connection.execute(
            select(Membership.person_id, Membership.team_id).where(Membership.role == Role.COPRODUCER)
        ).all()
    team_of = {person_id: team_id for person_id, team_id in rows}
    loaded = 0
    with engine.begin() as connection:
        for person in city.coproducers:
            rows, topics = [], []
            works = profile(person)
            for _ in range(round(per_week * works.load * (last_day - first_day) / 7)):
                moment = now - timedelta(minutes=rng.randrange(first_day * 1440 + 1, last_day * 1440))
                if rng.random() < works.daytime:  # within the weekday hours of the day (Friday's for a weekend day)
                    local = moment.astimezone(tz)
                    day = local.date() - timedelta(days=max(0, local.weekday() - 4))
                    clock = time(rng.randrange(9, 16), rng.randrange(60))
                    moment = datetime.combine(day, clock, tzinfo=tz).astimezone(UTC)
                    if moment > now - timedelta(minutes=first_day * 1440 + 1):
                        moment = now - timedelta(minutes=first_day * 1440 + 1 + rng.randrange(60))
                judged = classify(moment, settings.tz, availability)
                rows.append(
                    {
                        "id": city.next_id,
                        "person_id": person,
                        "team_id": team_of[person],
                        "received_at": moment,
                        "local_date": judged.local.date(),
                        "local_weekday": judged.local.weekday(),
                        "local_hour": judged.local.hour,
                        "minutes": rng.choice((5, 15, 30, 60)),
                        "channel": "street",
                        "beyond_role": rng.random() < 0.05,
                        "outside_hours": judged.outside,
                        "outside_reason": judged.reason,
                        "is_night": judged.is_night,
                        "source": "import",
                        "created_at": moment,
                    }
                )
                topic = rng.choice(TOPICS)
                rows[-1]["topic_mask"] = topic_mask([topic])
                topics.append({"request_id": city.next_id, "topic": topic})
                city.next_id += 1
            connection.execute(insert(HelpRequest), rows)
            connection.execute(insert(RequestTopic), topics)
            loaded += len(rows)
    return loaded


def late_work(engine: Engine, city: City, at: datetime, share: int = 10) -> int:
    """One coproducer in `share` helps someone for an hour just before `at` (at night after midnight), as the saves
    between two of the scheduler's evaluations would: between the steady evaluations, so that alerts also open."""
    settings = config(str(engine.url))
    moment = at - timedelta(minutes=10)
    judged = classify(moment, settings.tz, settings.demarcation.availability)
    with engine.connect() as connection:
        rows = connection.execute(
            select(Membership.person_id, Membership.team_id).where(Membership.role == Role.COPRODUCER)
        ).all()
    team_of = {person_id: team_id for person_id, team_id in rows}
    rows, topics = [], []
    for person in city.coproducers[::share]:
        rows.append(
            {
                "id": city.next_id,
                "person_id": person,
                "team_id": team_of[person],
                "received_at": moment,
                "local_date": judged.local.date(),
                "local_weekday": judged.local.weekday(),
                "local_hour": judged.local.hour,
                "minutes": 60,
                "channel": "street",
                "beyond_role": False,
                "outside_hours": judged.outside,
                "outside_reason": judged.reason,
                "is_night": judged.is_night,
                "source": "app",
                "created_at": moment,
                "topic_mask": topic_mask(["violence"]),
            }
        )
        topics.append({"request_id": city.next_id, "topic": "violence"})
        city.next_id += 1
    with engine.begin() as connection:
        connection.execute(insert(HelpRequest), rows)
        connection.execute(insert(RequestTopic), topics)
    return len(rows)


def analyze(engine: Engine) -> None:
    """Fresh planner statistics, and on PostgreSQL the id sequences moved past the rows loaded with explicit ids. No
    VACUUM: a city's table is as autovacuum leaves it (on this project's server autovacuum is off, so the timings are
    those of a table never vacuumed, the visibility map empty: every index-only scan also reads the table's pages)."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(
                text(
                    "SELECT setval(pg_get_serial_sequence('help_requests', 'id'), (SELECT max(id) FROM help_requests))"
                )
            )
            connection.execute(text("ANALYZE"))
        else:
            connection.execute(text("ANALYZE"))


@contextlib.contextmanager
def copy_of(engine: Engine) -> Iterator[Engine]:
    """A copy of the database as it is now (a file copy on SQLite, CREATE DATABASE .. TEMPLATE on PostgreSQL), removed
    afterwards. The engine's connections are closed first, as the copy needs."""
    engine.dispose()
    url = engine.url
    if engine.dialect.name == "sqlite":
        assert url.database is not None
        copy = Path(url.database).with_name("baseline.db")
        shutil.copyfile(url.database, copy)
        copied = make_engine(url.set(database=str(copy)).render_as_string(hide_password=False))
        try:
            yield copied
        finally:
            copied.dispose()
            copy.unlink()
        return
    name = f"{url.database}_baseline"
    server = make_engine(url.set(database="postgres").render_as_string(hide_password=False))
    with server.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{url.database}"'))
    copied = make_engine(url.set(database=name).render_as_string(hide_password=False))
    try:
        yield copied
    finally:
        copied.dispose()
        with server.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        server.dispose()


def loaded_city(engine: Engine) -> City | None:
    """The city an earlier run loaded into this database (--reuse), or None when it holds none."""
    with contextlib.suppress(Exception), engine.connect() as connection:
        teams = connection.execute(select(Team.id).order_by(Team.id)).scalars().all()
        coproducers = (
            connection.execute(
                select(Membership.person_id).where(Membership.role == Role.COPRODUCER).order_by(Membership.person_id)
            )
            .scalars()
            .all()
        )
        last = connection.execute(select(func.max(HelpRequest.id))).scalar()
        if teams and coproducers and last:
            return City(list(teams), list(coproducers), last + 1)
    return None
