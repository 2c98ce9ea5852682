"""Bad import files get messages, never tracebacks (issue 14): dates out of range, huge fields, old-Mac line endings,
repeated topics, and .xlsx sheets that are too wide, too long or lie about their size (issue 32's bombs are in
test_import_bounds.py). A property test generates malformed CSV and .xlsx files and holds that no exception escapes,
the dry run agrees with the real run, and nothing is imported when any row is bad."""

from __future__ import annotations

import io
import time
import zipfile
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import Engine, func, select

from db.engine import reading
from db.models import HelpRequest
from monitor.config import Settings
from monitor.i18n import gettext_for
from monitor.requests import tables
from monitor.requests.importing import import_requests
from tests.unit.factories import Team, team

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
HEADER = "username,received_at,channel,topics,minutes,level,beyond_role,referred_to,note"
GOOD_ROW = "fatima,2026-11-02 21:30,door,money;housing,30,,no,,"


@pytest.fixture
def moerwijk(sqlite_engine: Engine) -> Team:
    return team(sqlite_engine)


def stored(engine: Engine) -> int:
    with reading(engine) as session:
        return int(session.scalar(select(func.count(HelpRequest.id))) or 0)


def run(engine: Engine, settings: Settings, crew: Team, name: str, content: bytes, dry_run: bool = False):  # type: ignore[no-untyped-def]
    return import_requests(engine, settings, crew.leader, name, content, dry_run=dry_run, now=NOW)


def messages(report) -> list[str]:  # type: ignore[no-untyped-def]
    english = gettext_for("en")  # the English catalog: it holds the plural forms
    found = [p.error.render(english) for p in report.problems]
    return found + ([report.file_error.render(english)] if report.file_error else [])


def test_a_date_in_year_one_is_a_row_message(sqlite_engine: Engine, settings: Settings, moerwijk: Team) -> None:
    report = run(
        sqlite_engine,
        settings,
        moerwijk,
        "old.csv",
        f"{HEADER}\nfatima,0001-01-01 00:00,door,money,30,,no,,\n".encode(),
    )
    assert [(p.row, p.column) for p in report.problems] == [(2, "received_at")]
    assert "too long ago" in messages(report)[0]


def test_a_field_over_the_csv_limit_is_a_message(sqlite_engine: Engine, settings: Settings, moerwijk: Team) -> None:
    content = f'{HEADER}\n{GOOD_ROW}\nfatima,2026-11-02 21:30,door,money,30,,no,,"{"x" * 140_000}"\n'.encode()
    report = run(sqlite_engine, settings, moerwijk, "old.csv", content)
    assert report.file_error is not None and "Line 3" in messages(report)[0]
    assert stored(sqlite_engine) == 0


def test_old_mac_line_endings_are_read(sqlite_engine: Engine, settings: Settings, moerwijk: Team) -> None:
    content = "\r".join([HEADER, GOOD_ROW, "henk,2026-11-04 14:00,phone,children,15,,,,"]).encode()
    report = run(sqlite_engine, settings, moerwijk, "old.csv", content)
    assert report.ok, messages(report)
    assert (report.rows, report.imported) == (2, 2)


def test_a_repeated_topic_counts_once_and_the_dry_run_agrees(
    sqlite_engine: Engine, settings: Settings, moerwijk: Team
) -> None:
    content = f"{HEADER}\nfatima,2026-11-02 21:30,door,money;money;MONEY,30,,no,,\n".encode()
    dry = run(sqlite_engine, settings, moerwijk, "old.csv", content, dry_run=True)
    real = run(sqlite_engine, settings, moerwijk, "old.csv", content)
    assert dry.ok and real.ok and real.imported == 1


def xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def rewrite_sheet(content: bytes, change) -> bytes:  # type: ignore[no-untyped-def]
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = change(data)
            target.writestr(item.filename, data)
    return out.getvalue()


def test_a_long_sheet_with_a_cell_in_column_xfd_is_refused_quickly(
    sqlite_engine: Engine, settings: Settings, moerwijk: Team
) -> None:
    small = xlsx([HEADER.split(","), ["fatima", "2026-11-02 21:30", "door", "money", 30]])
    far = '<row r="3"><c r="XFD3" t="inlineStr"><is><t>far away</t></is></c></row>'  # a value in column XFD
    more = "".join(
        f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>fatima</t></is></c><c r="E{i}"><v>30</v></c></row>'
        for i in range(4, tables.MAX_ROWS + 50)
    )
    content = rewrite_sheet(small, lambda xml: xml.replace(b"</sheetData>", (far + more).encode() + b"</sheetData>"))
    started = time.monotonic()
    report = run(sqlite_engine, settings, moerwijk, "big.xlsx", content)
    assert time.monotonic() - started < 10
    assert report.file_error is not None and "more than 20000 rows" in messages(report)[0]
    assert stored(sqlite_engine) == 0


