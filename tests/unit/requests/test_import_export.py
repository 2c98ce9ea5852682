"""Importing older logs from CSV and Excel (all rows or none) and exporting them for reports."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import Engine, func, select

from db.engine import reading
from db.models import HelpRequest
from monitor.config import Settings
from monitor.errors import PermissionDenied, ValidationError
from monitor.people.access import SYSTEM
from monitor.requests.exporting import count_rows, export_file, export_rows
from monitor.requests.importing import import_requests
from monitor.requests.tables import REQUIRED, column_names
from tests.unit.factories import Team, team

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
HEADER = "username,received_at,channel,topics,minutes,level,beyond_role,referred_to,note"
GOOD = f"""{HEADER}
fatima,2026-11-02 21:30,door,money;housing,30,,no,,
fatima,2026-11-03 10:15,centre,mental_health,60,group,yes,gp,Asked about a support group
henk,2026-11-04 14:00,phone,children,15,,,,
"""


@pytest.fixture
def moerwijk(engine: Engine) -> Team:
    return team(engine)


def stored(engine: Engine) -> int:
    with reading(engine) as session:
        return session.scalar(select(func.count()).select_from(HelpRequest)) or 0


def test_a_good_csv_file_is_imported_and_classified(engine: Engine, settings: Settings, moerwijk: Team) -> None:
    report = import_requests(engine, settings, moerwijk.leader, "old.csv", GOOD.encode(), now=NOW)
    assert report.ok, report.problems
    assert (report.rows, report.imported) == (3, 3)
    rows = export_rows(engine, settings, moerwijk.leader, moerwijk.id)
    assert [(r["username"], r["received_at"], r["outside_hours"], r["outside_reason"]) for r in rows] == [
        ("fatima", "2026-11-02 21:30", "yes", "evening"),
        ("fatima", "2026-11-03 10:15", "no", ""),
        ("henk", "2026-11-04 14:00", "no", ""),
    ]
    assert rows[0]["topics"] == "housing;money"
    assert (rows[1]["level"], rows[1]["beyond_role"], rows[1]["referred_to"]) == ("group", "yes", "gp")


def test_the_columns_may_have_their_dutch_names_beside_the_english_ones(
    engine: Engine, settings: Settings, moerwijk: Team
) -> None:
    dutch = GOOD.replace(
        HEADER, "Gebruikersnaam,tijdstip,kanaal,onderwerpen,minuten,niveau,buiten mijn taak,referred_to,notitie"
    )
    report = import_requests(engine, settings, moerwijk.leader, "oud.csv", dutch.encode(), now=NOW)
    assert report.ok, report.problems
    assert report.imported == 3
    rows = export_rows(engine, settings, moerwijk.leader, moerwijk.id)
    second = (rows[1]["level"], rows[1]["beyond_role"], rows[1]["note"])
    assert second == ("group", "yes", "Asked about a support group")


def test_the_import_help_names_the_columns_in_the_readers_language() -> None:
    assert column_names(REQUIRED, "nl") == ["gebruikersnaam", "tijdstip", "kanaal", "onderwerpen", "minuten"]
    assert column_names(REQUIRED, "en") == list(REQUIRED)


def test_importing_the_same_file_twice_adds_nothing_the_second_time(
    engine: Engine, settings: Settings, moerwijk: Team
) -> None:
    import_requests(engine, settings, moerwijk.leader, "old.csv", GOOD.encode(), now=NOW)
    again = import_requests(engine, settings, moerwijk.leader, "old.csv", GOOD.encode(), now=NOW)
    assert (again.imported, again.skipped_duplicates) == (0, 3)
    assert stored(engine) == 3


def test_a_file_with_errors_imports_nothing_and_reports_every_wrong_row(
    engine: Engine, settings: Settings, moerwijk: Team
) -> None:
    bad = f"""{HEADER}
