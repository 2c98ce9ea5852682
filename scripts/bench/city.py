"""A city to time: teams of coproducers, a share on allowances, years of requests classified as the app does; fresh
planner statistics; a copy of the database for the growth."""

from __future__ import annotations

import contextlib
import random
import shutil
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Connection, Engine, func, insert, select, text

from db.engine import make_engine
from db.models import AllowanceAgreement, HelpRequest, Membership, Person, RequestTopic, Role, Team
from monitor.config import TOPICS, Settings, parse
from monitor.requests.hours import classify
from monitor.requests.vocab import topic_mask

ROOT = Path(__file__).resolve().parent.parent.parent
CITY = {"teams": 50, "per_team": 10, "years": 1, "per_week": 58}  # ~1.5 M requests
HOURLY_SHARE, MONTHLY_SHARE = 0.2, 0.2


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
            member(connection, team_id, f"leader{t}", f"Leader {t}", Role.LEADER)
            for c in range(per_team):
                # One in twenty is 17, whom "under 18 at night" reads; of the others a third are 19, a third 30.
                number = t * per_team + c
                born = (date(now.year - 19, 2, 1), date(now.year - 30, 5, 1), None)[number % 3]
                birth_month = date(now.year - 17, 1, 1) if number % 20 == 7 else born
                person = member(connection, team_id, f"c{t}-{c}", f"Coproducer {t}-{c}", Role.COPRODUCER, birth_month)
                city.coproducers.append(person)
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
    count = per_week * (last_day - first_day) // 7
    with engine.connect() as connection:
        rows = connection.execute(
            select(Membership.person_id, Membership.team_id).where(Membership.role == Role.COPRODUCER)
        ).all()
    team_of = {person_id: team_id for person_id, team_id in rows}
    with engine.begin() as connection:
        for person in city.coproducers:
            rows, topics = [], []
            for _ in range(count):
                moment = now - timedelta(minutes=rng.randrange(first_day * 1440 + 1, last_day * 1440))
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
    return count * len(city.coproducers)


def analyze(engine: Engine) -> None:
    """Fresh planner statistics, and on PostgreSQL the id sequences moved past the rows loaded with explicit ids."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(
                text(
                    "SELECT setval(pg_get_serial_sequence('help_requests', 'id'), (SELECT max(id) FROM help_requests))"
                )
            )
            connection.execute(text("VACUUM ANALYZE"))
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
