"""Issue 27: someone with the database cannot tell who gave which answers in the check-up, by order, time or id.

The attack of the issue (order checkup_participants and the answers by rowid) and more: every ordering the database
keeps (SQLite's rowid; PostgreSQL's ctid and the transaction id of each row version, xmin) is read as an attacker
would, in two worlds that differ only in who gave which answers. What the attacker reads must be the same in both.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, inspect, text

from db.models import Role
from monitor.checkup import rounds
from monitor.checkup.statements import ITEMS
from monitor.people.access import Actor
from tests.conftest import _truncate_all
from tests.unit.checkup.test_access import T0
from tests.unit.factories import person, team

# Four people, each with answers of their own (the 4 of 4), and a partner through a link.
ANSWERS = [dict.fromkeys(ITEMS, score) for score in (0, 25, 75, 100)] + [dict.fromkeys(ITEMS, 50)]


def _rank(values: list[Any]) -> dict[Any, int]:
    return {value: n for n, value in enumerate(sorted(set(values)))}


def attacker_view(engine: Engine, round_id: int, people: list[int]) -> list[Any]:
    """Everything about a round's answers that order, time or id could give away, with person ids as their place in
    people and each ordering as ranks, so that two rounds can be compared."""
    sqlite = engine.dialect.name == "sqlite"
    place = "rowid" if sqlite else "ctid"
    version = "0" if sqlite else "xmin::text::bigint"  # SQLite keeps no row versions
    tables = {
        "checkup_participants": "person_id",
        "checkup_tallies": "item, score, count",
        "checkup_invites": "used",
    }
    rows: dict[str, list[tuple]] = {}
    with engine.connect() as connection:
        for table, columns in tables.items():
            found = connection.execute(
                text(f"SELECT {place}, {version}, {columns} FROM {table} WHERE round_id = :r"),  # noqa: S608
                {"r": round_id},
            ).all()
            rows[table] = [(_place(spot), *rest) for spot, *rest in found]
    versions = _rank([row[1] for table_rows in rows.values() for row in table_rows])
    view: list[Any] = []
    for table, table_rows in rows.items():
        places = _rank([row[0] for row in table_rows])
        normalised = []
        for spot, row_version, *values in table_rows:
            if table == "checkup_participants":
                values = [people.index(values[0])]
            # Every answer rewrites all of a round's counts, so on PostgreSQL where each new version lands is up to the
            # free space on the pages (it varies from run to run, whatever was answered): its row version tells more.
            where = None if table == "checkup_tallies" and not sqlite else places[spot]
            normalised.append((where, versions[row_version], *values))
        view.append((table, sorted(normalised)))
    return view


def _place(spot: Any) -> tuple[int, ...]:
    """SQLite's rowid, or PostgreSQL's ctid '(page,index)', as something that sorts as the database stores it."""
    if isinstance(spot, int):
        return (spot,)
    page, index = str(spot).strip("()").split(",")
    return (int(page), int(index))


def world(engine: Engine, prefix: str, order: list[int]) -> list[Any]:
    """A team whose four people answer in turn, person n giving ANSWERS[order[n]]; then a partner answers.

    On PostgreSQL each world starts from empty tables, as where rows land depends on what the pages held before."""
    if engine.dialect.name == "postgresql":
        _truncate_all(engine)
    t = team(engine, f"Team {prefix}", prefix=prefix)
    people: list[Actor] = [t.coproducer, t.other_coproducer, t.leader] + [
        person(engine, f"{prefix}extra", t.id, Role.COPRODUCER)
    ]
    round_id = rounds.open_round(engine, t.leader, t.id, now=T0)
    [link] = rounds.make_invites(engine, t.leader, round_id, 1, "nl")
    for actor, chosen in zip(people, order, strict=True):
        rounds.answer(engine, actor, round_id, ANSWERS[chosen])
    assert rounds.answer_by_invite(engine, link, ANSWERS[4])
    rounds.close_round(engine, t.leader, round_id, now=T0)
    scores = rounds.results(engine, t.leader, round_id).scores
    assert scores is not None and scores.respondents == 5 and scores.overall == 50
    return attacker_view(engine, round_id, [actor.person_id for actor in people])


def test_who_gave_which_answers_leaves_no_trace_in_the_database(engine: Engine) -> None:
    first = world(engine, "a-", [0, 1, 2, 3])
    reversed_ = world(engine, "b-", [3, 2, 1, 0])  # the same people in the same order, each with other answers
    shifted = world(engine, "c-", [1, 3, 0, 2])
    assert first == reversed_ == shifted


def test_no_table_holds_a_person_beside_an_answer(engine: Engine) -> None:
    """The issue's link went through a row per set of answers; there is none left to order, and nothing with a time."""
    schema = inspect(engine)
    for table in schema.get_table_names():
        if table.startswith("checkup_"):
            columns = {column["name"] for column in schema.get_columns(table)}
            assert not ({"person_id", "opened_by"} & columns and {"score", "item"} & columns), table
            assert not {"created_at", "answered_at", "at"} & columns, table
