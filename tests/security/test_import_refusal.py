"""Finding 11: an import does not tell who exists: "not yours" and "no such person" get the same message."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine

from monitor.config import Settings
from monitor.requests.importing import import_requests
from tests.unit.factories import team

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
HEADER = "username,received_at,channel,topics,minutes,level,beyond_role,referred_to,note"


def refusal(engine: Engine, settings: Settings, actor, username: str) -> str:  # type: ignore[no-untyped-def]
    data = f"{HEADER}\n{username},2026-11-03 10:15,door,money,30,,no,,\n"
    report = import_requests(engine, settings, actor, "old.csv", data.encode(), now=NOW)
    [problem] = report.problems
    return str(problem.error).replace(username, "NAME")


def test_someone_elses_name_and_a_name_that_does_not_exist_get_the_same_refusal(
    engine: Engine, settings: Settings
) -> None:
    moerwijk = team(engine)
    elsewhere = team(engine, "Transvaal", prefix="t_").coproducer.username
    for actor in (moerwijk.coproducer, moerwijk.leader):
        not_yours = refusal(engine, settings, actor, elsewhere)
        nobody = refusal(engine, settings, actor, "nosuchuser")
        assert not_yours == nobody