def test_a_sheet_that_declares_an_absurd_size_is_read_as_what_it_holds(
    sqlite_engine: Engine, settings: Settings, moerwijk: Team
) -> None:
    content = xlsx([HEADER.split(","), ["fatima", "2026-11-02 21:30", "door", "money", 30]])
    lying = rewrite_sheet(
        content, lambda xml: xml.replace(b"<sheetData", b'<dimension ref="A1:XFD1048576"/><sheetData', 1)
    )
    started = time.monotonic()
    report = run(sqlite_engine, settings, moerwijk, "lies.xlsx", lying, dry_run=True)
    assert time.monotonic() - started < 10
    assert report.ok and report.rows == 1, messages(report)


# --- property: whatever the file holds ----------------------------------------------------------------------------

GOOD_CELLS = {
    "username": ["fatima", "henk"],
    "received_at": ["2026-11-02 21:30", "2026-11-04 14:00"],
    "channel": ["door", "phone"],
    "topics": ["money", "money;housing", "money;money"],
    "minutes": ["30", "15"],
}
BAD_CELLS = st.one_of(
    st.sampled_from(
        [
            "0001-01-01 00:00",
            "9999-12-31 23:59",
            "2026-03-29 02:30",
            "1e400",
            "nan",
            "-5",
            "99999999999999999999",
            "nobody",
            "",
            '"',
            "money;;;",
            "\x00",
            "2026-13-45 25:61",
            "ja",
            "=cmd()",
            "x" * 300,
        ]
    ),
    st.text(max_size=20),
)
COLUMNS = HEADER.split(",")


@st.composite
def tables_of_rows(draw: st.DrawFn) -> list[list[str]]:
    count = draw(st.integers(min_value=0, max_value=6))
    rows = []
    for _ in range(count):
        row = [draw(st.sampled_from(GOOD_CELLS[c])) if c in GOOD_CELLS else "" for c in COLUMNS]
        for index in draw(st.lists(st.integers(min_value=0, max_value=len(COLUMNS) - 1), max_size=2)):
            row[index] = draw(BAD_CELLS)
        rows.append(row)
    return rows


def as_csv(rows: list[list[str]], ending: str, delimiter: str) -> bytes:
    def cell(value: str) -> str:
        return '"' + value.replace('"', '""') + '"' if any(ch in value for ch in '",;\r\n') else value

    lines = [delimiter.join(COLUMNS)] + [delimiter.join(cell(v) for v in row) for row in rows]
    return ending.join(lines).encode("utf-8", errors="replace")


def check_agreement(engine: Engine, settings: Settings, crew: Team, name: str, content: bytes) -> None:
    before = stored(engine)
    dry = run(engine, settings, crew, name, content, dry_run=True)
    assert stored(engine) == before, "a dry run imports nothing"
    real = run(engine, settings, crew, name, content)
    assert dry.ok == real.ok and messages(dry) == messages(real), "the dry run's verdict is the real run's"
    if not real.ok:
        assert stored(engine) == before, "nothing is imported when any row is bad"
    else:
        assert stored(engine) == before + real.imported


@hypothesis_settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=tables_of_rows(), ending=st.sampled_from(["\n", "\r\n", "\r"]), delimiter=st.sampled_from([",", ";"]))
def test_no_csv_escapes_and_the_dry_run_agrees(
    sqlite_engine: Engine, settings: Settings, moerwijk: Team, rows: list[list[str]], ending: str, delimiter: str
) -> None:
    check_agreement(sqlite_engine, settings, moerwijk, "any.csv", as_csv(rows, ending, delimiter))


@hypothesis_settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=tables_of_rows(), garbage=st.binary(max_size=40))
def test_no_xlsx_escapes_and_the_dry_run_agrees(
    sqlite_engine: Engine, settings: Settings, moerwijk: Team, rows: list[list[str]], garbage: bytes
) -> None:
    cleaned = [[ILLEGAL_CHARACTERS_RE.sub("", v) for v in row] for row in rows]  # openpyxl cannot write these
    content = xlsx([COLUMNS, *cleaned])
    check_agreement(sqlite_engine, settings, moerwijk, "any.xlsx", content)
    check_agreement(sqlite_engine, settings, moerwijk, "broken.xlsx", content[: len(content) // 2] + garbage)