fatima,2026-11-02 21:30,door,money,30,,,,
nobody,2026-11-02 21:30,door,money,30,,,,
fatima,yesterday,door,money,30,,,,
fatima,2026-11-02 21:30,door,witchcraft,0,,maybe,,
fatima,2026-03-29 02:30,door,money,30,,,,
fatima,2030-01-01 10:00,door,money,30,,,,
"""
    report = import_requests(engine, settings, moerwijk.leader, "bad.csv", bad.encode(), now=NOW)
    assert not report.ok
    assert report.imported == 0
    assert stored(engine) == 0
    found = [(p.row, p.column) for p in report.problems]
    assert found == [
        (3, "username"),
        (4, "received_at"),
        (5, "beyond_role"),
        (6, "received_at"),
        (7, "received_at"),
    ]
    messages = {p.row: str(p.error) for p in report.problems}
    assert "cannot import requests for nobody" in messages[3]
    assert "2026-03-14 21:30" in messages[4]  # says how to write it
    assert "clocks were put forward" in messages[6]
    assert "future" in messages[7]


def test_topics_and_minutes_are_checked_once_the_row_can_be_read(
    engine: Engine, settings: Settings, moerwijk: Team
) -> None:
    bad = f"{HEADER}\nfatima,2026-11-02 21:30,door,witchcraft,0,,,,\n"
    report = import_requests(engine, settings, moerwijk.leader, "bad.csv", bad.encode(), now=NOW)
    assert [(p.row, p.column) for p in report.problems] == [(2, "topics"), (2, "minutes")]


def test_a_dry_run_checks_but_saves_nothing(engine: Engine, settings: Settings, moerwijk: Team) -> None:
    report = import_requests(engine, settings, SYSTEM, "old.csv", GOOD.encode(), dry_run=True, now=NOW)
    assert report.ok and report.rows == 3 and report.imported == 0
    assert stored(engine) == 0


def test_a_coproducer_imports_only_their_own_requests(engine: Engine, settings: Settings, moerwijk: Team) -> None:
    report = import_requests(engine, settings, moerwijk.coproducer, "old.csv", GOOD.encode(), now=NOW)
    assert [(p.row, p.column) for p in report.problems] == [(4, "username")]
    assert "cannot import requests for henk" in str(report.problems[0].error)
    assert stored(engine) == 0
    own = "\n".join(GOOD.splitlines()[:3]) + "\n"
    assert import_requests(engine, settings, moerwijk.coproducer, "old.csv", own.encode(), now=NOW).imported == 2


def test_a_leader_cannot_import_for_another_team(engine: Engine, settings: Settings, moerwijk: Team) -> None:
    other = team(engine, "Transvaal", prefix="t_")
    report = import_requests(engine, settings, other.leader, "old.csv", GOOD.encode(), now=NOW)
    assert {p.column for p in report.problems} == {"username"}
    assert len(report.problems) == 3
    assert stored(engine) == 0


def test_an_excel_file_with_semicolon_topics_and_real_date_cells_is_imported(
    engine: Engine, settings: Settings, moerwijk: Team
) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Username", "received_at", "channel", "topics", "minutes"])
    sheet.append(["fatima", datetime(2026, 11, 7, 11, 0), "street", "addiction; violence", 45.0])
    sheet.append([None, None, None, None, None])  # an empty row at the end, as spreadsheets often have
    out = io.BytesIO()
    workbook.save(out)
    report = import_requests(engine, settings, moerwijk.leader, "old.xlsx", out.getvalue(), now=NOW)
    assert report.ok and report.imported == 1
    row = export_rows(engine, settings, moerwijk.leader, moerwijk.id)[0]
    assert (row["received_at"], row["topics"], row["minutes"], row["outside_reason"]) == (
        "2026-11-07 11:00",
        "addiction;violence",
        45,
        "weekend",
    )


def test_a_csv_from_dutch_excel_with_semicolons_is_read(engine: Engine, settings: Settings, moerwijk: Team) -> None:
    dutch = 'username;received_at;channel;topics;minutes\r\nfatima;02-11-2026 21:30;door;"money;housing";30\r\n'
    report = import_requests(engine, settings, moerwijk.leader, "oud.csv", dutch.encode("utf-8-sig"), now=NOW)
    assert report.ok and report.imported == 1


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("old.pdf", b"%PDF", ".csv or .xlsx"),
        ("old.csv", b"username,channel\nfatima,door\n", "no column received_at, topics, minutes"),
        ("old.csv", b"", "empty"),
        ("old.csv", "username;ü".encode("latin-1"), "UTF-8"),
        ("old.xlsx", b"not a workbook", "Excel workbook"),
    ],
)
def test_a_file_that_cannot_be_read_is_explained(
    engine: Engine, settings: Settings, moerwijk: Team, name: str, content: bytes, words: str
) -> None:
    report = import_requests(engine, settings, moerwijk.leader, name, content, now=NOW)
    assert report.file_error is not None and words in str(report.file_error)
    assert stored(engine) == 0


def test_export_writes_csv_and_xlsx_with_the_outside_hours_columns(
    engine: Engine, settings: Settings, moerwijk: Team
) -> None:
    import_requests(engine, settings, moerwijk.leader, "old.csv", GOOD.encode(), now=NOW)
    rows = export_rows(engine, settings, SYSTEM, None, date(2026, 11, 3), date(2026, 11, 30))
    assert len(rows) == 2
    csv_text = export_file(rows, "csv").decode("utf-8-sig")
    assert csv_text.splitlines()[0] == HEADER + ",outside_hours,outside_reason"
    assert "Asked about a support group" in csv_text
    sheet = load_workbook(io.BytesIO(export_file(rows, "xlsx"))).active
    assert sheet is not None
    assert [cell.value for cell in sheet[1]][-2:] == ["outside_hours", "outside_reason"]
    assert sheet.max_row == 3


def test_exported_notes_cannot_run_as_spreadsheet_formulas(engine: Engine, settings: Settings, moerwijk: Team) -> None:
    evil = f'{HEADER}\nfatima,2026-11-02 21:30,door,money,30,,,,"=HYPERLINK(""http://x"")"\n'
    assert import_requests(engine, settings, moerwijk.leader, "old.csv", evil.encode(), now=NOW).ok
    assert export_rows(engine, settings, SYSTEM)[0]["note"].startswith("'=")


def test_only_a_leader_of_the_team_exports_it(engine: Engine, settings: Settings, moerwijk: Team) -> None:
    for outsider in (moerwijk.coproducer, moerwijk.counsellor, moerwijk.admin):
        with pytest.raises(PermissionDenied):
            export_rows(engine, settings, outsider, moerwijk.id)
    with pytest.raises(ValidationError, match="before the start"):
        export_rows(engine, settings, SYSTEM, None, date(2026, 11, 5), date(2026, 11, 1))


def test_the_count_is_the_number_of_rows_the_export_would_give(
    engine: Engine, settings: Settings, moerwijk: Team
) -> None:
    import_requests(engine, settings, moerwijk.leader, "old.csv", GOOD.encode(), now=NOW)
    for start, end in ((None, None), (date(2026, 11, 3), date(2026, 11, 30)), (date(2026, 12, 1), None)):
        rows = export_rows(engine, settings, moerwijk.leader, moerwijk.id, start, end)
        assert count_rows(engine, moerwijk.leader, moerwijk.id, start, end) == len(rows)
    assert count_rows(engine, moerwijk.leader, moerwijk.id) == 3
    with pytest.raises(PermissionDenied):  # the same checks as the export
        count_rows(engine, moerwijk.coproducer, moerwijk.id)
    with pytest.raises(ValidationError, match="before the start"):
        count_rows(engine, SYSTEM, None, date(2026, 11, 5), date(2026, 11, 1))
