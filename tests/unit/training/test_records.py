"""Training: valid-until arithmetic, records a leader confirms, the qualification overview, reminders, access."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from db.engine import reading
from db.models import Notification
from monitor.config import Settings
from monitor.errors import NotFound, PermissionDenied, ValidationError
from monitor.training import qualifications
from monitor.training import records as training
from monitor.training import reminders as training_reminders
from tests.unit import factories

TODAY = date(2026, 6, 15)
VIOLENCE_TOPICS = ("violence", "children")


@pytest.mark.parametrize(
    ("completed", "months", "until"),
    [
        (date(2026, 3, 15), 12, date(2027, 3, 15)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # a shorter month: its last day
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # ... in a leap year
        (date(2028, 2, 29), 12, date(2029, 2, 28)),  # leap day + 12 months
        (date(2028, 2, 29), 48, date(2032, 2, 29)),  # ... + 4 years lands on a leap day again
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2026, 12, 31), 2, date(2027, 2, 28)),
        (date(2026, 10, 31), 1, date(2026, 11, 30)),
        (date(2026, 5, 10), None, None),  # valid for ever
    ],
)
def test_valid_until_keeps_to_calendar_months(completed: date, months: int | None, until: date | None) -> None:
    assert training.valid_until(completed, months) == until


def _catalogue(engine: Engine, team: factories.Team) -> dict[str, int]:
    add = training.add_training
    return {
        "ehbo": add(engine, team.leader, team.id, "Mental-health first aid", "MIND", 8, 24, ("mental_health",)),
        "debt": add(engine, team.leader, team.id, "Debt-help basics", "Schuldhulp", 6, 36, ("money",)),
        "violence": add(
            engine,
            team.leader,
            team.id,
            "Recognising domestic violence",
            "Veilig Thuis",
            4,
            12,
            ("violence", "children"),
        ),
        "privacy": add(engine, team.leader, team.id, "Privacy basics", "", 2, None, ("mental_health", "money")),
    }


def test_a_coproducers_own_record_counts_once_the_leader_confirms_it(engine: Engine) -> None:
    team = factories.team(engine)
    ids = _catalogue(engine, team)
    pid = team.coproducer.person_id
    record = training.record_training(engine, team.coproducer, pid, ids["debt"], date(2026, 5, 1), today=TODAY)
    [row] = training.person_records(engine, team.coproducer, pid)
    assert (row.confirmed, row.valid_until) == (False, date(2029, 5, 1))
    mine = qualifications.person_overview(engine, team.coproducer, pid, "F", TODAY, 60)
    assert mine.cells["money"].status == qualifications.NOT_TRAINED

    with pytest.raises(NotFound):
        training.confirm_record(engine, team.coproducer, record)  # not by themselves
    training.confirm_record(engine, team.leader, record)
    mine = qualifications.person_overview(engine, team.coproducer, pid, "F", TODAY, 60)
    assert mine.cells["money"] == qualifications.Cell(qualifications.TRAINED, date(2029, 5, 1), "Debt-help basics")


def test_the_overview_shows_trained_expiring_expired_and_not_trained(engine: Engine) -> None:
    team = factories.team(engine)
    ids = _catalogue(engine, team)
    fatima, henk = team.coproducer.person_id, team.other_coproducer.person_id
    record = training.record_training
    record(engine, team.leader, fatima, ids["ehbo"], date(2024, 7, 1), today=TODAY)  # valid until 2026-07-01: 16 days
    record(engine, team.leader, fatima, ids["violence"], date(2025, 1, 10), today=TODAY)  # expired 2026-01-10
    record(engine, team.leader, henk, ids["debt"], date(2026, 1, 5), today=TODAY)
    rows = {r.name: r for r in qualifications.team_overview(engine, team.leader, team.id, TODAY, 60)}
    fatima_row, henk_row = rows["Fatima"], rows["Henk"]
    assert fatima_row.cells["mental_health"].status == qualifications.EXPIRING
    assert fatima_row.cells["violence"].status == qualifications.EXPIRED
    assert fatima_row.cells["children"].status == qualifications.EXPIRED
    assert fatima_row.cells["money"].status == qualifications.NOT_TRAINED
    assert henk_row.cells["money"].status == qualifications.TRAINED
    assert henk_row.cells["mental_health"].status == qualifications.NOT_TRAINED
    # the day after valid_until it no longer counts; on valid_until it still does
    assert qualifications.cell([], "money", TODAY, 60).status == qualifications.NOT_TRAINED
    on_last_day = qualifications.team_overview(engine, team.leader, team.id, date(2026, 7, 1), 60)
    assert on_last_day[0].cells["mental_health"].status == qualifications.EXPIRING
    day_after = qualifications.team_overview(engine, team.leader, team.id, date(2026, 7, 2), 60)
    assert day_after[0].cells["mental_health"].status == qualifications.EXPIRED

    # What each training would open up for Fatima: privacy basics opens money and renews mental health
    catalogue = training.catalogue(engine, team.coproducer, team.id)
    openings = {o.training.name: o for o in qualifications.openings(catalogue, fatima_row)}
    assert openings["Privacy basics"].opens == ("money",)
    assert openings["Privacy basics"].renews == ("mental_health",)
    assert openings["Recognising domestic violence"].opens == ("violence", "children")


def test_nobody_sees_another_coproducers_trainings_and_leaders_only_their_team(engine: Engine) -> None:
    team = factories.team(engine)
    other = factories.team(engine, "Transvaal", prefix="t")
    ids = _catalogue(engine, team)
    henk = team.other_coproducer.person_id
    training.record_training(engine, team.leader, henk, ids["debt"], date(2026, 1, 5), today=TODAY)
    with pytest.raises(PermissionDenied):
        training.person_records(engine, team.coproducer, henk)
    with pytest.raises(PermissionDenied):
        training.person_records(engine, other.leader, henk)
    with pytest.raises(PermissionDenied):
        qualifications.team_overview(engine, other.leader, team.id, TODAY, 60)
    with pytest.raises(PermissionDenied):
        training.record_training(engine, team.coproducer, henk, ids["debt"], date(2026, 1, 5), today=TODAY)
    with pytest.raises(PermissionDenied):
        training.add_training(engine, team.coproducer, team.id, "Mine", "", 1, 12, ("money",))
    with pytest.raises(NotFound):  # a training of another team's catalogue
        training.record_training(engine, other.leader, other.coproducer.person_id, ids["debt"], TODAY, today=TODAY)
    assert len(training.person_records(engine, team.leader, henk)) == 1


def test_catalogue_entries_and_records_are_checked(engine: Engine) -> None:
    team = factories.team(engine)
    ids = _catalogue(engine, team)
    with pytest.raises(ValidationError):
        training.add_training(engine, team.leader, team.id, "Debt-help basics", "", 1, 12, ("money",))
    with pytest.raises(ValidationError):
        training.add_training(engine, team.leader, team.id, "Nothing", "", 1, 12, ())
    with pytest.raises(ValidationError):
        training.add_training(engine, team.leader, team.id, "Zero", "", 1, 0, ("money",))
    with pytest.raises(ValidationError):
        training.record_training(
            engine, team.coproducer, team.coproducer.person_id, ids["debt"], TODAY + timedelta(days=1), today=TODAY
        )


def test_expiry_reminders_go_at_60_and_14_days_once_to_coproducer_and_leader(
    engine: Engine, settings: Settings
) -> None:
    team = factories.team(engine)
    ids = _catalogue(engine, team)
    fatima = team.coproducer.person_id
    training.record_training(engine, team.leader, fatima, ids["violence"], date(2025, 8, 10), today=TODAY)
    # valid until 2026-08-10: 61 days before that nothing, at 60 days one reminder each, run twice: still one each
    assert training_reminders.send_expiry_reminders(engine, settings, datetime(2026, 6, 10, 8, tzinfo=UTC)) == 0
    assert training_reminders.send_expiry_reminders(engine, settings, datetime(2026, 6, 11, 8, tzinfo=UTC)) == 2
    assert training_reminders.send_expiry_reminders(engine, settings, datetime(2026, 6, 20, 8, tzinfo=UTC)) == 0
    assert training_reminders.send_expiry_reminders(engine, settings, datetime(2026, 7, 27, 8, tzinfo=UTC)) == 2
    assert training_reminders.send_expiry_reminders(engine, settings, datetime(2026, 7, 28, 8, tzinfo=UTC)) == 0
    with reading(engine) as session:
        sent = session.execute(select(Notification.person_id, Notification.key, Notification.params)).all()
    assert sorted((p, k.split(":")[2]) for p, k, _ in sent) == sorted(
        [(fatima, "60"), (team.leader.person_id, "60"), (fatima, "14"), (team.leader.person_id, "14")]
    )
    assert json.loads(sent[0][2])["training"] == "Recognising domestic violence"


def test_a_renewed_training_is_not_reminded_of(engine: Engine, settings: Settings) -> None:
    team = factories.team(engine)
    ids = _catalogue(engine, team)
    fatima = team.coproducer.person_id
    training.record_training(engine, team.leader, fatima, ids["violence"], date(2025, 8, 10), today=TODAY)
    training.record_training(engine, team.leader, fatima, ids["violence"], date(2026, 6, 1), today=TODAY)
    assert training_reminders.send_expiry_reminders(engine, settings, datetime(2026, 7, 27, 8, tzinfo=UTC)) == 0


@pytest.mark.parametrize(("days", "mark"), [(61, None), (60, 60), (15, 60), (14, 14), (0, 14), (-1, None)])
def test_the_reminder_due_for_the_days_left(days: int, mark: int | None) -> None:
    assert training_reminders.threshold(days, (60, 14)) == mark
